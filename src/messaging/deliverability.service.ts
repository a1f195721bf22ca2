import { Resolver } from 'node:dns/promises';
import type { Ctx } from '../platform/context.ts';
import { AppError } from '../platform/errors.ts';
import { assertCan } from './suppressions.service.ts';

/** The one DNS call the check makes; tests point a real resolver at a local server. */
export type TxtResolver = { resolveTxt(name: string): Promise<string[][]> };

export function createTxtResolver(servers?: readonly string[]): TxtResolver {
  const resolver = new Resolver({ timeout: 3000, tries: 2 });
  if (servers && servers.length > 0) resolver.setServers([...servers]);
  return resolver;
}

export type FindingLevel = 'error' | 'warning' | 'ok';
export type Finding = { level: FindingLevel; code: string; record: 'spf' | 'dkim' | 'dmarc' };

export type DeliverabilityReport = {
  domain: string;
  selector: string | null;
  spf: string | null;
  dkim: string | null;
  dmarc: string | null;
  dmarcPolicy: string | null;
  findings: Finding[];
  /** An error blocks bulk mail to Gmail, Yahoo and Microsoft (R-E2): say so before a campaign. */
  isBlocking: boolean;
};

const DOMAIN = /^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/i;
const SELECTOR = /^[a-z0-9](?:[a-z0-9._-]{0,62})$/i;

async function txt(resolver: TxtResolver, name: string): Promise<string[] | null> {
  try {
    return (await resolver.resolveTxt(name)).map((chunks) => chunks.join(''));
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === 'ENOTFOUND' || code === 'ENODATA' || code === 'ENONAME') return [];
    return null;
  }
}

function tagsOf(record: string): Map<string, string> {
  const tags = new Map<string, string>();
  for (const part of record.split(';')) {
    const [name, ...rest] = part.split('=');
    if (name?.trim()) tags.set(name.trim().toLowerCase(), rest.join('=').trim());
  }
  return tags;
}

/**
 * SPF, DKIM and DMARC of the sending domain (R-E2: Gmail and Yahoo bulk-sender rules): each
 * record looked up and read, with findings by code (the UI words them). A missing SPF, DKIM
 * key or DMARC record is an error: such mail is rejected by the big mailbox providers.
 */
export async function checkDeliverability(
  ctx: Ctx,
  resolver: TxtResolver,
  input: { domain: string; selector?: string | undefined },
): Promise<DeliverabilityReport> {
  assertCan(ctx, 'messaging.read');
  const domain = input.domain.trim().toLowerCase().replace(/\.$/, '');
  if (!DOMAIN.test(domain)) {
    throw new AppError('validation_failed', 'Not a domain name', {
      fields: { domain: ['Not a domain name'] },
    });
  }
  const selector = input.selector?.trim() || null;
  if (selector && !SELECTOR.test(selector)) {
    throw new AppError('validation_failed', 'Not a DKIM selector', {
      fields: { selector: ['Not a DKIM selector'] },
    });
  }
  const [rootTxt, dmarcTxt, dkimTxt] = await Promise.all([
    txt(resolver, domain),
    txt(resolver, `_dmarc.${domain}`),
    selector ? txt(resolver, `${selector}._domainkey.${domain}`) : Promise.resolve([]),
  ]);
  const findings: Finding[] = [];

  // SPF: exactly one v=spf1 record, not ending in a permissive +all.
  const spfRecords = (rootTxt ?? []).filter((record) => /^v=spf1(\s|$)/i.test(record));
  const spf = spfRecords[0] ?? null;
  if (rootTxt === null) findings.push({ level: 'error', code: 'dns_failed', record: 'spf' });
  else if (spfRecords.length === 0)
    findings.push({ level: 'error', code: 'spf_missing', record: 'spf' });
  else if (spfRecords.length > 1)
    findings.push({ level: 'error', code: 'spf_multiple', record: 'spf' });
  else if (/(^|\s)\+?all(\s|$)/i.test(spf ?? '') && !/[-~?]all/i.test(spf ?? '')) {
    findings.push({ level: 'error', code: 'spf_allows_all', record: 'spf' });
  } else if (/\?all/i.test(spf ?? '')) {
    findings.push({ level: 'warning', code: 'spf_neutral', record: 'spf' });
  } else findings.push({ level: 'ok', code: 'spf_ok', record: 'spf' });

  // DKIM: a key at <selector>._domainkey; an empty p= is a revoked key.
  const dkim = (dkimTxt ?? []).find((record) => /(^|;)\s*(v=DKIM1|p=)/i.test(record)) ?? null;
  if (!selector) findings.push({ level: 'warning', code: 'dkim_selector_unknown', record: 'dkim' });
  else if (dkimTxt === null) findings.push({ level: 'error', code: 'dns_failed', record: 'dkim' });
  else if (!dkim) findings.push({ level: 'error', code: 'dkim_missing', record: 'dkim' });
  else if (!tagsOf(dkim).get('p'))
    findings.push({ level: 'error', code: 'dkim_revoked', record: 'dkim' });
  else findings.push({ level: 'ok', code: 'dkim_ok', record: 'dkim' });

  // DMARC: at least p=none; none only monitors, so it is a warning to move on from.
  const dmarc = (dmarcTxt ?? []).find((record) => /^v=DMARC1(\s*;|$)/i.test(record)) ?? null;
  const dmarcPolicy = dmarc ? (tagsOf(dmarc).get('p')?.toLowerCase() ?? null) : null;
  if (dmarcTxt === null) findings.push({ level: 'error', code: 'dns_failed', record: 'dmarc' });
  else if (!dmarc) findings.push({ level: 'error', code: 'dmarc_missing', record: 'dmarc' });
  else if (!dmarcPolicy || !['none', 'quarantine', 'reject'].includes(dmarcPolicy)) {
    findings.push({ level: 'error', code: 'dmarc_invalid', record: 'dmarc' });
  } else if (dmarcPolicy === 'none') {
    findings.push({ level: 'warning', code: 'dmarc_policy_none', record: 'dmarc' });
  } else findings.push({ level: 'ok', code: 'dmarc_ok', record: 'dmarc' });
  if (dmarc && !tagsOf(dmarc).get('rua')) {
    findings.push({ level: 'warning', code: 'dmarc_no_reports', record: 'dmarc' });
  }

  return {
    domain,
    selector,
    spf,
    dkim,
    dmarc,
    dmarcPolicy,
    findings,
    isBlocking: findings.some((finding) => finding.level === 'error'),
  };
}
