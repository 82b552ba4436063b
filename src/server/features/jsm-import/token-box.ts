import { symmetricDecrypt, symmetricEncrypt } from 'better-auth/crypto';
import { Agent, fetch as undiciFetch } from 'undici';
import { guardedLookup, isAllowedHost } from '../webhooks/url-safety.ts';
import { createJsmClient, type JsmClient, type JsmClientOptions } from './jsm-client.ts';

/*
 * How an import reaches JSM. The API token is kept for the import's runs (a job, a resume, a
 * second run), encrypted with the installation's AUTH_SECRET by better-auth's symmetric encryption
 * (the same that keeps two-factor secrets), and never returned by the API. Connections go through
 * the webhooks' guarded DNS lookup: a site name that resolves to a private, loopback or link-local
 * address is refused at connection time (and so is a redirect there), unless its host is in
 * JSM_IMPORT_ALLOWED_HOSTS.
 */

export const sealToken = (secret: string, token: string): Promise<string> => symmetricEncrypt({ key: secret, data: token });

/** fetch through an agent whose every connection's address is checked. */
export function guardedFetch(site: string, allowedHosts: readonly string[]): typeof fetch {
  const dispatcher = new Agent({ connect: { lookup: guardedLookup(isAllowedHost(new URL(site), allowedHosts)) } });
  return ((input: Parameters<typeof fetch>[0], init?: RequestInit) =>
    undiciFetch(input as Parameters<typeof undiciFetch>[0], { ...(init as Parameters<typeof undiciFetch>[1]), dispatcher })) as unknown as typeof fetch;
}

export function siteClient(site: string, email: string, token: string, allowedHosts: readonly string[], options: Partial<JsmClientOptions> = {}): JsmClient {
  return createJsmClient({ site, email, token, fetch: guardedFetch(site, allowedHosts), ...options });
}

export async function clientOf(
  config: { authSecret: string; jsmImportAllowedHosts: readonly string[] },
  row: { site: string; email: string; tokenEncrypted: string },
  options: Partial<Pick<JsmClientOptions, 'onRateLimit' | 'onRetry' | 'signal' | 'sleep'>> = {},
): Promise<JsmClient> {
  const token = await symmetricDecrypt({ key: config.authSecret, data: row.tokenEncrypted });
  return siteClient(row.site, row.email, token, config.jsmImportAllowedHosts, options);
}
