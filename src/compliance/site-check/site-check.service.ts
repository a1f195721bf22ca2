import { actorTokenId, actorUserId, type Ctx } from '../../platform/context.ts';
import { withTx } from '../../platform/db/tx.ts';
import { AppError } from '../../platform/errors.ts';
import type { Page } from '../../platform/http/params.ts';
import { can, type Permission } from '../../platform/permissions.ts';
import { checkSite, type SiteCheckResult } from './check-site.ts';
import { type FetchPageOptions, fetchPage, SiteFetchError } from './fetch-page.ts';
import { checkPolicyMentions } from './policy-mention.ts';
import { FINDINGS } from './site-check.codes.ts';
import {
  findSiteCheck,
  findSiteCheckPage,
  insertSiteCheck,
  type SiteCheckRow,
} from './site-check.repo.ts';
import type {
  TRunSiteCheckBody,
  TSiteCheckQuery,
  TSiteCheckResult,
  TSiteCheckSummary,
} from './site-check.schema.ts';

function assertCan(ctx: Ctx, permission: Permission): void {
  if (!can(ctx.role, permission)) {
    throw new AppError('forbidden', `This role lacks ${permission}`);
  }
}

/** An address as typed: "klinika.ru" means https://klinika.ru/. */
export function normalizeCheckUrl(value: string): string {
  const trimmed = value.trim();
  return /^[a-z][a-z\d+.-]*:/i.test(trimmed) ? trimmed : `https://${trimmed}`;
}

/**
 * Checks a page given by URL (fetched server-side under the SSRF rules of fetch-page.ts) or as
 * pasted HTML, and keeps the result in the organization's history. The page itself is not
 * stored; the findings are codes and evidence (service names, form ids), not visitors' data.
 */
export async function runSiteCheck(
  ctx: Ctx,
  input: TRunSiteCheckBody,
  fetchOptions: FetchPageOptions = {},
): Promise<TSiteCheckResult> {
  assertCan(ctx, 'site_check.run');
  const clinic = input.clinic === undefined ? {} : { clinic: input.clinic };
  let result: SiteCheckResult;
  let finalUrl: string | null = null;
  if (input.html !== undefined) {
    result = checkSite(input.html, clinic);
  } else {
    const url = normalizeCheckUrl(input.url ?? '');
    try {
      const page = await fetchPage(url, fetchOptions);
      result = await checkPolicyMentions({
        result: checkSite(page.html, { ...clinic, url: page.url, htmlBytes: page.bytes }),
        html: page.html,
        pageUrl: page.finalUrl,
        requestedHost: new URL(page.url).hostname,
        fetchOptions,
      });
      finalUrl = page.finalUrl;
    } catch (error) {
      if (error instanceof SiteFetchError) {
        throw new AppError('site_fetch_failed', error.message, {
          details: { reason: error.code, ...error.details },
          cause: error,
        });
      }
      throw error;
    }
  }
  const row = await withTx(ctx.db, { orgId: ctx.orgId }, (tx) =>
    insertSiteCheck(tx, {
      orgId: ctx.orgId,
      source: input.html !== undefined ? 'html' : 'url',
      url: result.url,
      finalUrl,
      score: result.score,
      isClinic: result.isClinic,
      isFullPage: result.isFullPage,
      htmlBytes: result.htmlBytes,
      counts: result.counts,
      findings: result.findings.map((finding) => ({
        code: finding.code,
        evidence: finding.evidence,
      })),
      checkedBy: actorUserId(ctx.actor),
      checkedByToken: actorTokenId(ctx.actor),
      at: ctx.now,
    }),
  );
  return resultOf(row);
}

/** The organization's checks, newest first. */
export async function findSiteChecks(
  ctx: Ctx,
  query: TSiteCheckQuery,
): Promise<Page<TSiteCheckSummary>> {
  assertCan(ctx, 'site_check.read');
  const { rows, total } = await withTx(ctx.db, { orgId: ctx.orgId }, (tx) =>
    findSiteCheckPage(tx, ctx.orgId, query),
  );
  return {
    items: rows.map((row) => ({
      id: row.id,
      source: row.source,
      url: row.url,
      finalUrl: row.finalUrl,
      score: row.score,
      isClinic: row.isClinic,
      counts: row.counts,
      codes: row.findings.map((finding) => finding.code),
      checkedAt: row.createdAt.toISOString(),
    })),
    page: query.page,
    pageSize: query.pageSize,
    total,
  };
}

/** One stored check with its findings' texts (from the catalogue of this version). */
export async function getSiteCheck(ctx: Ctx, checkId: string): Promise<TSiteCheckResult> {
  assertCan(ctx, 'site_check.read');
  const row = await withTx(ctx.db, { orgId: ctx.orgId }, (tx) =>
    findSiteCheck(tx, ctx.orgId, checkId),
  );
  if (!row) throw new AppError('not_found', 'No such site check');
  return resultOf(row);
}

function resultOf(row: SiteCheckRow): TSiteCheckResult {
  return {
    id: row.id,
    source: row.source,
    url: row.url,
    finalUrl: row.finalUrl,
    score: row.score,
    isClinic: row.isClinic,
    isFullPage: row.isFullPage,
    htmlBytes: row.htmlBytes,
    counts: row.counts,
    findings: row.findings.map((finding) => ({
      code: finding.code,
      ...FINDINGS[finding.code],
      evidence: finding.evidence,
    })),
    checkedAt: row.createdAt.toISOString(),
  };
}
