import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { setupTestApp, type TestApp } from '../../test/app.ts';
import { makeCaptureOrg } from '../../test/capture-factories.ts';

const getApp = setupTestApp();
const run = promisify(execFile);

/** Every byte the database holds: PGlite's data directory, or pg_dump of the PostgreSQL database. */
async function dumpDatabase(testApp: TestApp): Promise<Buffer> {
  const { pglite, url } = testApp.testDb;
  if (pglite) {
    // Flush shared buffers into the data files; the WAL is in the archive as well.
    await pglite.exec('CHECKPOINT');
    return Buffer.from(await (await pglite.dumpDataDir('none')).arrayBuffer());
  }
  if (!url) throw new Error('Neither a PGlite instance nor a database URL');
  const { stdout } = await run('pg_dump', ['--no-owner', '--dbname', url], {
    maxBuffer: 256 * 1024 * 1024,
    encoding: 'buffer',
  });
  return stdout;
}

const SANITY_MARKER = 'dump-sanity-3f9c81';

describe('personal data at rest', () => {
  it('keeps no submitted phone, email or name in clear in a database dump', async () => {
    const testApp = getApp();
    testApp.deps.submitRateLimits = { perClientIp: 100, perForm: 100 };
    const org = await makeCaptureOrg(testApp);
    const processing = org.processing.document?.id ?? '';
    const advertising = org.advertising.document?.id ?? '';
    const json = await testApp.app.request(`/f/${org.form.slug}/submit`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'user-agent': 'Mozilla/5.0 (dump test)' },
      body: JSON.stringify({
        values: {
          name: 'Аграфена Дамповна',
          phone: '+7 (916) 482-73-95',
          email: 'Dump.Check-7731@Example.RU',
        },
        consents: {
          appointment: { isGiven: true, documentId: processing },
          marketing: { isGiven: true, documentId: advertising },
        },
        idempotency_key: randomUUID(),
        utm_source: 'yandex',
        utm_campaign: SANITY_MARKER,
        landing_page: 'https://clinic.test/?phone=89164827395&email=dump.check-7731%40example.ru',
      }),
    });
    expect(json.status).toBe(201);
    const form = await testApp.app.request(`/f/${org.form.slug}/submit`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        name: 'Евлампий Тильдин',
        phone: '8 903 551-20-86',
        email: 'tilda.dump-5520@example.ru',
        consent_appointment: 'on',
        consent_appointment_document: processing,
        utm_source: 'vk',
      }).toString(),
    });
    expect(form.status).toBe(201);

    const dump = await dumpDatabase(testApp);
    // The dump is readable: a value stored in clear on purpose is found in it.
    expect(dump.includes(Buffer.from(SANITY_MARKER))).toBe(true);
    const needles = [
      '+79164827395',
      '79164827395',
      '89164827395',
      '9164827395',
      '916 482-73-95',
      '(916) 482-73-95',
      '482-73-95',
      '4827395',
      'Dump.Check-7731@Example.RU',
      'dump.check-7731@example.ru',
      'dump.check-7731',
      'Аграфена',
      'Дамповна',
      '+79035512086',
      '9035512086',
      '903 551-20-86',
      '5512086',
      'tilda.dump-5520',
      'Евлампий',
      'Тильдин',
    ];
    const found = needles.filter((needle) => dump.includes(Buffer.from(needle, 'utf8')));
    expect(found).toEqual([]);
    // Nor do the logs carry them.
    const logs = testApp.logs.join('\n');
    expect(needles.filter((needle) => logs.includes(needle))).toEqual([]);
  });
});
