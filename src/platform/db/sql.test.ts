import { describe, expect, it } from 'vitest';
import { compile, sql } from './sql.ts';

describe('sql tagged template', () => {
  it('turns every value into a numbered parameter, never into text', () => {
    const name = "Robert'); DROP TABLE users;--";
    const query = compile(sql`SELECT * FROM users WHERE name = ${name} AND age > ${30}`);
    expect(query.text).toBe('SELECT * FROM users WHERE name = $1 AND age > $2');
    expect(query.values).toEqual([name, 30]);
  });

  it('numbers parameters of nested fragments in order', () => {
    const filter = sql`org_id = ${'a'} AND role = ${'owner'}`;
    const query = compile(sql`SELECT 1 FROM m WHERE ${filter} AND id = ${7}`);
    expect(query.text).toBe('SELECT 1 FROM m WHERE org_id = $1 AND role = $2 AND id = $3');
    expect(query.values).toEqual(['a', 'owner', 7]);
  });

  it('joins fragments and values with a separator', () => {
    const query = compile(
      sql`IN (${sql.join([1, 2, 3])}) AND ${sql.join([sql`a = ${1}`, sql`b = ${2}`], ' AND ')}`,
    );
    expect(query.text).toBe('IN ($1, $2, $3) AND a = $4 AND b = $5');
    expect(query.values).toEqual([1, 2, 3, 1, 2]);
  });

  it('renders an empty join and the empty fragment as nothing', () => {
    expect(compile(sql`SELECT 1 ${sql.empty}${sql.join([])}`).text).toBe('SELECT 1 ');
  });
});
