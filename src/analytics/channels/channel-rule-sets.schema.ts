import { z } from 'zod';
import { ZChannelRule } from './channel-rules.schema.ts';
import { TOUCH_FIELDS } from './channel-rules.ts';

export const MAX_ORG_RULES = 200;

export const ZChannelRuleList = z
  .array(ZChannelRule)
  .max(MAX_ORG_RULES)
  .superRefine((rules, context) => {
    const seen = new Set<string>();
    rules.forEach((rule, index) => {
      if (seen.has(rule.id)) {
        context.addIssue({ code: 'custom', path: [index, 'id'], message: 'is used twice' });
      }
      seen.add(rule.id);
    });
  });

export const ZSaveChannelRulesBody = z.strictObject({
  rules: ZChannelRuleList,
  /** The version the editor started from; a newer stored version is a conflict. */
  expectedVersion: z.number().int().min(0).optional(),
});
export type TSaveChannelRulesBody = z.infer<typeof ZSaveChannelRulesBody>;

const ZTouchValue = z.string().max(1000).nullable().optional();
export const ZTouchSample = z.strictObject(
  Object.fromEntries(TOUCH_FIELDS.map((field) => [field, ZTouchValue])) as Record<
    (typeof TOUCH_FIELDS)[number],
    typeof ZTouchValue
  >,
);

export const ZTestChannelRulesBody = z.strictObject({
  /** Draft rules to try; the stored ones when left out. */
  rules: ZChannelRuleList.optional(),
  touches: z.array(ZTouchSample).min(1).max(100),
});
export type TTestChannelRulesBody = z.infer<typeof ZTestChannelRulesBody>;

const ZClassification = z.object({
  channel: z.string(),
  source: z.string().nullable(),
  campaign: z.string().nullable(),
  keyword: z.string().nullable(),
  ruleId: z.string(),
});

export const ZChannelRulesTest = z.object({ results: z.array(ZClassification) });

const ZRule = z.unknown();
export const ZChannelRuleSet = z.object({
  rules: z.array(ZRule),
  version: z.number().int(),
  updatedAt: z.string().nullable(),
  defaults: z.array(ZRule),
  channels: z.array(z.object({ id: z.string(), ru: z.string(), en: z.string() })),
  /** How the stored history was re-classified after the last change. */
  reclassified: z.object({ touchpoints: z.number().int(), changed: z.number().int() }).nullable(),
});
export type TChannelRuleSet = z.infer<typeof ZChannelRuleSet>;
