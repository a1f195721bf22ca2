import { z } from 'zod';

export const STANDARD_FIELDS = { name: 'name', phone: 'phone', email: 'email' } as const;

export const ZFormField = z.strictObject({
  name: z.string().regex(/^[a-z][a-z0-9_]{0,39}$/, 'Latin lower case, digits and _'),
  label: z.string().trim().min(1).max(200),
  type: z.enum(['text', 'tel', 'email', 'textarea']),
  isRequired: z.boolean().default(false),
  /** The data category the field carries; name/phone/email imply their own. */
  category: z
    .string()
    .regex(/^[a-z][a-z0-9_]{1,39}$/)
    .optional(),
  maxLength: z.number().int().min(1).max(5000).default(500),
});
export type TFormField = z.infer<typeof ZFormField>;

export const ZFormConsent = z.strictObject({
  /** Exactly one purpose: one checkbox ↔ one consent document (R-C2). */
  purposes: z
    .array(z.string().regex(/^[a-z][a-z0-9_]{1,39}$/))
    .min(1)
    .max(5),
  isRequired: z.boolean(),
});

export const ZFormDefinition = z.strictObject({
  fields: z.array(ZFormField).min(1).max(30),
  consents: z.array(ZFormConsent).min(1).max(10),
  submitLabel: z.string().trim().min(1).max(60).default('Отправить'),
  thankYou: z
    .strictObject({
      title: z.string().trim().min(1).max(200),
      text: z.string().trim().max(2000).default(''),
    })
    .default({ title: 'Спасибо! Мы свяжемся с вами.', text: '' }),
  redirectUrl: z.url().max(1000).optional(),
  /**
   * Services of the register submissions are forwarded to, in order; the first is the primary
   * sink and must keep the data in Russia (R-L1, checked against the services register).
   */
  destinations: z.array(z.uuid()).max(10).optional(),
});
export type TFormDefinition = z.infer<typeof ZFormDefinition>;

export const ZFormBody = z.strictObject({
  slug: z
    .string()
    .trim()
    .toLowerCase()
    .regex(/^[a-z0-9][a-z0-9-]{1,62}$/),
  title: z.string().trim().min(1).max(200),
  definition: ZFormDefinition,
  status: z.enum(['draft', 'published', 'archived']).default('published'),
});
export type TFormBody = z.infer<typeof ZFormBody>;
// Leaving `status` out keeps the form's status (a draft stays a draft).
export const ZFormUpdateBody = ZFormBody.omit({ slug: true, status: true }).extend({
  status: z.enum(['draft', 'published', 'archived']).optional(),
});
export type TFormUpdateBody = z.infer<typeof ZFormUpdateBody>;

export const ZFormWarning = z.object({
  field: z.string(),
  code: z.literal('not_covered_by_purpose'),
  message: z.string(),
});
export type TFormWarning = z.infer<typeof ZFormWarning>;

export const ZFormView = z.object({
  id: z.string(),
  slug: z.string(),
  title: z.string(),
  status: z.enum(['draft', 'published', 'archived']),
  version: z.number().int(),
  definition: ZFormDefinition,
  /** Minimization: fields that no purpose of the form covers. */
  warnings: z.array(ZFormWarning),
  hostedUrl: z.string(),
  embedCode: z.string(),
  postUrl: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type TFormView = z.infer<typeof ZFormView>;
export const ZFormSlugParams = z.strictObject({
  slug: z.string().regex(/^[a-z0-9][a-z0-9-]{1,62}$/),
});

/** What a public page needs to render a form: fields, and per checkbox its document. */
export type TPublicForm = {
  slug: string;
  title: string;
  version: number;
  fields: TFormField[];
  consents: {
    purposeCode: string;
    kind: string;
    isRequired: boolean;
    label: string;
    documentId: string;
    documentVersion: number;
    documentUrl: string;
    documentSha256: string;
    recipients: { name: string; country: string }[];
  }[];
  submitLabel: string;
  thankYou: { title: string; text: string };
  redirectUrl: string | null;
  policyUrl: string;
  operatorName: string;
};
