import {
  type AuthDeps,
  createOrgWithOwner,
  ensureUser,
  findOrg,
  resetPassword,
  systemCtx,
} from '../orgs/auth.service.ts';
import { addMember } from '../orgs/members.service.ts';
import { issueToken } from '../orgs/tokens.service.ts';
import type { Role } from '../platform/context.ts';
import { randomToken } from '../platform/crypto.ts';
import { withTx } from '../platform/db/tx.ts';
import { seedDemoSpend } from './demo-analytics-spend.ts';
import { seedDemoCallTracking } from './demo-calltracking.ts';
import { seedDemoCampaigns } from './demo-campaigns.ts';
import { seedDemoCapture } from './demo-capture.ts';
import { seedDemoComplianceDocuments } from './demo-compliance-documents.ts';
import { seedDemoComplianceRegistry } from './demo-compliance-registry.ts';
import { seedDemoCrm } from './demo-crm.ts';
import { seedDemoIncident } from './demo-incidents.ts';
import { seedDemoSuppressions } from './demo-messaging.ts';
import { seedDemoOutbound } from './demo-outbound.ts';
import { seedDemoRequests } from './demo-requests.ts';
import { seedDemoRetention } from './demo-retention.ts';

export const DEMO_SLUG = 'demo';

type DemoPerson = { email: string; name: string; role: Role };

const STAFF: DemoPerson[] = [
  { email: 'owner@demo.soglasie.local', name: 'Анна Сергеевна Ковалёва', role: 'owner' },
  { email: 'admin@demo.soglasie.local', name: 'Игорь Петрович Лебедев', role: 'admin' },
  { email: 'reception@demo.soglasie.local', name: 'Мария Андреевна Смирнова', role: 'front_desk' },
  { email: 'marketing@demo.soglasie.local', name: 'Олег Викторович Орлов', role: 'marketer' },
  {
    email: 'privacy@demo.soglasie.local',
    name: 'Елена Николаевна Белова',
    role: 'privacy_officer',
  },
  { email: 'auditor@demo.soglasie.local', name: 'Павел Ильич Громов', role: 'auditor' },
];

export type DemoLogin = DemoPerson & { password: string };

/**
 * A demo clinic a newcomer can sign in to. Running it again resets the staff passwords and
 * adds nothing twice. Later capabilities add their own data here.
 */
export async function seedDemo(
  deps: AuthDeps,
  now: Date,
  options: {
    /** People in the demo patient base (5,000 by default). */
    crmContacts?: number;
    onProgress?: (done: number, total: number) => void;
  } = {},
): Promise<{ orgId: string; isNew: boolean; logins: DemoLogin[]; apiToken: string | null }> {
  const logins = STAFF.map((person) => ({ ...person, password: `demo-${randomToken(9)}` }));
  const [owner, ...others] = logins;
  if (!owner) throw new Error('The demo needs an owner');
  let org = await findOrg(deps, DEMO_SLUG);
  const isNew = !org;
  if (!org) {
    const created = await createOrgWithOwner(deps, {
      orgSlug: DEMO_SLUG,
      orgName: 'Клиника «Здоровая семья» (демо)',
      owner,
      now,
      actorLabel: 'demo',
    });
    org = created.org;
  }
  const orgId = org.id;
  const ownerCtx = systemCtx(deps, { orgId, now, actor: { type: 'system', label: 'demo' } });
  for (const person of others) await addMemberIfMissing(ownerCtx, person);
  for (const person of logins) {
    const { user } = await withTx(deps.db, { orgId }, (tx) => ensureUser(deps, tx, person));
    await resetPassword(deps, user.id, person.password, now);
  }
  let apiToken: string | null = null;
  if (isNew) {
    const issued = await issueToken(ownerCtx, { name: 'Сайт клиники (Tilda)', role: 'front_desk' });
    apiToken = issued.secret;
    const demoCtx = { ...ownerCtx, publicUrl: deps.publicUrl ?? ownerCtx.publicUrl };
    await seedDemoCapture(demoCtx);
    await seedDemoRequests(demoCtx);
    await seedDemoIncident(demoCtx);
    await seedDemoRetention(demoCtx);
    await seedDemoSuppressions(demoCtx);
    await seedDemoCampaigns(demoCtx);
    await seedDemoOutbound(demoCtx);
    await seedDemoCallTracking(demoCtx);
    await seedDemoComplianceRegistry(demoCtx);
    await seedDemoComplianceDocuments(demoCtx);
    await seedDemoSpend(demoCtx);
    await seedDemoCrm(demoCtx, {
      count: options.crmContacts ?? 5000,
      ...(options.onProgress ? { onProgress: options.onProgress } : {}),
    });
  }
  return { orgId, isNew, logins, apiToken };
}

async function addMemberIfMissing(ctx: ReturnType<typeof systemCtx>, person: DemoLogin) {
  try {
    await addMember(ctx, person);
  } catch (error) {
    if ((error as { code?: string }).code !== 'conflict') throw error;
  }
}
