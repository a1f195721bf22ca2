import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A local stand-in for an SMSC.ru-style provider: /sys/send.php answers {"id", "cnt"}. */
export function startSmsc(): Promise<{ server: Server; url: string; sent: URLSearchParams[] }> {
  const sent: URLSearchParams[] = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const form = new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
      sent.push(form);
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(
        request.url === '/sys/send.php' && form.get('fmt') === '3'
          ? JSON.stringify({ id: 7000 + sent.length, cnt: 1 })
          : JSON.stringify({ error: 'parameters error', error_code: 1 }),
      );
    });
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve({ server, url: `http://127.0.0.1:${port}`, sent });
    });
  });
}
