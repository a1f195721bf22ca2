import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { E2E_TIMEOUT_MS, runCli } from '../../../test/installation.ts';

// The command reads no database: it runs without DATABASE_URL, DATA_DIR or MASTER_KEY.
const env: NodeJS.ProcessEnv = { ...process.env };
delete env.DATABASE_URL;
delete env.MASTER_KEY;

function csvFile(text: string): string {
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'soglasie-paths-')), 'paths.csv');
  writeFileSync(file, text);
  return file;
}

// The worked example of docs/attribution.md (hand computations in attribution-models.test.ts).
const EXAMPLE = `path,conversions,nulls,value
yandex > vk > direct,2,0,6000
vk > vk > direct,1,1,3000
yandex,0,2,0
direct,1,0,1000
`;

describe('soglasie attribution', () => {
  it(
    'prints every model as JSON, credits rounded to six places keeping the total',
    async () => {
      const file = csvFile(EXAMPLE);
      const result = await runCli(
        'attribution',
        ['--paths', file, '--json', '--half-life-days', '1'],
        env,
      );
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      const output = JSON.parse(result.stdout);
      expect(Object.keys(output.models)).toEqual([
        'first',
        'last',
        'last_non_direct',
        'linear',
        'time_decay',
        'position_based',
        'markov',
        'shapley',
      ]);
      expect(output.models.first).toEqual({ direct: 1, vk: 1, yandex: 2 });
      expect(output.models.last).toEqual({ direct: 4, vk: 0, yandex: 0 });
      expect(output.models.last_non_direct).toEqual({ direct: 1, vk: 3, yandex: 0 });
      expect(output.models.position_based).toEqual({ direct: 2.2, vk: 1, yandex: 0.8 });
      // 20/11, 16/11, 8/11 → 1.818181|818, 1.454545|454, 0.727272|727: the floors leave two
      // units of 1e-6, which go to the two largest remainders (.818 direct, .727 yandex).
      expect(output.models.markov).toEqual({ direct: 1.818182, vk: 1.454545, yandex: 0.727273 });
      // 19/7, 1, 2/7 at a one-day half-life.
      expect(output.models.time_decay).toEqual({ direct: 2.714286, vk: 1, yandex: 0.285714 });
      expect(output.value.shapley).toEqual({ direct: 4500, vk: 3500, yandex: 2000 });
      expect(output.totals).toEqual({ paths: 4, conversions: 4, nulls: 3, value: 10000 });
      for (const credits of Object.values(output.models) as Record<string, number>[]) {
        const units = Object.values(credits).reduce(
          (sum, credit) => sum + Math.round(credit * 1e6),
          0,
        );
        expect(units).toBe(4_000_000);
      }
    },
    E2E_TIMEOUT_MS,
  );

  it(
    'keeps the last N touches with --lookback-days and prints a table without --json',
    async () => {
      const file = csvFile(EXAMPLE);
      const json = await runCli(
        'attribution',
        ['--paths', file, '--json', '--lookback-days', '1'],
        env,
      );
      expect(json.code).toBe(0);
      // One day keeps only the last touch: every model is last touch (yandex stays, on P3's
      // journeys without conversion, with nothing to credit).
      const output = JSON.parse(json.stdout);
      expect(output.models.first).toEqual({ direct: 4, yandex: 0 });
      expect(output.models.shapley).toEqual({ direct: 4, yandex: 0 });
      expect(output.models.markov).toEqual({ direct: 4, yandex: 0 });
      const table = await runCli('attribution', ['--paths', file], env);
      expect(table.code).toBe(0);
      expect(table.stdout).toContain('4 paths, 4 conversions, 3 without conversion, value 10000');
      expect(table.stdout).toMatch(/yandex\s+2\.00\s+0\.00\s+0\.00\s+0\.67/);
    },
    E2E_TIMEOUT_MS,
  );

  it(
    'refuses a bad file with an error per row and a non-zero exit',
    async () => {
      const file = csvFile('path,conversions,nulls,value\nvk,1,0,10\n,1,0,1\nmaps,two,0,5\n');
      const result = await runCli('attribution', ['--paths', file, '--json'], env);
      expect(result.code).toBe(2);
      expect(result.stdout).toBe('');
      expect(result.stderr).toContain('has 2 error(s)');
      expect(result.stderr).toContain('line 3, column path: is empty');
      expect(result.stderr).toContain(
        'line 4, column conversions: must be a whole number ≥ 0, got "two"',
      );
      const missing = await runCli('attribution', ['--json'], env);
      expect(missing.code).toBe(2);
      expect(missing.stderr).toContain('--paths is required');
      const help = await runCli('attribution', ['--help'], env);
      expect(help.code).toBe(0);
      expect(help.stdout).toContain('path,conversions,nulls,value');
    },
    E2E_TIMEOUT_MS,
  );
});
