/** Input styles for codes typed by hand (slugs, field names): monospace in the box only. */
export const MONO_INPUT = { input: { fontFamily: 'var(--mantine-font-family-monospace)' } };
