import { describe, expect, it } from 'vitest';
import { parseEnv } from '@/lib/platform/env';

describe('parseEnv', () => {
  it('runs with no configuration at all (embedded mode)', () => {
    const env = parseEnv({});
    expect(env.DATABASE_URL).toBeUndefined();
    expect(env.PORT).toBe(3000);
    expect(env.SITREP_MIGRATE_ON_START).toBe(true);
    expect(env.SITREP_DEMO).toBeUndefined();
    expect(env.SITREP_DELIVERY_EXPIRE_SECONDS).toBe(60);
  });

  it('treats empty variables as unset and reads flags', () => {
    const env = parseEnv({ DATABASE_URL: '', SITREP_DEMO: 'true', SITREP_MIGRATE_ON_START: 'false', PORT: '8080' });
    expect(env.DATABASE_URL).toBeUndefined();
    expect(env.SITREP_DEMO).toBe(true);
    expect(env.SITREP_MIGRATE_ON_START).toBe(false);
    expect(env.PORT).toBe(8080);
  });

  it('says which variable is wrong and how to fix it', () => {
    expect(() => parseEnv({ DATABASE_URL: 'mysql://x' })).toThrow(/DATABASE_URL: must be a postgres:\/\/ or postgresql:\/\/ URL/);
    expect(() => parseEnv({ AUTH_SECRET: 'short' })).toThrow(/AUTH_SECRET: must be at least 32 characters; generate one with `openssl rand -base64 32`/);
    expect(() => parseEnv({ SITREP_DEMO: 'maybe' })).toThrow(/SITREP_DEMO: use true or false/);
    expect(() => parseEnv({ PORT: '99999' })).toThrow(/PORT/);
    expect(() => parseEnv({ SITREP_DELIVERY_EXPIRE_SECONDS: '0' })).toThrow(/SITREP_DELIVERY_EXPIRE_SECONDS/);
    expect(parseEnv({ SITREP_DELIVERY_EXPIRE_SECONDS: '6' }).SITREP_DELIVERY_EXPIRE_SECONDS).toBe(6);
  });

  it('reads the SMTP server for e-mail notifications', () => {
    const none = parseEnv({});
    expect(none.SITREP_SMTP_URL).toBeUndefined();
    expect(none.SITREP_SMTP_FROM).toBe('Sitrep <sitrep@localhost>');
    const env = parseEnv({ SITREP_SMTP_URL: 'smtp://user:pass@mail.example.com:587', SITREP_SMTP_FROM: 'Incidents <incidents@example.com>' });
    expect(env.SITREP_SMTP_URL).toBe('smtp://user:pass@mail.example.com:587');
    expect(env.SITREP_SMTP_FROM).toBe('Incidents <incidents@example.com>');
    expect(parseEnv({ SITREP_SMTP_URL: 'smtps://mail.example.com' }).SITREP_SMTP_URL).toBe('smtps://mail.example.com');
    expect(() => parseEnv({ SITREP_SMTP_URL: 'mail.example.com' })).toThrow(/SITREP_SMTP_URL: must be an SMTP URL, e\.g\. smtp:\/\/user:pass@mail\.example\.com:587/);
    expect(() => parseEnv({ SITREP_SMTP_URL: 'https://mail.example.com' })).toThrow(/SITREP_SMTP_URL: must start with smtp:\/\/ or smtps:\/\//);
    expect(() => parseEnv({ SITREP_SMTP_FROM: 'Sitrep' })).toThrow(/SITREP_SMTP_FROM: must hold an e-mail address/);
  });

  it('wants all three OIDC variables or none', () => {
    expect(() => parseEnv({ OIDC_ISSUER: 'https://id.example.com' })).toThrow(/set all three to enable single sign-on, or none/);
    const env = parseEnv({ OIDC_ISSUER: 'https://id.example.com', OIDC_CLIENT_ID: 'sitrep', OIDC_CLIENT_SECRET: 's3cret' });
    expect(env.OIDC_NAME).toBe('Single sign-on');
  });
});
