import { createHash, randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { setupTestApp } from '../../test/app.ts';
import { makeCaptureOrg, PROCESSING_PURPOSE } from '../../test/capture-factories.ts';
import { createPurpose } from './purposes.service.ts';

const getApp = setupTestApp();

describe('public consent documents', () => {
  it('shows the exact text with its version, date and SHA-256 at /d/<id>', async () => {
    const testApp = getApp();
    const org = await makeCaptureOrg(testApp);
    const document = org.processing.document;
    if (!document) throw new Error('No document');
    const response = await testApp.app.request(`/d/${document.id}`);
    const page = await response.text();
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/html; charset=utf-8/i);
    expect(response.headers.get('content-security-policy')).toContain("script-src 'none'");
    expect(page).toContain(`<h1>${document.title}</h1>`);
    expect(page).toContain(`Версия ${document.version} от 2 марта 2026 г.`);
    expect(page).toContain(document.sha256);
    // The body shows as is, line for line (it holds no markup characters but quotes).
    const shown = /<pre class="document">([\s\S]*?)<\/pre>/.exec(page)?.[1] ?? '';
    expect(
      shown
        .replace(/&quot;/g, '"')
        .replace(/&#39;/g, "'")
        .replace(/&amp;/g, '&'),
    ).toBe(document.body);
    expect(page).toContain(`href="/d/${document.id}.txt"`);
  });

  it('serves the exact bytes whose SHA-256 is stored at /d/<id>.txt', async () => {
    const testApp = getApp();
    const org = await makeCaptureOrg(testApp);
    for (const document of [org.processing.document, org.advertising.document]) {
      if (!document) throw new Error('No document');
      const response = await testApp.app.request(`/d/${document.id}.txt`);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe('text/plain; charset=utf-8');
      const bytes = Buffer.from(await response.arrayBuffer());
      expect(createHash('sha256').update(bytes).digest('hex')).toBe(document.sha256);
      expect(bytes.toString('utf8')).toBe(document.body);
    }
  });

  it('escapes markup that an operator typed into a purpose', async () => {
    const testApp = getApp();
    const org = await makeCaptureOrg(testApp);
    const purpose = await createPurpose(org.ctx, {
      ...PROCESSING_PURPOSE,
      code: 'xss_check',
      title: 'Запись <script>alert(1)</script> на приём',
    });
    const response = await testApp.app.request(`/d/${purpose.document?.id}`);
    const page = await response.text();
    expect(page).not.toContain('<script>alert(1)</script>');
    expect(page).toContain('Запись &lt;script&gt;alert(1)&lt;/script&gt; на приём');
    const text = await (await testApp.app.request(`/d/${purpose.document?.id}.txt`)).text();
    expect(text).toContain('Запись <script>alert(1)</script> на приём');
  });

  it('answers 404 for an unknown or malformed document address', async () => {
    const testApp = getApp();
    for (const path of [`/d/${randomUUID()}`, `/d/${randomUUID()}.txt`, '/d/not-an-id', '/d/x/y']) {
      const response = await testApp.app.request(path);
      expect(response.status, path).toBe(404);
    }
  });
});
