// The shape of an organization's own channel rule, checked at the edge before it is stored.

import { z } from 'zod';
import { RULE_FIELDS } from './channel-rules.ts';

const ZRuleField = z.enum(RULE_FIELDS);
const ZText = z.string().trim().min(1).max(200);
const ZTexts = z.union([ZText, z.array(ZText).min(1).max(100)]);

const ZPattern = z
  .string()
  .min(1)
  .max(200)
  .refine(
    (pattern) => {
      try {
        new RegExp(pattern, 'i');
        return true;
      } catch {
        return false;
      }
    },
    { message: 'is not a valid regular expression' },
  )
  // A quantified group that itself repeats, like (a+)+ or (\w*)*, can take exponential time
  // on a crafted referrer; rules never need one.
  .refine((pattern) => !/\([^()]*[+*}][^()]*\)\s*[+*{]/.test(pattern), {
    message: 'must not repeat a group that repeats (nested quantifiers)',
  });

export const ZRuleCondition = z.union([
  z.strictObject({ field: ZRuleField, equals: ZTexts }),
  z.strictObject({ field: ZRuleField, contains: ZTexts }),
  z.strictObject({ field: ZRuleField, regex: ZPattern }),
  z.strictObject({ field: ZRuleField, present: z.boolean() }),
  z.strictObject({ field: ZRuleField, sameAs: ZRuleField }),
]);

const ZRuleValue = z.union([ZText, z.strictObject({ field: ZRuleField }), z.null()]);

export const ZChannelRule = z.strictObject({
  id: z
    .string()
    .regex(/^[a-z0-9][a-z0-9_-]{0,63}$/, 'lower-case letters, digits, - and _, up to 64'),
  when: z.array(ZRuleCondition).max(20),
  result: z.strictObject({
    channel: z.string().regex(/^[a-z0-9][a-z0-9_]{0,63}$/, 'lower-case letters, digits and _'),
    source: ZRuleValue.optional(),
    campaign: ZRuleValue.optional(),
    keyword: ZRuleValue.optional(),
  }),
});
export type TChannelRule = z.infer<typeof ZChannelRule>;
