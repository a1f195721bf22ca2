import { describe, expect, it } from 'vitest';
import { loadConfig } from '../platform/config.ts';

const BASE = { MASTER_KEY: 'ab'.repeat(32) };

describe('messaging settings', () => {
  it('reads DKIM signing and the SMSC-style provider, keeping a one-line PEM key readable', () => {
    const config = loadConfig({
      ...BASE,
      DKIM_DOMAIN: 'clinic.ru',
      DKIM_SELECTOR: 'mail',
      DKIM_PRIVATE_KEY: '-----BEGIN PRIVATE KEY-----\\nAAAA\\n-----END PRIVATE KEY-----',
      SMSC_URL: 'https://smsc.ru/',
      SMSC_LOGIN: 'clinic',
      SMSC_PASSWORD: 'secret',
      SMS_CALLBACK_SECRET: 'hook',
    });
    expect(config.dkim).toEqual({
      domain: 'clinic.ru',
      selector: 'mail',
      privateKey: '-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----',
    });
    expect(config.smsc).toEqual({
      url: 'https://smsc.ru',
      login: 'clinic',
      password: 'secret',
      sender: undefined,
    });
    expect(config.smsCallbackSecret).toBe('hook');
  });

  it('refuses half a DKIM setting and leaves both off when unset', () => {
    expect(() => loadConfig({ ...BASE, DKIM_DOMAIN: 'clinic.ru' })).toThrow(/DKIM_DOMAIN/);
    const config = loadConfig(BASE);
    expect(config.dkim).toBeUndefined();
    expect(config.smsc).toBeUndefined();
  });
});
