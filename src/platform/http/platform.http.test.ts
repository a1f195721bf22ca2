import { describe, expect, it } from 'vitest';
import { setupTestApp } from '../../../test/app.ts';
import { Client } from '../../../test/http.ts';
import { ROUTES } from '../../routes.ts';

const getApp = setupTestApp();

type OpenApi = {
  openapi: string;
  paths: Record<
    string,
    Record<
      string,
      { requestBody?: unknown; parameters?: { name: string }[]; responses: Record<string, unknown> }
    >
  >;
};

describe('HTTP platform', () => {
  it('answers /health with the database kind', async () => {
    const answer = await new Client(getApp()).get('/health');
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({
      status: 'ok',
      database: process.env.DATABASE_URL ? 'postgres' : 'pglite',
      version: expect.any(String),
      migrations: expect.any(Number),
    });
  });

  it('describes every route in an OpenAPI 3.1 document generated from the route schemas', async () => {
    const answer = await new Client(getApp()).get<OpenApi>('/openapi.json');
    expect(answer.body.openapi).toBe('3.1.0');
    for (const route of ROUTES) {
      const path = route.path.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
      const operation = answer.body.paths[path]?.[route.method];
      expect(operation, `${route.method} ${path}`).toBeDefined();
      if (route.body) expect(operation?.requestBody, `${route.method} ${path} body`).toBeDefined();
    }
    const login = answer.body.paths['/api/v1/auth/login']?.post as {
      requestBody: {
        content: {
          'application/json': {
            schema: { properties: Record<string, unknown>; additionalProperties: boolean };
          };
        };
      };
    };
    const schema = login.requestBody.content['application/json'].schema;
    expect(Object.keys(schema.properties).sort()).toEqual(['email', 'password']);
    expect(schema.additionalProperties).toBe(false);
    const audit = answer.body.paths['/api/v1/audit-log']?.get;
    expect(audit?.parameters?.map((parameter) => parameter.name)).toEqual(
      expect.arrayContaining(['page', 'pageSize', 'from', 'to', 'action']),
    );
  });

  it('sets security headers and a request id on every answer', async () => {
    const answer = await new Client(getApp()).get('/api/v1/me');
    expect(answer.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    expect(answer.headers.get('x-content-type-options')).toBe('nosniff');
    expect(answer.headers.get('x-frame-options')).toBe('SAMEORIGIN');
    expect(answer.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    // HSTS only where it means something: over HTTPS.
    expect(answer.headers.get('strict-transport-security')).toBeNull();
    const overHttps = await getApp().app.request('https://soglasie.test/health');
    expect(overHttps.headers.get('strict-transport-security')).toContain('max-age');
    expect(answer.headers.get('cache-control')).toBe('no-store');
  });

  it('answers a body over the limit with 413 before reading it', async () => {
    const answer = await new Client(getApp()).call('POST', '/api/v1/auth/login', {
      raw: JSON.stringify({ email: 'a@b.ru', password: 'x'.repeat(300 * 1024) }),
    });
    expect(answer.status).toBe(413);
    expect(answer.body).toMatchObject({ error: { code: 'payload_too_large' } });
  });

  it('refuses a non-JSON body with 415', async () => {
    const answer = await new Client(getApp()).call('POST', '/api/v1/auth/login', {
      raw: 'email=a@b.ru&password=x',
      headers: { 'content-type': 'text/plain' },
    });
    expect(answer.status).toBe(415);
    expect(answer.body).toMatchObject({ error: { code: 'unsupported_media_type' } });
  });
});
