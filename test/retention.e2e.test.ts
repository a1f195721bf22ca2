import { describe, expect, it } from 'vitest';
import { scheduleChaining } from '../src/consent/journal.service.ts';
import { sql } from '../src/platform/db/sql.ts';
import { makeCaptureOrg } from './capture-factories.ts';
import { E2E_TIMEOUT_MS, runCli, setupInstallations, usesPostgres } from './installation.ts';
import { contactOfSubmission, submitWithConsents } from './journal-factories.ts';

const newInstallation = setupInstallations();

const DAY = 86_400_000;

describe(`soglasie retention run (${usesPostgres ? 'PostgreSQL' : 'PGlite'})`, {
  timeout: E2E_TIMEOUT_MS,
}, () => {
  it('previews without a change, then destroys what is due and names the act', async () => {
    const install = await newInstallation();
    let testApp = await install.open();
    const org = await makeCaptureOrg(testApp);
    // The command runs on the wall clock: a consent given 400 days ago (term 365 days) is due.
    const submitted = await submitWithConsents(testApp, org, {
      isAdvertisingGiven: false,
      now: new Date(Date.now() - 400 * DAY),
    });
    const contactId = await contactOfSubmission(testApp, submitted.submissionId);
    await scheduleChaining(testApp.db, org.orgId);
    await testApp.db.close();

    const preview = await runCli('retention', ['run', '--dry-run', '--org', org.slug], install.env);
    expect(preview.code).toBe(0);
    expect(preview.stdout).toContain(`${org.orgId}: dry run, nothing changed`);
    expect(preview.stdout).toMatch(new RegExp(`destroy\\s+${contactId}`));

    const run = await runCli('retention', ['run', '--org', org.orgId], install.env);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('destroy: 1');
    expect(run.stdout).toMatch(/destruction act No\. 1 \(/);

    testApp = await install.open();
    const [contact] = await testApp.db.query<{ erased_at: Date | null }>(
      sql`SELECT erased_at FROM contacts WHERE id = ${contactId}`,
    );
    expect(contact?.erased_at).not.toBeNull();
    const [acts] = await testApp.db.query<{ total: number }>(
      sql`SELECT count(*)::int AS total FROM destruction_acts WHERE org_id = ${org.orgId}`,
    );
    expect(acts?.total).toBe(1);
    await testApp.db.close();
  });

  it('exits 2 on a wrong command or an unknown organization', async () => {
    const install = await newInstallation();
    const wrong = await runCli('retention', ['purge'], install.env);
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toMatch(/retention run/);
    const unknown = await runCli('retention', ['run', '--org', 'no-such-clinic'], install.env);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/no organization "no-such-clinic"/);
    const help = await runCli('retention', ['--help'], install.env);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('--dry-run');
  });
});
