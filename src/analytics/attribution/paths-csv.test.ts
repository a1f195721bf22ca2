import { describe, expect, it } from 'vitest';
import { formatCsvError, parsePathsCsv } from './paths-csv.ts';

describe('parsePathsCsv', () => {
  it('reads rows, trims channels and accepts the columns in any order', () => {
    const result = parsePathsCsv(
      '\uFEFFvalue,path,nulls,conversions\n1500.50,yandex_direct >  vk_ads>direct,3,2\n\n0,maps,1,0\n',
    );
    expect(result).toEqual({
      ok: true,
      rows: [
        { path: 'yandex_direct > vk_ads > direct', conversions: 2, nulls: 3, value: 1500.5 },
        { path: 'maps', conversions: 0, nulls: 1, value: 0 },
      ],
    });
  });

  it('reports every bad row with its line, column and reason', () => {
    const result = parsePathsCsv(
      [
        'path,conversions,nulls,value',
        'vk > direct,1,0,100',
        ',1,0,10',
        'vk >  > direct,-1,x,10',
        'maps,1.5,0,"1,5"',
        'email,0,2,300',
        'sms,1,0',
      ].join('\n'),
    );
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors.map(formatCsvError)).toEqual([
      'line 3, column path: is empty',
      'line 4, column path: has an empty channel (channels are separated by " > ")',
      'line 4, column conversions: must be a whole number ≥ 0, got "-1"',
      'line 4, column nulls: must be a whole number ≥ 0, got "x"',
      'line 5, column conversions: must be a whole number ≥ 0, got "1.5"',
      'line 5, column value: must be a number ≥ 0 with a dot for decimals, got "1,5"',
      'line 6, column value: must be 0 when conversions is 0',
      'line 7: has 3 fields, the header has 4',
    ]);
  });

  it('refuses a wrong header', () => {
    const result = parsePathsCsv('path,conversions,value,revenue\nvk,1,2,3\n');
    expect(result).toEqual({
      ok: false,
      errors: [
        {
          line: 1,
          column: null,
          reason:
            'the header must be path,conversions,nulls,value: missing nulls; unknown "revenue"',
        },
      ],
    });
  });

  it('refuses an empty file and broken quoting', () => {
    expect(parsePathsCsv('')).toMatchObject({
      ok: false,
      errors: [{ reason: 'the file is empty' }],
    });
    const broken = parsePathsCsv('path,conversions,nulls,value\n"vk,1,0,1\n');
    expect(broken.ok).toBe(false);
  });
});
