export function purposePath(code: string): string {
  return `/purposes/${encodeURIComponent(code)}`;
}
