import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { E2E_TIMEOUT_MS, runCli } from '../../../test/installation.ts';
import { FINDING_CODES } from './site-check.codes.ts';

// The CLI as a process; check-site needs no database.
const FIXTURES = path.resolve(import.meta.dirname, '../../../test/fixtures/site-check');
const env = { ...process.env };
delete env.DATABASE_URL;

let server: Server;
let base = '';

beforeAll(async () => {
  server = createServer((_request, response) => {
    response
      .writeHead(200, { 'content-type': 'text/html; charset=utf-8' })
      .end(readFileSync(path.join(FIXTURES, 'google-analytics.html')));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

type JsonResult = {
  score: number;
  source: string;
  fetched: { finalUrl: string; address: string } | null;
  findings: { code: string; severity: string; message: { ru: string; en: string } }[];
};

describe('soglasie check-site', () => {
  it(
    'prints the findings of a file as JSON and exits 1 on a high-severity finding',
    async () => {
      const run = await runCli(
        'check-site',
        [path.join(FIXTURES, 'prechecked.html'), '--json'],
        env,
      );
      expect(run.stderr).toBe('');
      expect(run.code).toBe(1);
      const result = JSON.parse(run.stdout) as JsonResult;
      expect(result.findings.map((finding) => finding.code)).toEqual([
        'consent_checkbox_prechecked',
      ]);
      expect(result.findings[0]?.severity).toBe('high');
      expect(result.findings[0]?.message.ru).toMatch(/[а-я]/);
      expect(result.fetched).toBeNull();
    },
    E2E_TIMEOUT_MS,
  );

  it(
    'exits 0 on a clean page and writes Russian by default',
    async () => {
      const run = await runCli('check-site', [path.join(FIXTURES, 'good-form.html')], env);
      expect(run.code).toBe(0);
      expect(run.stdout).toMatch(/Оценка: 100\/100/);
      expect(run.stdout).toMatch(/Нарушений не найдено/);
    },
    E2E_TIMEOUT_MS,
  );

  it(
    'refuses a loopback address without --allow-private (exit 2, ssrf_refused)',
    async () => {
      const run = await runCli('check-site', [`${base}/`, '--json'], env);
      expect(run.code).toBe(2);
      expect(run.stderr).toMatch(/ssrf_refused/);
      expect(run.stderr).toMatch(/внутреннюю сеть/);
      expect(JSON.parse(run.stdout)).toMatchObject({ error: { code: 'ssrf_refused' } });
      const metadata = await runCli('check-site', ['http://169.254.169.254/latest/'], env);
      expect(metadata.code).toBe(2);
      expect(metadata.stderr).toMatch(/ssrf_refused/);
    },
    E2E_TIMEOUT_MS,
  );

  it(
    'fetches a local site with --allow-private',
    async () => {
      const run = await runCli('check-site', [`${base}/`, '--json', '--allow-private'], env);
      expect(run.code).toBe(1);
      const result = JSON.parse(run.stdout) as JsonResult;
      expect(result.findings.map((finding) => finding.code)).toEqual(['foreign_tracker']);
      expect(result.fetched).toMatchObject({ finalUrl: `${base}/`, address: '127.0.0.1' });
    },
    E2E_TIMEOUT_MS,
  );

  it(
    'documents every finding code in --help',
    async () => {
      const run = await runCli('check-site', ['--help'], env);
      expect(run.code).toBe(0);
      for (const code of FINDING_CODES) expect(run.stdout).toContain(code);
      const general = await runCli('help', [], env);
      expect(general.stdout).toContain('check-site <url|file>');
    },
    E2E_TIMEOUT_MS,
  );
});
