import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.ts';

const SECRET = 'a-secret-that-is-long-enough-0123456789';
const dirs: string[] = [];
const tmpDir = () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'guichet-config-'));
  dirs.push(dir);
  return dir;
};
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

const problemsOf = (env: NodeJS.ProcessEnv): string[] => {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected a ConfigError');
};

describe('loadConfig', () => {
  it('has defaults that run on one machine with no setting at all', () => {
    const config = loadConfig({ AUTH_SECRET: SECRET });
    expect(config).toEqual({
      port: 3000,
      host: '127.0.0.1',
      dataDir: path.resolve('./data'),
      databaseUrl: undefined,
      baseUrl: 'http://localhost:3000',
      smtpUrl: undefined,
      mailFrom: 'Guichet <no-reply@guichet.localhost>',
      mailReplyTo: 'no-reply@guichet.localhost',
      mailMaxAttempts: 10,
      mailSendTimeoutSeconds: 60,
      imapUrl: undefined,
      imapPollSeconds: 60,
      imapProcessedFolder: 'Guichet/Processed',
      imapFailedFolder: 'Guichet/Failed',
      inboundSmtpPort: undefined,
      inboundSmtpHost: '127.0.0.1',
      inboundMaxBytes: 50 * 1024 * 1024,
      authSecret: SECRET,
      trustProxy: false,
      logLevel: 'info',
      demoData: true,
      attachmentMaxBytes: 10 * 1024 * 1024,
      orgStorageQuotaMb: 2048,
      apiTokenRateLimit: 600,
      trustedOrigins: ['http://localhost:3000', 'http://127.0.0.1:3000'],
      webhookAllowedHosts: [],
      jsmImportAllowedHosts: [],
      webhookMaxAttempts: 10,
      webhookDisableAfterFailures: 15,
      ssoPrivateIdpOrigins: [],
    });
  });

  it('reads the private identity providers’ origins, and refuses what is not an http(s) URL', () => {
    expect(
      loadConfig({ AUTH_SECRET: SECRET, SSO_PRIVATE_IDP_ORIGINS: ' https://idp.intranet.example/realms/x , http://10.0.0.5:8080 ' }).ssoPrivateIdpOrigins,
    ).toEqual(['https://idp.intranet.example', 'http://10.0.0.5:8080']);
    expect(() => loadConfig({ AUTH_SECRET: SECRET, SSO_PRIVATE_IDP_ORIGINS: 'ftp://idp.example' })).toThrow(/SSO_PRIVATE_IDP_ORIGINS/);
  });

  it('treats blank settings as unset', () => {
    const config = loadConfig({ AUTH_SECRET: SECRET, PORT: '', HOST: '  ', BASE_URL: '', SMTP_URL: '', DATABASE_URL: '', LOG_LEVEL: '' });
    expect(config).toMatchObject({
      port: 3000,
      host: '127.0.0.1',
      baseUrl: 'http://localhost:3000',
      smtpUrl: undefined,
      databaseUrl: undefined,
      logLevel: 'info',
    });
  });

  it('reads every setting', () => {
    const config = loadConfig({
      PORT: '8080',
      HOST: '0.0.0.0',
      DATA_DIR: '/var/lib/guichet',
      DATABASE_URL: 'postgresql://guichet:pw@db:5432/guichet',
      BASE_URL: 'https://support.example.com/',
      SMTP_URL: 'smtps://user:pw@mail.example.com:465',
      MAIL_FROM: 'Support <support@example.com>',
      AUTH_SECRET: SECRET,
      TRUST_PROXY: 'true',
      LOG_LEVEL: 'warn',
      DEMO_DATA: 'false',
      ATTACHMENT_MAX_MB: '25',
      ORG_STORAGE_QUOTA_MB: '500',
      API_TOKEN_RATE_LIMIT: '120',
      MAIL_REPLY_TO: 'support+replies@example.com',
      MAIL_MAX_ATTEMPTS: '4',
      MAIL_SEND_TIMEOUT_SECONDS: '20',
      IMAP_URL: 'imaps://support%40example.com:pw@imap.example.com:993/INBOX',
      IMAP_POLL_SECONDS: '30',
      IMAP_PROCESSED_FOLDER: 'Done',
      IMAP_FAILED_FOLDER: 'Broken',
      INBOUND_SMTP_PORT: '2525',
      INBOUND_SMTP_HOST: '0.0.0.0',
      INBOUND_MAX_MB: '25',
    });
    expect(config).toMatchObject({
      port: 8080,
      host: '0.0.0.0',
      dataDir: '/var/lib/guichet',
      databaseUrl: 'postgresql://guichet:pw@db:5432/guichet',
      baseUrl: 'https://support.example.com',
      smtpUrl: 'smtps://user:pw@mail.example.com:465',
      mailFrom: 'Support <support@example.com>',
      trustProxy: true,
      logLevel: 'warn',
      demoData: false,
      attachmentMaxBytes: 25 * 1024 * 1024,
      orgStorageQuotaMb: 500,
      apiTokenRateLimit: 120,
      mailReplyTo: 'support+replies@example.com',
      mailMaxAttempts: 4,
      mailSendTimeoutSeconds: 20,
      imapUrl: 'imaps://support%40example.com:pw@imap.example.com:993/INBOX',
      imapPollSeconds: 30,
      imapProcessedFolder: 'Done',
      imapFailedFolder: 'Broken',
      inboundSmtpPort: 2525,
      inboundSmtpHost: '0.0.0.0',
      inboundMaxBytes: 25 * 1024 * 1024,
    });
  });

  it('reports every problem at once, each naming its setting', () => {
    const problems = problemsOf({
      PORT: 'abc',
      DATABASE_URL: 'mysql://db/guichet',
      BASE_URL: 'ftp://example.com',
      SMTP_URL: 'http://x',
      AUTH_SECRET: 'short',
      TRUST_PROXY: 'yes',
      LOG_LEVEL: 'loud',
      DEMO_DATA: 'maybe',
      MAIL_REPLY_TO: 'not an address',
      MAIL_MAX_ATTEMPTS: '0',
      ORG_STORAGE_QUOTA_MB: '0',
      API_TOKEN_RATE_LIMIT: '0',
      IMAP_URL: 'http://mail.example.com',
    });
    const named = problems.map((p) => p.split(':')[0]).sort();
    expect(named).toEqual([
      'API_TOKEN_RATE_LIMIT',
      'AUTH_SECRET',
      'BASE_URL',
      'DATABASE_URL',
      'DEMO_DATA',
      'IMAP_URL',
      'LOG_LEVEL',
      'MAIL_MAX_ATTEMPTS',
      'MAIL_REPLY_TO',
      'ORG_STORAGE_QUOTA_MB',
      'PORT',
      'SMTP_URL',
      'TRUST_PROXY',
    ]);
    expect(problems.find((p) => p.startsWith('AUTH_SECRET'))).toContain('at least 32 characters');
  });

  it('loads the demo data by default on the embedded database only: on PostgreSQL, only when DEMO_DATA=true says so', () => {
    expect(loadConfig({ AUTH_SECRET: SECRET }).demoData).toBe(true);
    expect(loadConfig({ AUTH_SECRET: SECRET, DEMO_DATA: 'false' }).demoData).toBe(false);
    const postgres = { AUTH_SECRET: SECRET, DATABASE_URL: 'postgres://guichet@db:5432/guichet' };
    expect(loadConfig(postgres).demoData).toBe(false);
    expect(loadConfig({ ...postgres, DEMO_DATA: '' }).demoData).toBe(false);
    expect(loadConfig({ ...postgres, DEMO_DATA: 'false' }).demoData).toBe(false);
    expect(loadConfig({ ...postgres, DEMO_DATA: 'true' }).demoData).toBe(true);
  });

  it('refuses an organization storage quota that is not a whole number of MiB from 1 to 1 TiB', () => {
    for (const bad of ['0', '-5', '1.5', 'lots', String(1024 * 1024 + 1)]) {
      expect(problemsOf({ AUTH_SECRET: SECRET, ORG_STORAGE_QUOTA_MB: bad }), bad).toEqual([expect.stringMatching(/^ORG_STORAGE_QUOTA_MB: /)]);
    }
    expect(loadConfig({ AUTH_SECRET: SECRET, ORG_STORAGE_QUOTA_MB: String(1024 * 1024) }).orgStorageQuotaMb).toBe(1024 * 1024);
  });

  it('refuses ports out of range', () => {
    expect(problemsOf({ PORT: '70000', AUTH_SECRET: SECRET })).toHaveLength(1);
    expect(problemsOf({ PORT: '-1', AUTH_SECRET: SECRET })).toHaveLength(1);
    expect(problemsOf({ PORT: '80.5', AUTH_SECRET: SECRET })).toHaveLength(1);
  });

  it('puts every problem in the message of the error', () => {
    expect(() => loadConfig({ PORT: 'abc', SMTP_URL: 'http://x' })).toThrow(/Invalid configuration:\n {2}- PORT: .*\n {2}- SMTP_URL: /);
  });

  it('derives BASE_URL from PORT when it is not set', () => {
    expect(loadConfig({ AUTH_SECRET: SECRET, PORT: '4100' }).baseUrl).toBe('http://localhost:4100');
    expect(loadConfig({ AUTH_SECRET: SECRET, PORT: '4100', BASE_URL: 'https://portal.example.ch' }).baseUrl).toBe('https://portal.example.ch');
  });

  it('trusts the BASE_URL origin, and the local addresses only when listening on this machine', () => {
    expect(loadConfig({ AUTH_SECRET: SECRET, PORT: '4100' }).trustedOrigins).toEqual(['http://localhost:4100', 'http://127.0.0.1:4100']);
    expect(loadConfig({ AUTH_SECRET: SECRET, PORT: '4100', HOST: 'localhost', BASE_URL: 'https://portal.example.ch/guichet/' })).toMatchObject({
      baseUrl: 'https://portal.example.ch/guichet',
      trustedOrigins: ['https://portal.example.ch', 'http://localhost:4100', 'http://127.0.0.1:4100'],
    });
    expect(loadConfig({ AUTH_SECRET: SECRET, PORT: '4100', HOST: '10.0.0.5', BASE_URL: 'https://portal.example.ch' }).trustedOrigins).toEqual([
      'https://portal.example.ch',
    ]);
  });

  it('without AUTH_SECRET, creates a secret in DATA_DIR once and keeps it', () => {
    const dataDir = tmpDir();
    const first = loadConfig({ DATA_DIR: dataDir }).authSecret;
    expect(first.length).toBeGreaterThanOrEqual(32);
    const file = path.join(dataDir, 'auth-secret');
    expect(readFileSync(file, 'utf8').trim()).toBe(first);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(loadConfig({ DATA_DIR: dataDir }).authSecret).toBe(first);
    expect(loadConfig({ DATA_DIR: tmpDir() }).authSecret).not.toBe(first);
  });
});
