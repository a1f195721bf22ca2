import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { setupTestApp } from '../../../test/app.ts';

const getApp = setupTestApp();

describe('GET /embed.js', () => {
  it('serves the snippet to other sites, under 15 KB gzipped', async () => {
    const response = await getApp().app.request('/embed.js');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(response.headers.get('cross-origin-resource-policy')).toBe('cross-origin');
    const script = await response.text();
    expect(script.length).toBeGreaterThan(1000);
    expect(gzipSync(Buffer.from(script)).length).toBeLessThan(15 * 1024);
  });

  it('stores nothing on the device and calls no one but its own server (R-E0, R-L1)', async () => {
    const script = await (await getApp().app.request('/embed.js')).text();
    for (const forbidden of [
      'cookie',
      'localStorage',
      'sessionStorage',
      'indexedDB',
      'sendBeacon',
    ]) {
      expect(script, forbidden).not.toContain(forbidden);
    }
    // No address of another host: requests go to the origin the script was loaded from.
    expect(script.match(/https?:\/\/[\w.-]+/g) ?? []).toEqual([]);
    expect(script).toContain('credentials:"omit"');
  });
});
