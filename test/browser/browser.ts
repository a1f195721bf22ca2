import { existsSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { serve } from '@hono/node-server';
import { type Browser, chromium } from 'playwright-core';
import { buildTestApp, type TestApp } from '../app.ts';

export const CHROMIUM_PATH = '/usr/bin/chromium';
export const WEB_ROOT = path.resolve(import.meta.dirname, '../../dist/web');

/** Debian's Chromium, headless; never a downloaded browser build. */
export function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(`${CHROMIUM_PATH} is missing: apt-get install chromium`);
  }
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-dev-shm-usage',
    ],
  });
}

export type RunningApp = TestApp & { url: string; close(): Promise<void> };

/** The real app with the built UI, on a free loopback port. */
export async function startTestServer(): Promise<RunningApp> {
  if (!existsSync(path.join(WEB_ROOT, 'index.html'))) {
    throw new Error('The web UI is not built: npm run build');
  }
  const testApp = await buildTestApp({ webRoot: WEB_ROOT });
  // The browser runs on real time: sessions must not look expired against a fixed test clock.
  testApp.deps.now = () => new Date();
  const server = serve({ fetch: testApp.app.fetch, port: 0, hostname: '127.0.0.1' });
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  const { port } = server.address() as AddressInfo;
  return {
    ...testApp,
    url: `http://127.0.0.1:${port}`,
    async close() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await testApp.testDb.drop();
    },
  };
}
