// A campaign of 100,000 recipients sent by a real server process that is killed (SIGKILL)
// in the middle of sending, then started again: every eligible recipient is reached, none is
// missed, and the only second copies are messages accepted just before the crash — resent
// with the same Message-ID, no more of them than one batch in flight. PostgreSQL only.
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { SMTPServer } from 'smtp-server';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { orgKeyring, sealField } from '../src/keys/keys.service.ts';
import { campaignMessageId } from '../src/messaging/campaign-sender.service.ts';
import { createCampaign, launchCampaign } from '../src/messaging/campaigns.service.ts';
import { createSegment } from '../src/messaging/segments.service.ts';
import { createOrgWithOwner, systemCtx } from '../src/orgs/auth.service.ts';
import { blindIndex, deriveKeys, encrypt } from '../src/platform/crypto.ts';
import { sql } from '../src/platform/db/sql.ts';
import { withTx } from '../src/platform/db/tx.ts';
import { createPurpose, saveProfile } from '../src/purposes/purposes.service.ts';
import { TEST_MASTER_KEY } from './app.ts';
import { ADVERTISING_PURPOSE, TEST_PROFILE } from './capture-factories.ts';
import { createTestDb, type TestDb } from './db.ts';
import { databaseUrlFor } from './pg-url.ts';

const ROOT = path.resolve(import.meta.dirname, '..');
const RECIPIENTS = 100_000;
const CHUNK = 10_000;
// The sender's largest batch (campaign-sender.service.ts): the bound on resends.
const MAX_BATCH = 500;
// Mid-send and mid-batch: a fifth of the way, not on a batch boundary.
const KILL_AT = 20_250;
const E2E_TIMEOUT_MS = 600_000;
const PUBLIC_HOST = 'clinic.test';

const children: ChildProcess[] = [];
let testDb: TestDb | null = null;

/** A fast SMTP listener: keeps each message's Message-ID and recipient, nothing else. */
function startSmtp(onMessage: (count: number) => void): Promise<{
  server: SMTPServer;
  url: string;
  received: { messageId: string; to: string }[];
}> {
  const received: { messageId: string; to: string }[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    maxClients: 100,
    onData(stream, session, callback) {
      let head = '';
      stream.on('data', (chunk: Buffer) => {
        if (head.length < 8192) head += chunk.toString('utf8');
      });
      stream.on('end', () => {
        const messageId = /^Message-ID:\s*(<[^>]+>)/im.exec(head)?.[1] ?? '';
        const to = session.envelope.rcptTo.map((rcpt) => rcpt.address).join(',');
        received.push({ messageId, to });
        callback();
        onMessage(received.length);
      });
    },
  });
  // A killed client resets its connections: expected here, not a failure of the listener.
  server.on('error', () => {});
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.server.address() as AddressInfo;
      resolve({
        server,
        url: `smtp://127.0.0.1:${port}/?pool=true&maxConnections=8&maxMessages=100000`,
        received,
      });
    });
  });
}

function startServer(env: NodeJS.ProcessEnv): Promise<ChildProcess> {
  const child = spawn('node', ['bin/soglasie.mjs', 'serve'], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  children.push(child);
  let output = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`Server did not start:\n${output}`)), 120_000);
    const onData = (chunk: Buffer) => {
      output += String(chunk);
      if (/running at http/.test(output)) {
        clearTimeout(timer);
        resolve(child);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.on('close', (code) => {
      clearTimeout(timer);
      reject(new Error(`Server exited with ${code}:\n${output.slice(-4000)}`));
    });
  });
}

function kill(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null || !child.pid) {
      resolve();
      return;
    }
    child.removeAllListeners('close');
    child.once('close', () => resolve());
    try {
      process.kill(-child.pid, signal);
    } catch {
      resolve();
    }
  });
}

async function until(check: () => Promise<boolean> | boolean, what: string): Promise<void> {
  const deadline = Date.now() + E2E_TIMEOUT_MS;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

afterAll(async () => {
  for (const child of children.splice(0)) await kill(child, 'SIGKILL');
  await testDb?.drop();
});

describe.runIf(process.env.DATABASE_URL)('a campaign of 100,000 recipients', () => {
  it(
    'survives the server being killed mid-send: everyone reached once, resends only with the same Message-ID',
    async () => {
      testDb = await createTestDb();
      const { db, keyStore, url } = testDb;
      const keys = deriveKeys(TEST_MASTER_KEY, keyStore);
      const publicUrl = `http://${PUBLIC_HOST}`;
      const { org, userId } = await createOrgWithOwner(
        { db, keys },
        {
          orgSlug: `crash-${randomBytes(3).toString('hex')}`,
          orgName: 'Клиника',
          owner: { email: 'owner@clinic.test', name: 'Владелец', password: 'owner-password-1' },
          now: new Date(),
          actorLabel: 'test',
        },
      );
      const ctx = systemCtx({ db, keys, publicUrl }, { orgId: org.id, now: new Date() });
      await saveProfile(ctx, TEST_PROFILE);
      const advertising = await createPurpose(ctx, ADVERTISING_PURPOSE);
      const [version] = await db.query<{ id: string }>(
        sql`SELECT id FROM purpose_versions WHERE purpose_id = ${advertising.id}`,
      );

      // Contacts with real sealed emails under their own keys, and a 'given' journal entry
      // each for the advertising purpose: they pass the real gate.
      const keyring = await withTx(db, { orgId: org.id }, (tx) =>
        orgKeyring(tx, { keys, orgId: org.id }),
      );
      for (let start = 0; start < RECIPIENTS; start += CHUNK) {
        const ids: string[] = [];
        const emails: Buffer[] = [];
        const indexes: string[] = [];
        const wrapped: { orgId: string; subjectId: string; wrappedKey: Uint8Array }[] = [];
        for (let index = start; index < Math.min(RECIPIENTS, start + CHUNK); index += 1) {
          const id = randomUUID();
          const subjectKey = randomBytes(32);
          const email = `patient${index}@mail.test`;
          ids.push(id);
          emails.push(sealField(subjectKey, email, `contacts:${id}:email`));
          indexes.push(blindIndex(keys.indexKey, `${org.id}:email`, email));
          wrapped.push({
            orgId: org.id,
            subjectId: id,
            wrappedKey: encrypt(keyring.key, subjectKey.toString('base64'), `subject-key:${id}`),
          });
        }
        await keyStore.putMany(wrapped);
        await db.execute(sql`
          INSERT INTO contacts (id, org_id, email_enc, email_index)
          SELECT id, ${org.id}::uuid, email_enc, email_index
          FROM unnest(${ids}::uuid[], ${emails}::bytea[], ${indexes}::text[])
            AS c (id, email_enc, email_index)`);
        await db.execute(sql`
          INSERT INTO consent_journal (org_id, event, contact_id, purpose_id, purpose_version_id,
            document_id, channel, at, content_sha256)
          SELECT ${org.id}::uuid, 'given', id, ${advertising.id}::uuid, ${version?.id}::uuid,
            ${advertising.document?.id ?? null}::uuid, 'web_form', now(), md5(id::text) || md5(id::text)
          FROM unnest(${ids}::uuid[]) AS id`);
      }
      await db.executeScript('ANALYZE');

      // A person launches the campaign (R-A2); the server only sends it.
      const owner = {
        ...ctx,
        actor: { type: 'user' as const, userId, sessionId: null },
        now: new Date(),
      };
      const segment = await createSegment(owner, {
        name: 'Все с почтой',
        purposeCode: advertising.code,
        filters: { hasEmail: true },
      });
      const campaign = await createCampaign(owner, {
        name: 'Большая рассылка',
        segmentId: segment.id,
        channel: 'email',
        subject: 'Акция',
        body: 'Здравствуйте! Скидка 10%.',
        ratePerMinute: 1_000_000,
      });
      const launched = await launchCampaign(owner, campaign.id, { isConfirmed: true });
      expect(launched.audienceCount).toBe(RECIPIENTS);

      // The kill comes from inside the listener, right after it accepted a message in the
      // middle of a batch: messages in flight are accepted but not yet recorded as sent.
      let onMessage = (_count: number) => {};
      const smtp = await startSmtp((count) => onMessage(count));
      const env: NodeJS.ProcessEnv = {
        ...process.env,
        DATABASE_URL: url ?? '',
        KEYSTORE_URL: databaseUrlFor(process.env.DATABASE_URL ?? '', inject('pgKeyStore') ?? ''),
        MASTER_KEY: TEST_MASTER_KEY.toString('hex'),
        PORT: '0',
        HOST: '127.0.0.1',
        PUBLIC_URL: publicUrl,
        SMTP_URL: smtp.url,
        MAIL_FROM: 'Клиника <news@clinic.test>',
        LOG_LEVEL: 'warn',
        DATABASE_POOL_SIZE: '12',
      };
      const first = await startServer(env);
      const killed = new Promise<void>((resolve) => {
        onMessage = (count) => {
          if (count !== KILL_AT) return;
          void kill(first, 'SIGKILL').then(resolve);
        };
      });
      await killed;
      const atCrash = smtp.received.length;
      expect(atCrash).toBeLessThan(RECIPIENTS);

      const second = await startServer(env);
      const status = async () => {
        const [row] = await db.query<{ status: string }>(
          sql`SELECT status FROM campaigns WHERE id = ${campaign.id}`,
        );
        return row?.status;
      };
      await until(async () => (await status()) === 'completed', 'the campaign to complete');
      await kill(second, 'SIGTERM');
      await new Promise<void>((resolve) => smtp.server.close(() => resolve()));

      const recipients = await db.query<{ id: string; status: string; message_id: string | null }>(
        sql`SELECT id, status, message_id FROM campaign_recipients WHERE campaign_id = ${campaign.id}`,
      );
      expect(recipients).toHaveLength(RECIPIENTS);
      expect(recipients.every((row) => row.status === 'sent')).toBe(true);
      const expected = new Set(
        recipients.map((row) => campaignMessageId(campaign.id, row.id, PUBLIC_HOST)),
      );
      expect(recipients.every((row) => row.message_id && expected.has(row.message_id))).toBe(true);

      // None missed: the listener's received set covers every eligible recipient.
      const byId = new Map<string, Set<string>>();
      for (const message of smtp.received) {
        const tos = byId.get(message.messageId) ?? new Set<string>();
        tos.add(message.to);
        byId.set(message.messageId, tos);
      }
      const missed = [...expected].filter((messageId) => !byId.has(messageId));
      expect(missed).toEqual([]);
      expect([...byId.keys()].every((messageId) => expected.has(messageId))).toBe(true);
      // A second copy only of a message accepted before the crash, with the same Message-ID
      // to the same person, and no more than the batch that was in flight.
      const duplicates = smtp.received.length - byId.size;
      expect(duplicates).toBeGreaterThanOrEqual(0);
      expect(duplicates).toBeLessThanOrEqual(MAX_BATCH);
      expect([...byId.values()].every((tos) => tos.size === 1)).toBe(true);

      // The send log has one 'sent' row per recipient, each naming the consent that allowed it.
      const [log] = await db.query<{ sent: number; without_consent: number }>(sql`
        SELECT count(*) FILTER (WHERE status = 'sent')::int AS sent,
          count(*) FILTER (WHERE status = 'sent' AND consent_entry_id IS NULL)::int AS without_consent
        FROM outbound_messages WHERE campaign_id = ${campaign.id}`);
      expect(log).toEqual({ sent: RECIPIENTS, without_consent: 0 });
      process.stderr.write(
        `campaign crash test: ${atCrash} received before the kill, ${smtp.received.length} in all, ${duplicates} resent with the same Message-ID\n`,
      );
    },
    E2E_TIMEOUT_MS + 120_000,
  );
});
