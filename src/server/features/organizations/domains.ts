import { eq } from 'drizzle-orm';
import commonProviders from 'email-providers/common.json' with { type: 'json' };
import allProviders from 'email-providers/all.json' with { type: 'json' };
import type { DbOrTx } from '../../db/client.ts';
import { organizationDomain } from '../../db/schema.ts';

/** Public mail services: addresses there say nothing about a company, so they cannot be organization domains. */
const EXTRA_PUBLIC_DOMAINS = [
  'bluewin.ch',
  'gmx.ch',
  'gmx.de',
  'gmx.net',
  'gmx.at',
  'web.de',
  't-online.de',
  'sunrise.ch',
  'hispeed.ch',
  'swissonline.ch',
  'protonmail.ch',
  'proton.me',
  'orange.fr',
  'free.fr',
  'laposte.net',
  'sfr.fr',
  'wanadoo.fr',
  'yahoo.fr',
  'hotmail.fr',
  'outlook.fr',
  'live.fr',
  'icloud.com',
  'me.com',
  'mac.com',
];
const PUBLIC_DOMAINS = new Set<string>([...(commonProviders as string[]), ...(allProviders as string[]), ...EXTRA_PUBLIC_DOMAINS]);

export const isPublicMailDomain = (domain: string) => PUBLIC_DOMAINS.has(domain.toLowerCase());

export const domainOfEmail = (email: string) => email.slice(email.lastIndexOf('@') + 1).toLowerCase();

export async function organizationIdForEmail(db: DbOrTx, email: string): Promise<string | null> {
  const domain = domainOfEmail(email);
  if (isPublicMailDomain(domain)) return null;
  const [row] = await db.select({ organizationId: organizationDomain.organizationId }).from(organizationDomain).where(eq(organizationDomain.domain, domain));
  return row?.organizationId ?? null;
}
