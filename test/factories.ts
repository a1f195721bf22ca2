import { randomBytes } from 'node:crypto';
import { createOrgWithOwner, systemCtx } from '../src/orgs/auth.service.ts';
import { addMember } from '../src/orgs/members.service.ts';
import type { Role } from '../src/platform/context.ts';
import type { TestApp } from './app.ts';

export type TestPerson = {
  userId: string;
  email: string;
  password: string;
  name: string;
  role: Role;
};
export type TestOrg = { orgId: string; slug: string; owner: TestPerson };

function unique(): string {
  return randomBytes(4).toString('hex');
}

/** An organization with an owner; unique slug and email unless overridden. */
export async function makeOrg(
  testApp: TestApp,
  overrides: { slug?: string; name?: string; ownerEmail?: string } = {},
): Promise<TestOrg> {
  const id = unique();
  const owner = {
    email: overrides.ownerEmail ?? `owner-${id}@clinic.test`,
    name: `Владелец ${id}`,
    password: `pass-${id}-secret`,
  };
  const { org, userId } = await createOrgWithOwner(testApp.deps, {
    orgSlug: overrides.slug ?? `clinic-${id}`,
    orgName: overrides.name ?? `Клиника ${id}`,
    owner,
    now: testApp.clock.now(),
    actorLabel: 'test',
  });
  return { orgId: org.id, slug: org.slug, owner: { ...owner, userId, role: 'owner' } };
}

/** A member with the given role in an organization. */
export async function makeMember(testApp: TestApp, orgId: string, role: Role): Promise<TestPerson> {
  const id = unique();
  const person = {
    email: `${role}-${id}@clinic.test`,
    name: `Сотрудник ${id}`,
    password: `pass-${id}-secret`,
    role,
  };
  const ctx = systemCtx(testApp.deps, { orgId, now: testApp.clock.now() });
  const member = await addMember(ctx, person);
  return { ...person, userId: member.userId };
}
