// The evaluator of channel rules: a touch's fields, the first rule that holds, the result.

import {
  type ChannelRule,
  DEFAULT_CHANNEL_RULES,
  type RuleCondition,
  type RuleField,
  type RuleValue,
  TOUCH_FIELDS,
  type TouchInput,
} from './channel-rules.ts';

export type Classification = {
  channel: string;
  source: string | null;
  campaign: string | null;
  keyword: string | null;
  /** The rule that decided. */
  ruleId: string;
};

type Fields = Partial<Record<RuleField, string>>;

function hostOf(url: URL): string {
  return url.hostname.toLowerCase().replace(/^www\./, '');
}

/** The touch's non-blank fields, trimmed, with the hosts and path read from its addresses. */
export function ruleFieldsOf(touch: TouchInput): Fields {
  const fields: Fields = {};
  for (const field of TOUCH_FIELDS) {
    const value = touch[field]?.trim();
    if (value) fields[field] = value;
  }
  const referrer = parseUrl(fields.referrer);
  if (referrer?.hostname) {
    fields.referrer_host = hostOf(referrer);
    fields.referrer_path = referrer.pathname;
  }
  const landing = parseUrl(fields.landing_page);
  if (landing?.hostname) fields.landing_host = hostOf(landing);
  return fields;
}

function parseUrl(text: string | undefined): URL | null {
  if (!text) return null;
  try {
    return new URL(text);
  } catch {
    return null;
  }
}

const patterns = new Map<string, RegExp>();

function patternOf(source: string): RegExp {
  let pattern = patterns.get(source);
  if (!pattern) {
    pattern = new RegExp(source, 'i');
    patterns.set(source, pattern);
  }
  return pattern;
}

function listOf(value: string | readonly string[]): string[] {
  return (typeof value === 'string' ? [value] : [...value]).map((item) => item.toLowerCase());
}

function holds(condition: RuleCondition, fields: Fields): boolean {
  const value = fields[condition.field];
  if ('present' in condition) return (value !== undefined) === condition.present;
  if (value === undefined) return false;
  const lower = value.toLowerCase();
  if ('equals' in condition) return listOf(condition.equals).includes(lower);
  if ('contains' in condition)
    return listOf(condition.contains).some((part) => lower.includes(part));
  if ('regex' in condition) return patternOf(condition.regex).test(value);
  const other = fields[condition.sameAs];
  return other !== undefined && other.toLowerCase() === lower;
}

function resolve(value: RuleValue | undefined, fallback: RuleValue, fields: Fields): string | null {
  const chosen = value === undefined ? fallback : value;
  if (chosen === null) return null;
  if (typeof chosen === 'string') return chosen;
  return fields[chosen.field] ?? null;
}

/**
 * The channel, source, campaign and keyword of a touch: the first of `orgRules`, then of the
 * defaults, whose conditions all hold. The defaults end with `direct`, which always holds.
 */
export function classifyTouch(
  touch: TouchInput,
  orgRules: readonly ChannelRule[] = [],
  defaultRules: readonly ChannelRule[] = DEFAULT_CHANNEL_RULES,
): Classification {
  const fields = ruleFieldsOf(touch);
  for (const rule of [...orgRules, ...defaultRules]) {
    if (!rule.when.every((condition) => holds(condition, fields))) continue;
    const utmSource = fields.utm_source?.toLowerCase();
    return {
      channel: rule.result.channel,
      source: resolve(rule.result.source, utmSource ?? fields.referrer_host ?? null, fields),
      campaign: resolve(rule.result.campaign, { field: 'utm_campaign' }, fields),
      keyword: resolve(rule.result.keyword, { field: 'utm_term' }, fields),
      ruleId: rule.id,
    };
  }
  return { channel: 'direct', source: null, campaign: null, keyword: null, ruleId: 'none' };
}
