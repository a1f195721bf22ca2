import { z } from 'zod';
import { pageOf, ZPageQuery, ZUuid } from '../../platform/http/params.ts';
import { FETCH_ERROR_CODES } from './fetch-page.ts';
import { FINDING_CODES } from './site-check.codes.ts';

/** Pasted HTML is limited to what fits the API's body limit; larger pages go by URL or the CLI. */
export const MAX_PASTED_HTML_CHARS = 200_000;
const MAX_URL_CHARS = 2048;

const ZCheckUrl = z
  .string()
  .trim()
  .min(1)
  .max(MAX_URL_CHARS)
  .refine((value) => {
    try {
      const url = new URL(/^[a-z][a-z\d+.-]*:/i.test(value) ? value : `https://${value}`);
      return url.protocol === 'http:' || url.protocol === 'https:';
    } catch {
      return false;
    }
  }, 'Give an http or https address')
  .describe('The page to fetch server-side; "https://" is added when no scheme is given');

export const ZRunSiteCheckBody = z
  .strictObject({
    url: ZCheckUrl.optional(),
    html: z
      .string()
      .min(1)
      .max(MAX_PASTED_HTML_CHARS)
      .optional()
      .describe('The page itself, pasted; instead of url'),
    clinic: z
      .boolean()
      .optional()
      .describe('Check the clinic key pages; left out: when the page reads like a clinic’s'),
  })
  .superRefine((body, context) => {
    if (body.url === undefined && body.html === undefined) {
      context.addIssue({ code: 'custom', path: ['url'], message: 'Give a URL or the page’s HTML' });
    }
    if (body.url !== undefined && body.html !== undefined) {
      context.addIssue({ code: 'custom', path: ['html'], message: 'Give either a URL or HTML' });
    }
  });
export type TRunSiteCheckBody = z.infer<typeof ZRunSiteCheckBody>;

const ZTexts = z.object({ ru: z.string(), en: z.string() });

export const ZSiteFinding = z.object({
  code: z.enum(FINDING_CODES),
  severity: z.enum(['high', 'medium', 'low']),
  category: z.enum(['consent', 'localization', 'clinic', 'seo']),
  rule: z.string(),
  message: ZTexts,
  fix: ZTexts,
  evidence: z.array(z.string()),
});

export const ZSiteCheckResult = z.object({
  /** The stored check, in the organization's history. */
  id: z.uuid(),
  source: z.enum(['url', 'html']),
  url: z.string().nullable(),
  finalUrl: z.string().nullable(),
  score: z.number().int().min(0).max(100),
  isClinic: z.boolean(),
  isFullPage: z.boolean(),
  htmlBytes: z.number().int(),
  counts: z.object({ high: z.number().int(), medium: z.number().int(), low: z.number().int() }),
  findings: z.array(ZSiteFinding),
  checkedAt: z.iso.datetime(),
});
export type TSiteCheckResult = z.infer<typeof ZSiteCheckResult>;

export const ZFetchErrorReason = z.enum(FETCH_ERROR_CODES);

/** One check in the history list: the figures and codes, without the texts. */
export const ZSiteCheckSummary = z.object({
  id: z.uuid(),
  source: z.enum(['url', 'html']),
  url: z.string().nullable(),
  finalUrl: z.string().nullable(),
  score: z.number().int(),
  isClinic: z.boolean(),
  counts: z.object({ high: z.number().int(), medium: z.number().int(), low: z.number().int() }),
  codes: z.array(z.enum(FINDING_CODES)),
  checkedAt: z.iso.datetime(),
});
export type TSiteCheckSummary = z.infer<typeof ZSiteCheckSummary>;

export const ZSiteCheckPage = pageOf(ZSiteCheckSummary);

export const ZSiteCheckQuery = z.strictObject({ ...ZPageQuery });
export type TSiteCheckQuery = z.infer<typeof ZSiteCheckQuery>;

export const ZSiteCheckParams = z.strictObject({ checkId: ZUuid });
