import { z } from 'zod';

const SLUG = /^[a-z0-9][a-z0-9-]{1,62}$/;
/** Hono's pattern for a slug (the same rule as `ZFormSlugParams`). */
export const SLUG_PATTERN = '[a-z0-9][a-z0-9-]{1,62}';

export const ZFormFileParams = z.strictObject({
  /** `<slug>.json` */
  file: z.string().regex(/^[a-z0-9][a-z0-9-]{1,62}\.json$/, 'The form address followed by .json'),
});

export const ZSubmitParams = z.strictObject({ slug: z.string().regex(SLUG) });

const ZAttributionValue = z.string().max(8000).optional();

/**
 * A submission as JSON. A form post (`name=…&consent_<code>=on&consent_<code>_document=<id>`)
 * is read into the same shape. Each consent is its own entry with the document the visitor
 * was shown (R-C1, R-C2).
 */
export const ZSubmitBody = z.strictObject({
  values: z
    .record(
      z.string().regex(/^[A-Za-z][A-Za-z0-9_.-]{0,99}$/, 'Not a field name'),
      z.string().max(10_000),
    )
    .default({}),
  consents: z
    .record(
      z.string().regex(/^[a-z][a-z0-9_]{1,39}$/, 'Not a purpose code'),
      z.strictObject({
        isGiven: z.boolean(),
        /** The consent document shown next to the checkbox (`/d/<documentId>`). */
        documentId: z.uuid().nullable().optional(),
      }),
    )
    .default({}),
  /** The same key sent twice creates one submission (a retried post, a double click). */
  idempotency_key: z
    .string()
    .regex(/^[A-Za-z0-9_.:-]{8,200}$/, '8–200 letters, digits or _.:-')
    .optional(),
  /** Left empty by people; a filled one marks the post as automated. */
  website: z.string().max(10_000).optional(),
  utm_source: ZAttributionValue,
  utm_medium: ZAttributionValue,
  utm_campaign: ZAttributionValue,
  utm_content: ZAttributionValue,
  utm_term: ZAttributionValue,
  yclid: ZAttributionValue,
  gclid: ZAttributionValue,
  vkclid: ZAttributionValue,
  referrer: ZAttributionValue,
  landing_page: ZAttributionValue,
  visitor_id: ZAttributionValue,
  session_id: ZAttributionValue,
  tracking_phone: ZAttributionValue,
});
export type TSubmitBody = z.infer<typeof ZSubmitBody>;

export const ZSubmitResult = z.object({
  submissionId: z.string(),
  /** True when the idempotency key was seen before: nothing new was stored. */
  isDuplicate: z.boolean(),
  thankYou: z.object({ title: z.string(), text: z.string() }),
  redirectUrl: z.string().nullable(),
  /** The person's signed consent receipt; null for a replay. */
  receiptUrl: z.string().nullable(),
  /** The consents recorded, each with the exact document agreed to. */
  consents: z.array(
    z.object({ purposeCode: z.string(), documentId: z.string(), documentUrl: z.string() }),
  ),
});
export type TSubmitResult = z.infer<typeof ZSubmitResult>;

/** A published form as public pages and the embed snippet render it. */
export const ZPublicFormView = z.object({
  slug: z.string(),
  title: z.string(),
  version: z.number().int(),
  fields: z.array(
    z.object({
      name: z.string(),
      label: z.string(),
      type: z.enum(['text', 'tel', 'email', 'textarea']),
      isRequired: z.boolean(),
      maxLength: z.number().int(),
    }),
  ),
  /** One checkbox each, never pre-checked, with its own document (R-C1, R-C2). */
  consents: z.array(
    z.object({
      purposeCode: z.string(),
      kind: z.string(),
      isRequired: z.boolean(),
      label: z.string(),
      documentId: z.string(),
      documentVersion: z.number().int(),
      documentUrl: z.string(),
      /** Who receives the data under a transfer consent, shown before submitting. */
      recipients: z.array(z.object({ name: z.string(), country: z.string() })),
    }),
  ),
  submitLabel: z.string(),
  thankYou: z.object({ title: z.string(), text: z.string() }),
  redirectUrl: z.string().nullable(),
  policyUrl: z.string(),
  operatorName: z.string(),
  submitUrl: z.string(),
});
export type TPublicFormView = z.infer<typeof ZPublicFormView>;
