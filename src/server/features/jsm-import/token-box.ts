import { symmetricDecrypt, symmetricEncrypt } from 'better-auth/crypto';
import { createJsmClient, type JsmClient, type JsmClientOptions } from './jsm-client.ts';

/*
 * The JSM API token of an import is kept for its runs (a job, a resume, a second run), encrypted
 * with the installation's AUTH_SECRET by better-auth's symmetric encryption (the same that keeps
 * two-factor secrets), and never returned by the API.
 */

export const sealToken = (secret: string, token: string): Promise<string> => symmetricEncrypt({ key: secret, data: token });

export async function clientOf(
  secret: string,
  row: { site: string; email: string; tokenEncrypted: string },
  options: Partial<Pick<JsmClientOptions, 'onRateLimit' | 'onRetry' | 'signal' | 'fetch' | 'sleep'>> = {},
): Promise<JsmClient> {
  const token = await symmetricDecrypt({ key: secret, data: row.tokenEncrypted });
  return createJsmClient({ site: row.site, email: row.email, token, ...options });
}
