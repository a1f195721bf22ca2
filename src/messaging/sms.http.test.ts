import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWebhookSmsSender, SmsSendError } from './sms.ts';

type Received = { method: string; path: string; headers: IncomingMessage['headers']; body: string };

/** A real HTTP listener standing in for the SMS provider; answers with the status it is told. */
function startProvider(): Promise<{
  server: Server;
  url: string;
  received: Received[];
  setStatus(status: number): void;
}> {
  const received: Received[] = [];
  let status = 202;
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      received.push({
        method: request.method ?? '',
        path: request.url ?? '',
        headers: request.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      });
      response.writeHead(status, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ error: 'number +79160000000 is blocked' }));
    });
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve({
        server,
        url: `http://127.0.0.1:${port}/sms/send`,
        received,
        setStatus: (next) => {
          status = next;
        },
      });
    });
  });
}

describe('SMS webhook adapter', () => {
  let provider: Awaited<ReturnType<typeof startProvider>>;
  beforeAll(async () => {
    provider = await startProvider();
  });
  afterAll(() => new Promise<void>((resolve) => provider.server.close(() => resolve())));

  it('posts {to, text} as JSON with the bearer token', async () => {
    const sender = createWebhookSmsSender({ url: provider.url, token: 'secret-token' });
    expect(sender.isConfigured).toBe(true);
    provider.setStatus(202);
    await sender.send({ to: '+79161234567', text: 'Код: 123456' });
    const last = provider.received.at(-1);
    expect(last?.method).toBe('POST');
    expect(last?.path).toBe('/sms/send');
    expect(last?.headers.authorization).toBe('Bearer secret-token');
    expect(last?.headers['content-type']).toBe('application/json');
    expect(JSON.parse(last?.body ?? '')).toEqual({ to: '+79161234567', text: 'Код: 123456' });
  });

  it('turns a refusal into an SmsSendError that carries the status and not the body', async () => {
    const sender = createWebhookSmsSender({ url: provider.url, token: undefined });
    provider.setStatus(403);
    const error = await sender.send({ to: '+79160000000', text: 'x' }).catch((caught) => caught);
    expect(error).toBeInstanceOf(SmsSendError);
    expect(error).toMatchObject({ status: 403 });
    expect(String((error as Error).message)).not.toContain('79160000000');
    expect(provider.received.at(-1)?.headers.authorization).toBeUndefined();
  });

  it('reports an unreachable provider without the number', async () => {
    const closed = await startProvider();
    await new Promise<void>((resolve) => closed.server.close(() => resolve()));
    const sender = createWebhookSmsSender({ url: closed.url, token: 't', timeoutMs: 2000 });
    const error = await sender.send({ to: '+79160000000', text: 'x' }).catch((caught) => caught);
    expect(error).toBeInstanceOf(SmsSendError);
    expect(error).toMatchObject({ status: null });
  });

  it('is not configured without a URL and refuses to pretend', async () => {
    const sender = createWebhookSmsSender({ url: undefined, token: undefined });
    expect(sender.isConfigured).toBe(false);
    await expect(sender.send({ to: '+79160000000', text: 'x' })).rejects.toThrow(/SMS_WEBHOOK_URL/);
  });
});
