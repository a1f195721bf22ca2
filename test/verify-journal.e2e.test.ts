import { describe, expect, it } from 'vitest';
import { scheduleChaining } from '../src/consent/journal.service.ts';
import { sql } from '../src/platform/db/sql.ts';
import { makeCaptureOrg } from './capture-factories.ts';
import { E2E_TIMEOUT_MS, runCli, setupInstallations, usesPostgres } from './installation.ts';
import { submitWithConsents, tamperJournal } from './journal-factories.ts';

const newInstallation = setupInstallations();

describe(`soglasie verify-journal (${usesPostgres ? 'PostgreSQL' : 'PGlite'})`, {
  timeout: E2E_TIMEOUT_MS,
}, () => {
  it('exits 0 on an intact journal and 1 after an entry was edited, naming it', async () => {
    const install = await newInstallation();
    let testApp = await install.open();
    const org = await makeCaptureOrg(testApp);
    await submitWithConsents(testApp, org);
    await submitWithConsents(testApp, org, { isAdvertisingGiven: false });
    // Let the background chaining the submissions started finish before the CLI opens the files.
    await scheduleChaining(testApp.db, org.orgId);
    await testApp.db.close();

    const intact = await runCli('verify-journal', ['--org', org.slug], install.env);
    expect(intact.stderr).toBe('');
    expect(intact.code).toBe(0);
    expect(intact.stdout).toContain(`(${org.slug}, ${org.orgId})`);
    expect(intact.stdout).toMatch(/entries chained:\s+3/);
    expect(intact.stdout).toContain('Result: INTACT');

    testApp = await install.open();
    const [victim] = await testApp.db.query<{ entry_id: string }>(
      sql`SELECT entry_id FROM consent_chain WHERE org_id = ${org.orgId} AND position = 2`,
    );
    if (!victim) throw new Error('No second link');
    await tamperJournal(testApp, victim.entry_id, 'channel');
    await testApp.db.close();

    const broken = await runCli('verify-journal', ['--org', org.orgId], install.env);
    expect(broken.code).toBe(1);
    expect(broken.stdout).toContain('Result: BROKEN');
    expect(broken.stdout).toContain(`first broken entry: ${victim.entry_id}`);
    expect(broken.stdout).toMatch(/at chain position:\s+2/);
    expect(broken.stdout).toContain('content_hash_mismatch');
  });

  it('exits 2 without --org or with an unknown organization', async () => {
    const install = await newInstallation();
    const missing = await runCli('verify-journal', [], install.env);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/--org is required/);
    const unknown = await runCli('verify-journal', ['--org', 'no-such-clinic'], install.env);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/no organization "no-such-clinic"/);
    const extra = await runCli('verify-journal', ['--org', 'x', '--bogus'], install.env);
    expect(extra.code).toBe(2);
  });
});
