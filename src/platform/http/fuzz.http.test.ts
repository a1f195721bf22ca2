import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { setupTestApp } from '../../../test/app.ts';
import { makeOrg } from '../../../test/factories.ts';
import { type Answer, bearerClient, Client, signIn } from '../../../test/http.ts';
import { DEFAULT_BODY_LIMIT } from '../../app.ts';
import { ROUTES } from '../../routes.ts';
import type { RouteSpec } from './route.ts';

const getApp = setupTestApp();

type Caller = { name: string; client: () => Client };

function pathOf(route: RouteSpec, paramValue: (name: string) => string): string {
  return route.path.replace(/:([A-Za-z0-9_]+)/g, (_match, name: string) => paramValue(name));
}

function fieldsOf(schema: z.ZodType | undefined): string[] {
  if (!schema) return [];
  const json = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as {
    properties?: Record<string, unknown>;
  };
  return Object.keys(json.properties ?? {});
}

const WRONG_VALUES: unknown[] = [
  123,
  true,
  null,
  ['a'],
  { nested: { deeper: 1 } },
  'x'.repeat(5000),
  -1.5,
];

type Case = {
  label: string;
  method: string;
  path: string;
  raw?: string;
  headers?: Record<string, string>;
};

/** Every kind of bad input for one route. */
function casesFor(route: RouteSpec): Case[] {
  const method = route.method.toUpperCase();
  const path = pathOf(route, () => randomUUID());
  const cases: Case[] = [];
  if (route.params) {
    cases.push({
      label: 'malformed path id',
      method,
      path: pathOf(route, () => 'not-a-uuid'),
      ...(method === 'GET' ? {} : { raw: '{}' }),
    });
    cases.push({
      label: 'percent garbage in path',
      method,
      path: pathOf(route, () => '%E0%A4%A'),
      ...(method === 'GET' ? {} : { raw: '{}' }),
    });
  }
  const query = route.query
    ? '?page=-3&pageSize=100000&from=yesterday&unknownParam=1'
    : '?unknownParam=1';
  if (method === 'GET') {
    cases.push({ label: 'bad and unknown query', method, path: `${path}${query}` });
    return cases;
  }
  cases.push({ label: 'malformed JSON', method, path, raw: '{"email": "a@b.c", ' });
  cases.push({ label: 'JSON array body', method, path, raw: '[1,2,3]' });
  cases.push({ label: 'JSON scalar body', method, path, raw: '"just a string"' });
  cases.push({
    label: 'unknown field',
    method,
    path,
    raw: JSON.stringify({ unknownField: 'x', isAdmin: true }),
  });
  cases.push({
    label: 'huge body',
    method,
    path,
    raw: JSON.stringify({ padding: 'я'.repeat(DEFAULT_BODY_LIMIT) }),
  });
  cases.push({
    label: 'form-encoded body',
    method,
    path,
    raw: 'email=a%40b.c&password=x',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
  });
  cases.push({
    label: 'deeply nested JSON',
    method,
    path,
    raw: `${'['.repeat(5000)}${']'.repeat(5000)}`,
  });
  const fields = fieldsOf(route.body);
  for (const [index, wrong] of WRONG_VALUES.entries()) {
    const body = Object.fromEntries(fields.map((field) => [field, wrong]));
    if (fields.length === 0) body.extra = wrong;
    cases.push({ label: `wrong types #${index}`, method, path, raw: JSON.stringify(body) });
  }
  return cases;
}

describe('bad input on every registered route', () => {
  let callers: Caller[];

  beforeAll(async () => {
    const testApp = getApp();
    const org = await makeOrg(testApp);
    const owner = await signIn(testApp, org.owner.email, org.owner.password);
    const issued = await owner.post<{ secret: string }>('/api/v1/tokens', {
      name: 'fuzz',
      role: 'owner',
    });
    callers = [
      { name: 'anonymous', client: () => new Client(testApp) },
      { name: 'owner session', client: () => owner },
      { name: 'owner token', client: () => bearerClient(testApp, issued.body.secret) },
    ];
  });

  it('covers every route', () => {
    expect(ROUTES.length).toBeGreaterThanOrEqual(15);
  });

  for (const route of ROUTES) {
    it(`${route.method.toUpperCase()} ${route.path} answers 4xx with a code, never 5xx`, async () => {
      const failures: string[] = [];
      for (const caller of callers) {
        for (const testCase of casesFor(route)) {
          const client = caller.client();
          let answer: Answer<{ error?: { code?: unknown } }>;
          try {
            answer = await client.call(testCase.method, testCase.path, {
              raw: testCase.raw,
              headers: testCase.headers,
            });
          } catch (error) {
            failures.push(`${caller.name} / ${testCase.label}: threw ${String(error)}`);
            continue;
          }
          const isClientError = answer.status >= 400 && answer.status < 500;
          const hasCode = typeof answer.body?.error?.code === 'string';
          if (!isClientError || !hasCode) {
            failures.push(
              `${caller.name} / ${testCase.label}: ${answer.status} ${JSON.stringify(answer.body).slice(0, 200)}`,
            );
          }
        }
      }
      expect(failures).toEqual([]);
    });
  }

  it('answers field-level messages for a wrong login', async () => {
    const client = new Client(getApp());
    const answer = await client.post('/api/v1/auth/login', { email: 'not-an-email', password: 42 });
    expect(answer.status).toBe(400);
    expect(answer.body).toMatchObject({
      error: {
        code: 'validation_failed',
        fields: { email: expect.any(Array), password: expect.any(Array) },
      },
    });
  });

  it('names unknown fields', async () => {
    const client = new Client(getApp());
    const answer = await client.post('/api/v1/auth/login', {
      email: 'a@b.ru',
      password: 'x',
      role: 'owner',
    });
    expect(answer.status).toBe(400);
    expect(answer.body).toMatchObject({ error: { fields: { role: ['Unknown field'] } } });
  });

  it('answers an unknown API path with 404 and a code', async () => {
    const answer = await new Client(getApp()).get('/api/v1/no-such-thing');
    expect(answer.status).toBe(404);
    expect(answer.body).toMatchObject({ error: { code: 'not_found' } });
  });
});
