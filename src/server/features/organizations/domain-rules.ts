import { and, inArray, ne } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.ts';
import { organizationDomain } from '../../db/schema.ts';
import { badRequest, conflict } from '../../errors.ts';
import { isPublicMailDomain } from './domains.ts';

/** Lower-cased, without duplicates, in a stable order; a public mail domain is refused. */
export function normalizeDomains(domains: string[]): string[] {
  const unique = [...new Set(domains.map((d) => d.trim().toLowerCase()))].sort();
  const publicDomain = unique.find(isPublicMailDomain);
  if (publicDomain) {
    throw badRequest('organization.public_domain', `${publicDomain} is a public mail domain and cannot identify an organization.`, 'domains');
  }
  return unique;
}

export const domainTaken = (domain?: string) =>
  conflict('organization.domain_taken', `${domain ?? 'A domain'} already belongs to another organization.`, 'domains');

/** Refuses domains that another organization already owns (the primary key catches the race). */
export async function assertDomainsFree(tx: DbOrTx, domains: string[], organizationId?: string): Promise<void> {
  if (domains.length === 0) return;
  const [taken] = await tx
    .select({ domain: organizationDomain.domain })
    .from(organizationDomain)
    .where(and(inArray(organizationDomain.domain, domains), organizationId ? ne(organizationDomain.organizationId, organizationId) : undefined))
    .limit(1);
  if (taken) throw domainTaken(taken.domain);
}
