import { z } from 'zod';
import type { FieldErrors } from '../platform/errors.ts';

/** An organization's portal address: `/p/<slug>` (the organization's own slug). */
export const PORTAL_SLUG_PATTERN = '[a-z0-9][a-z0-9-]{1,62}';

const ZCsrf = z.string().min(1, 'required').max(200, 'invalid');

/** Field errors are codes the page turns into Russian or English text. */
export const ZCodeRequestBody = z.strictObject({
  csrf: ZCsrf,
  address: z.string().trim().min(1, 'required').max(300, 'too_long'),
});
export type TCodeRequestBody = z.infer<typeof ZCodeRequestBody>;

export const ZVerifyBody = z.strictObject({
  csrf: ZCsrf,
  code: z
    .string()
    .trim()
    .regex(/^[0-9]{6}$/, 'code_wrong'),
});
export type TVerifyBody = z.infer<typeof ZVerifyBody>;

export const ZWithdrawFormBody = z.strictObject({
  csrf: ZCsrf,
  purposeId: z.uuid('invalid'),
});
export type TWithdrawFormBody = z.infer<typeof ZWithdrawFormBody>;

export const PORTAL_REQUEST_TYPES = ['access', 'correction', 'stop', 'deletion'] as const;

export const ZPortalRequestBody = z
  .strictObject({
    csrf: ZCsrf,
    type: z.enum(PORTAL_REQUEST_TYPES, 'invalid'),
    details: z.string().trim().max(4000, 'too_long').optional(),
  })
  .refine((body) => body.type !== 'correction' || Boolean(body.details), {
    path: ['details'],
    message: 'required',
  });
export type TPortalRequestBody = z.infer<typeof ZPortalRequestBody>;

export const ZCsrfOnlyBody = z.strictObject({ csrf: ZCsrf });

const KNOWN_CODES = new Set([
  'required',
  'too_long',
  'invalid',
  'code_wrong',
  'invalid_email',
  'invalid_address',
]);

/** Zod issues as field codes: a known code stays, anything else is 'invalid' or 'unknown_field'. */
export function portalFieldErrors(error: z.ZodError): FieldErrors {
  const fields: FieldErrors = {};
  const add = (path: string, code: string) => {
    const codes = fields[path] ?? [];
    if (!codes.includes(code)) codes.push(code);
    fields[path] = codes;
  };
  for (const issue of error.issues) {
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) add(key, 'unknown_field');
      continue;
    }
    const path = issue.path.length > 0 ? issue.path.join('.') : '_';
    if (issue.code === 'invalid_type' && issue.input === undefined) add(path, 'required');
    else add(path, KNOWN_CODES.has(issue.message) ? issue.message : 'invalid');
  }
  return fields;
}
