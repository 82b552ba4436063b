import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { STORAGE_QUOTA_MAX_MB } from '#shared/api.ts';

const blankToUndefined = (value: unknown) => (typeof value === 'string' && value.trim() === '' ? undefined : value);

const urlWithProtocols = (protocols: string[]) => z.url({ protocol: new RegExp(`^(${protocols.join('|')})$`) });

/** Every setting Guichet reads from the environment. README "Configuration" lists the same. */
export const configSchema = z.object({
  PORT: z.preprocess(blankToUndefined, z.coerce.number().int().min(0).max(65535).default(3000)),
  HOST: z.preprocess(blankToUndefined, z.string().min(1).default('127.0.0.1')),
  DATA_DIR: z.preprocess(blankToUndefined, z.string().min(1).default('./data')),
  DATABASE_URL: z.preprocess(blankToUndefined, urlWithProtocols(['postgres', 'postgresql']).optional()),
  BASE_URL: z.preprocess(blankToUndefined, urlWithProtocols(['http', 'https']).optional()),
  SMTP_URL: z.preprocess(blankToUndefined, urlWithProtocols(['smtp', 'smtps']).optional()),
  MAIL_FROM: z.preprocess(blankToUndefined, z.string().min(3).default('Guichet <no-reply@guichet.localhost>')),
  /** Replies to notifications go here, tagged with the request key (support+SUP-12@…); default: MAIL_FROM's address. */
  MAIL_REPLY_TO: z.preprocess(blankToUndefined, z.email().optional()),
  MAIL_MAX_ATTEMPTS: z.preprocess(blankToUndefined, z.coerce.number().int().min(1).max(50).default(10)),
  MAIL_SEND_TIMEOUT_SECONDS: z.preprocess(blankToUndefined, z.coerce.number().int().min(1).max(600).default(60)),
  /** The mailbox replies and new requests arrive in (imap://user:pass@host:143/INBOX or imaps://…:993/INBOX); unset: no mailbox is read. */
  IMAP_URL: z.preprocess(blankToUndefined, urlWithProtocols(['imap', 'imaps']).optional()),
  /** Seconds between two checks of the mailbox when the server does not announce new mail (IDLE). */
  IMAP_POLL_SECONDS: z.preprocess(blankToUndefined, z.coerce.number().int().min(5).max(3600).default(60)),
  /** Folders a read message is moved to once stored: processed, or failed (it could not be stored or read). */
  IMAP_PROCESSED_FOLDER: z.preprocess(blankToUndefined, z.string().min(1).max(200).default('Guichet/Processed')),
  IMAP_FAILED_FOLDER: z.preprocess(blankToUndefined, z.string().min(1).max(200).default('Guichet/Failed')),
  /** Port of the built-in SMTP receiver an MTA forwards mail to; unset: off. */
  INBOUND_SMTP_PORT: z.preprocess(blankToUndefined, z.coerce.number().int().min(0).max(65535).optional()),
  INBOUND_SMTP_HOST: z.preprocess(blankToUndefined, z.string().min(1).default('127.0.0.1')),
  /** Largest e-mail accepted, in MiB (attachments over ATTACHMENT_MAX_MB are refused one by one, the text is kept). */
  INBOUND_MAX_MB: z.preprocess(blankToUndefined, z.coerce.number().int().min(1).max(200).default(50)),
  AUTH_SECRET: z.preprocess(blankToUndefined, z.string().min(32, 'must be at least 32 characters').optional()),
  TRUST_PROXY: z.preprocess(blankToUndefined, z.enum(['true', 'false']).default('false')),
  LOG_LEVEL: z.preprocess(blankToUndefined, z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info')),
  /** Unset: on for the embedded database (the quick start), off with DATABASE_URL (a real deployment). */
  DEMO_DATA: z.preprocess(blankToUndefined, z.enum(['true', 'false']).optional()),
  ATTACHMENT_MAX_MB: z.preprocess(blankToUndefined, z.coerce.number().int().min(1).max(100).default(10)),
  /** Storage of an organization's uploads, in MiB, unless an administrator sets another for it. */
  ORG_STORAGE_QUOTA_MB: z.preprocess(blankToUndefined, z.coerce.number().int().min(1).max(STORAGE_QUOTA_MAX_MB).default(2048)),
  /** Webhook hosts an administrator allows over http and on private addresses (comma-separated names or IP addresses). */
  WEBHOOK_ALLOWED_HOSTS: z.preprocess(blankToUndefined, z.string().max(2000).optional()),
  JSM_IMPORT_ALLOWED_HOSTS: z.preprocess(blankToUndefined, z.string().max(2000).optional()),
  WEBHOOK_MAX_ATTEMPTS: z.preprocess(blankToUndefined, z.coerce.number().int().min(1).max(30).default(10)),
  WEBHOOK_DISABLE_AFTER_FAILURES: z.preprocess(blankToUndefined, z.coerce.number().int().min(1).max(1000).default(15)),
  /** Requests a minute one API token may make (shared by every instance); beyond, 429 with Retry-After. */
  API_TOKEN_RATE_LIMIT: z.preprocess(blankToUndefined, z.coerce.number().int().min(1).max(100000).default(600)),
  /** Origins of identity providers on private addresses (an intranet IdP), comma-separated; others must be public. */
  SSO_PRIVATE_IDP_ORIGINS: z.preprocess(
    blankToUndefined,
    z
      .string()
      .transform((value) =>
        value
          .split(',')
          .map((item) => item.trim())
          .filter(Boolean),
      )
      .pipe(z.array(z.url({ protocol: /^https?$/ }).transform((url) => new URL(url).origin)))
      .default([]),
  ),
});

export type Config = {
  port: number;
  host: string;
  dataDir: string;
  databaseUrl: string | undefined;
  baseUrl: string;
  smtpUrl: string | undefined;
  mailFrom: string;
  /** Address replies go to, before the request-key tag. */
  mailReplyTo: string;
  /** Tries of one e-mail before it goes to the dead letter (Administration → Outbox). */
  mailMaxAttempts: number;
  /** Longest one SMTP delivery may take; a crashed worker's message is taken over twice this after its start. */
  mailSendTimeoutSeconds: number;
  /** The mailbox read for inbound mail (IMAP_URL), or undefined. */
  imapUrl: string | undefined;
  imapPollSeconds: number;
  imapProcessedFolder: string;
  imapFailedFolder: string;
  /** The built-in SMTP receiver's port and host (INBOUND_SMTP_PORT, off when undefined). */
  inboundSmtpPort: number | undefined;
  inboundSmtpHost: string;
  inboundMaxBytes: number;
  authSecret: string;
  trustProxy: boolean;
  logLevel: z.infer<typeof configSchema>['LOG_LEVEL'];
  /** Load the demo data (its accounts have a published password) into an empty database. */
  demoData: boolean;
  attachmentMaxBytes: number;
  /** An organization's storage quota, in MiB, when an administrator has set none for it. */
  orgStorageQuotaMb: number;
  /** Requests a minute per API token (API_TOKEN_RATE_LIMIT). */
  apiTokenRateLimit: number;
  /** Origins allowed to make cookie-authenticated changes. */
  trustedOrigins: string[];
  /** Webhook hosts allowed over http and on private addresses (lower case). */
  webhookAllowedHosts: string[];
  /** Hosts a JSM import may read over http or on a private address (a JSM stand-in on the internal network, the tests' fake). */
  jsmImportAllowedHosts: string[];
  /** Tries of one webhook delivery before it is failed. */
  webhookMaxAttempts: number;
  /** Failed webhook tries in a row after which a subscription is disabled. */
  webhookDisableAfterFailures: number;
  /** Identity providers' origins allowed although private (SSO_PRIVATE_IDP_ORIGINS). */
  ssoPrivateIdpOrigins: string[];
};

export class ConfigError extends Error {
  readonly problems: string[];
  constructor(problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.problems = problems;
  }
}

/** The bare address of `Name <address>`. */
const addressOf = (from: string) => /<([^>]+)>/.exec(from)?.[1]?.trim() ?? from.trim();

const isLoopback = (host: string) => ['127.0.0.1', 'localhost', '::1', '0.0.0.0', '::'].includes(host);

/** Whether replies by e-mail reach Guichet: a mailbox is read, or the SMTP receiver is on. */
export const repliesByEmail = (config: Pick<Config, 'imapUrl' | 'inboundSmtpPort'>) => Boolean(config.imapUrl) || config.inboundSmtpPort !== undefined;

/** Reads and checks the environment once; reports every problem at once. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = configSchema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`));
  }
  const e = parsed.data;
  const baseUrl = (e.BASE_URL ?? `http://localhost:${e.PORT}`).replace(/\/+$/, '');
  const dataDir = path.resolve(e.DATA_DIR);
  const origin = new URL(baseUrl).origin;
  const trustedOrigins = new Set([origin]);
  if (isLoopback(e.HOST)) {
    trustedOrigins.add(`http://localhost:${e.PORT}`);
    trustedOrigins.add(`http://127.0.0.1:${e.PORT}`);
  }
  return {
    port: e.PORT,
    host: e.HOST,
    dataDir,
    databaseUrl: e.DATABASE_URL,
    baseUrl,
    smtpUrl: e.SMTP_URL,
    mailFrom: e.MAIL_FROM,
    mailReplyTo: e.MAIL_REPLY_TO ?? addressOf(e.MAIL_FROM),
    mailMaxAttempts: e.MAIL_MAX_ATTEMPTS,
    mailSendTimeoutSeconds: e.MAIL_SEND_TIMEOUT_SECONDS,
    imapUrl: e.IMAP_URL,
    imapPollSeconds: e.IMAP_POLL_SECONDS,
    imapProcessedFolder: e.IMAP_PROCESSED_FOLDER,
    imapFailedFolder: e.IMAP_FAILED_FOLDER,
    inboundSmtpPort: e.INBOUND_SMTP_PORT,
    inboundSmtpHost: e.INBOUND_SMTP_HOST,
    inboundMaxBytes: e.INBOUND_MAX_MB * 1024 * 1024,
    authSecret: e.AUTH_SECRET ?? readOrCreateSecret(dataDir),
    trustProxy: e.TRUST_PROXY === 'true',
    logLevel: e.LOG_LEVEL,
    // The demo accounts' password is in the README: a PostgreSQL deployment gets them only when asked for by name.
    demoData: e.DEMO_DATA === undefined ? e.DATABASE_URL === undefined : e.DEMO_DATA === 'true',
    attachmentMaxBytes: e.ATTACHMENT_MAX_MB * 1024 * 1024,
    orgStorageQuotaMb: e.ORG_STORAGE_QUOTA_MB,
    apiTokenRateLimit: e.API_TOKEN_RATE_LIMIT,
    trustedOrigins: [...trustedOrigins],
    webhookAllowedHosts: (e.WEBHOOK_ALLOWED_HOSTS ?? '')
      .split(',')
      .map((h) => h.trim().toLowerCase())
      .filter(Boolean),
    jsmImportAllowedHosts: (e.JSM_IMPORT_ALLOWED_HOSTS ?? '')
      .split(',')
      .map((h) => h.trim().toLowerCase())
      .filter(Boolean),
    webhookMaxAttempts: e.WEBHOOK_MAX_ATTEMPTS,
    webhookDisableAfterFailures: e.WEBHOOK_DISABLE_AFTER_FAILURES,
    ssoPrivateIdpOrigins: e.SSO_PRIVATE_IDP_ORIGINS,
  };
}

/** Without AUTH_SECRET, a random secret is kept in DATA_DIR so sessions survive restarts. */
function readOrCreateSecret(dataDir: string): string {
  const file = path.join(dataDir, 'auth-secret');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(dataDir, { recursive: true });
  const secret = randomBytes(32).toString('base64url');
  writeFileSync(file, secret, { mode: 0o600 });
  return secret;
}
