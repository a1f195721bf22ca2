import { createSocket, type Socket } from 'node:dgram';
import type { AddressInfo } from 'node:net';

/**
 * A tiny authoritative DNS server on a loopback UDP port answering TXT questions from a map
 * (name → records); any other name is NXDOMAIN. Enough for node:dns's resolveTxt.
 */
export async function startDnsServer(
  records: Record<string, string[]>,
): Promise<{ address: string; close(): Promise<void> }> {
  const socket: Socket = createSocket('udp4');
  socket.on('message', (query, remote) => {
    const answer = respond(query, records);
    if (answer) socket.send(answer, remote.port, remote.address);
  });
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', () => resolve()));
  const { port } = socket.address() as AddressInfo;
  return {
    address: `127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => socket.close(() => resolve())),
  };
}

function respond(query: Buffer, records: Record<string, string[]>): Buffer | null {
  if (query.length < 12) return null;
  let offset = 12;
  const labels: string[] = [];
  while (offset < query.length) {
    const length = query[offset] ?? 0;
    offset += 1;
    if (length === 0) break;
    labels.push(query.subarray(offset, offset + length).toString('ascii'));
    offset += length;
  }
  const type = query.readUInt16BE(offset);
  const question = query.subarray(12, offset + 4);
  const name = labels.join('.').toLowerCase();
  const found = records[name];
  const answers = type === 16 && found ? found : [];
  const header = Buffer.alloc(12);
  query.copy(header, 0, 0, 2);
  // QR, opcode 0, AA, RD copied, RA; RCODE 3 (NXDOMAIN) when the name is unknown.
  header.writeUInt16BE(0x8400 | (((query[2] ?? 0) & 0x01) << 8) | 0x80 | (found ? 0 : 3), 2);
  header.writeUInt16BE(1, 4);
  header.writeUInt16BE(answers.length, 6);
  const parts = [header, question];
  for (const text of answers) {
    const bytes = Buffer.from(text, 'utf8');
    const chunks: Buffer[] = [];
    for (let start = 0; start < bytes.length || start === 0; start += 255) {
      const chunk = bytes.subarray(start, start + 255);
      chunks.push(Buffer.from([chunk.length]), chunk);
      if (bytes.length === 0) break;
    }
    const data = Buffer.concat(chunks);
    const fixed = Buffer.alloc(12);
    fixed.writeUInt16BE(0xc00c, 0);
    fixed.writeUInt16BE(16, 2);
    fixed.writeUInt16BE(1, 4);
    fixed.writeUInt32BE(300, 6);
    fixed.writeUInt16BE(data.length, 10);
    parts.push(fixed, data);
  }
  return Buffer.concat(parts);
}
