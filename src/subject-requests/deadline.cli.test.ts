import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CLOCK_TYPES, CLOCKS } from './clock.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
const dataDir = mkdtempSync(path.join(tmpdir(), 'soglasie-deadline-'));

// The command must not touch a database: give it an empty data directory that must stay empty,
// a PostgreSQL address where nothing listens, and no MASTER_KEY.
const env: NodeJS.ProcessEnv = {
  ...process.env,
  DATA_DIR: dataDir,
  DATABASE_URL: 'postgres://nobody:nothing@127.0.0.1:1/none',
};
delete env.MASTER_KEY;

function soglasie(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('node', ['bin/soglasie.mjs', ...args], {
      cwd: ROOT,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => {
      stdout += String(chunk);
    });
    child.stderr.on('data', (chunk) => {
      stderr += String(chunk);
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

afterAll(() => {
  rmSync(dataDir, { recursive: true, force: true });
});

describe('soglasie deadline', () => {
  it('prints the due date of a working-day clock on its own line', async () => {
    // 10 working days after 30 Apr 2025, across the May holidays (see clock.test.ts).
    const result = await soglasie('deadline', '--type', 'access', '--received', '2025-04-30');
    expect(result).toEqual({ code: 0, stdout: '2025-05-20\n', stderr: '' });
  });

  it('takes a timestamp by its Moscow date', async () => {
    // 21:00 UTC on 6 May is 00:00 on 7 May in Moscow: due 23 May, not 22 May.
    const result = await soglasie('deadline', '--type=access', '--received=2025-05-06T21:00:00Z');
    expect(result.stdout).toBe('2025-05-23\n');
  });

  it('prints an ISO timestamp for the hour clocks', async () => {
    const result = await soglasie(
      'deadline',
      '--type',
      'incident-24h',
      '--received',
      '2025-04-30T23:30:00Z',
    );
    expect(result).toEqual({ code: 0, stdout: '2025-05-01T23:30:00.000Z\n', stderr: '' });
  });

  it('warns on stderr when the answer rests on the unconfirmed 2027 calendar', async () => {
    // Received Fri 25 Dec 2026: due Tue 19 Jan 2027 (see clock.test.ts).
    const result = await soglasie('deadline', '--type', 'access', '--received', '2026-12-25');
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('2027-01-19\n');
    expect(result.stderr).toMatch(/^warning: .*not yet checked against the Government's decree/);
  });

  it('exits 2 for an unknown clock, a bad date, a missing option or a date outside the calendar', async () => {
    const [unknownType, badDate, missing, dateOnlyForHours, outside, unknownOption] =
      await Promise.all([
        soglasie('deadline', '--type', 'access-forever', '--received', '2025-04-30'),
        soglasie('deadline', '--type', 'access', '--received', '2025-02-30'),
        soglasie('deadline', '--received', '2025-04-30'),
        soglasie('deadline', '--type', 'incident-72h', '--received', '2025-04-30'),
        soglasie('deadline', '--type', 'access', '--received', '2028-01-31'),
        soglasie('deadline', '--type', 'access', '--received', '2025-04-30', '--fast'),
      ]);
    for (const result of [
      unknownType,
      badDate,
      missing,
      dateOnlyForHours,
      outside,
      unknownOption,
    ]) {
      expect(result.code).toBe(2);
      expect(result.stdout).toBe('');
    }
    expect(unknownType.stderr).toMatch(/unknown clock "access-forever"; one of: access, /);
    expect(badDate.stderr).toMatch(/Not a date .*"2025-02-30"/);
    expect(missing.stderr).toMatch(/--type is required/);
    expect(dateOnlyForHours.stderr).toMatch(/counts hours/);
    expect(outside.stderr).toMatch(/No production calendar for 2028-02-01: .*2025–2027 only/);
    expect(unknownOption.stderr).toMatch(/--fast/);
  });

  it('lists every clock with its legal basis, one line each', async () => {
    const result = await soglasie('deadline', '--help');
    expect(result.code).toBe(0);
    const lines = result.stdout.split('\n');
    for (const type of CLOCK_TYPES) {
      const line = lines.find((entry) => entry.trimStart().startsWith(`${type} `));
      expect(line, type).toBeDefined();
      expect(line).toContain(CLOCKS[type].basis);
    }
  });

  it('is listed in the main help', async () => {
    const result = await soglasie('help');
    expect(result.stdout).toMatch(/^ {2}deadline +Print the due date of a legal clock/m);
  });

  it('opened no database', () => {
    expect(readdirSync(dataDir)).toEqual([]);
  });
});
