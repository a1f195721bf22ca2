import { describe, expect, it } from 'vitest';
import { setupTestApp, type TestApp } from '../../test/app.ts';
import { makeCaptureOrg } from '../../test/capture-factories.ts';
import { submitForm } from '../forms/submissions.service.ts';
import { sql } from '../platform/db/sql.ts';
import { withTx } from '../platform/db/tx.ts';
import {
  findPortalOrg,
  openSignedLink,
  type PortalDeps,
  purgePortal,
  requestCode,
} from './portal.service.ts';
import { portalLinkToken } from './portal-link.service.ts';

const getApp = setupTestApp();

function depsAt(testApp: TestApp): PortalDeps {
  return {
    db: testApp.db,
    keys: testApp.keys,
    publicUrl: testApp.deps.publicUrl,
    now: testApp.clock.now(),
    requestId: null,
    route: 'test',
  };
}

async function counts(testApp: TestApp, orgId: string) {
  return withTx(testApp.db, { orgId }, async (tx) => {
    const [codes] = await tx.query<{ n: unknown }>(sql`SELECT count(*) AS n FROM portal_codes`);
    const [sessions] = await tx.query<{ n: unknown }>(
      sql`SELECT count(*) AS n FROM portal_sessions`,
    );
    return { codes: Number(codes?.n), sessions: Number(sessions?.n) };
  });
}

describe('privacy portal records', () => {
  it('purges spent codes after a day and sessions 90 days after they end, in every organization', async () => {
    const testApp = getApp();
    const orgs = [await makeCaptureOrg(testApp), await makeCaptureOrg(testApp)];
    for (const org of orgs) {
      const submitted = await submitForm(
        {
          db: testApp.db,
          keys: testApp.keys,
          publicUrl: testApp.deps.publicUrl,
          now: testApp.clock.now(),
        },
        {
          formSlug: org.form.slug,
          values: { name: 'Вера', email: `vera-${org.slug}@patient.test`, phone: '+79160000042' },
          consents: {
            appointment: { isGiven: true, documentId: org.processing.document?.id ?? null },
          },
          idempotencyKey: null,
          attribution: {},
          client: { ip: '203.0.113.1', userAgent: null, pageUrl: null },
        },
      );
      const portalOrg = await findPortalOrg(testApp.db, org.slug);
      await requestCode(depsAt(testApp), {
        org: portalOrg,
        address: { kind: 'email', value: `vera-${org.slug}@patient.test` },
      });
      await requestCode(depsAt(testApp), {
        org: portalOrg,
        address: { kind: 'email', value: 'unknown@patient.test' },
      });
      const [contact] = await withTx(testApp.db, { orgId: org.orgId }, (tx) =>
        tx.query<{ contact_id: string }>(
          sql`SELECT contact_id FROM submissions WHERE id = ${submitted.submissionId}`,
        ),
      );
      await openSignedLink(
        depsAt(testApp),
        portalLinkToken(testApp.keys, {
          orgId: org.orgId,
          contactId: contact?.contact_id ?? '',
          expiresAt: new Date(testApp.clock.now().getTime() + 60_000),
        }),
      );
      expect(await counts(testApp, org.orgId)).toEqual({ codes: 2, sessions: 1 });
    }

    // A day after the codes expired: they go, the sessions stay.
    testApp.clock.advance(10 * 60 * 1000 + 24 * 60 * 60 * 1000 + 1000);
    expect((await purgePortal(testApp, testApp.clock.now())).purged).toBe(4);
    for (const org of orgs) {
      expect(await counts(testApp, org.orgId)).toEqual({ codes: 0, sessions: 1 });
    }
    // 90 days after the sessions ended (2 hours at most): they go too.
    testApp.clock.advance(89 * 24 * 60 * 60 * 1000);
    expect((await purgePortal(testApp, testApp.clock.now())).purged).toBe(0);
    testApp.clock.advance(2 * 24 * 60 * 60 * 1000);
    expect((await purgePortal(testApp, testApp.clock.now())).purged).toBe(2);
    for (const org of orgs) {
      expect(await counts(testApp, org.orgId)).toEqual({ codes: 0, sessions: 0 });
    }
  });
});
