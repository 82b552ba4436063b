import { randomUUID } from 'node:crypto';
import { and, eq, inArray, isNull, sql } from 'drizzle-orm';
import { DEFAULT_LANGUAGE, LANGUAGES, type Language } from '#shared/domain.ts';
import { jsmLink, organization, organizationDomain, user } from '../../db/schema.ts';
import { belongsToOrganization, customerAccount, staffAccount } from '../../policies/accounts.ts';
import type { JsmOrganization, JsmUser } from './jsm-client.ts';
import { count, findLinks, fingerprintOf, refuse, saveLinks, type ImportSession } from './session.ts';

/*
 * Organizations and people of an import (issue 18). People come without passwords: they set one
 * through "forgot password" (a reset link), or sign in by SSO where their domain has it. Someone
 * Guichet already knows by e-mail address is linked, not duplicated, and keeps their role.
 */

/** Mail providers shared by many companies: never taken as an organization's domain. */
const PUBLIC_MAIL_DOMAINS = new Set([
  'gmail.com',
  'googlemail.com',
  'outlook.com',
  'hotmail.com',
  'live.com',
  'msn.com',
  'yahoo.com',
  'icloud.com',
  'me.com',
  'proton.me',
  'protonmail.com',
  'gmx.ch',
  'gmx.de',
  'gmx.net',
  'gmx.at',
  'web.de',
  't-online.de',
  'bluewin.ch',
  'sunrise.ch',
  'orange.fr',
  'free.fr',
  'laposte.net',
  'wanadoo.fr',
]);

const languageOf = (locale: string | undefined): Language => {
  const code = (locale ?? '').slice(0, 2).toLowerCase();
  return (LANGUAGES as readonly string[]).includes(code) ? (code as Language) : DEFAULT_LANGUAGE;
};

const validZone = (zone: string | undefined): string | null => {
  if (!zone) return null;
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return zone;
  } catch {
    return null;
  }
};

/** An organization, created or found by its name (the vendor may have made it already), and linked. */
export async function importOrganization(s: ImportSession, o: JsmOrganization): Promise<string> {
  const now = s.clock.now();
  const fingerprint = fingerprintOf({ name: o.name });
  const link = (await findLinks(s.db, s.site, ['organization'], [o.id])).get(o.id);
  if (link) {
    if (link.fingerprint === fingerprint) {
      count(s, 'organization', 'unchanged');
    } else {
      await s.db.update(organization).set({ name: o.name, updatedAt: now }).where(eq(organization.id, link.localId));
      await saveLinks(s.db, s.site, [{ kind: 'organization', jsmId: o.id, localId: link.localId, fingerprint }], now);
      count(s, 'organization', 'updated');
    }
    return link.localId;
  }
  const [existing] = await s.db.select({ id: organization.id }).from(organization).where(sql`lower(${organization.name}) = lower(${o.name})`).limit(1);
  const id = existing?.id ?? randomUUID();
  if (!existing) await s.db.insert(organization).values({ id, name: o.name, createdAt: now, updatedAt: now });
  await saveLinks(s.db, s.site, [{ kind: 'organization', jsmId: o.id, localId: id, fingerprint }], now);
  count(s, 'organization', existing ? 'updated' : 'created');
  return id;
}

/**
 * A person met in JSM: found by their link, else by their e-mail address, else created (a customer
 * of `organizationId`, or an agent). Someone JSM does not show the address of gets an address that
 * cannot receive mail and a deactivated account, reported: an administrator gives the real one.
 */
export async function importPerson(
  s: ImportSession,
  person: JsmUser,
  as: 'customer' | 'agent',
  organizationId: string | null,
  organizationName?: string,
): Promise<string> {
  const known = s.people.get(person.accountId);
  if (known && !organizationId) return known;
  const now = s.clock.now();
  const link = known ? { localId: known, kind: as } : (await findLinks(s.db, s.site, ['customer', 'agent'], [person.accountId])).get(person.accountId);
  const fingerprint = fingerprintOf({ name: person.displayName });
  if (link) {
    s.people.set(person.accountId, link.localId);
    if (organizationId) await attachToOrganization(s, person, link.localId, organizationId, organizationName);
    if (known) return link.localId;
    const kind = link.kind === 'agent' ? 'agent' : 'customer';
    // A new name in JSM is taken; the address is not: it is how the person signs in here.
    if ('fingerprint' in link && link.fingerprint !== fingerprint && person.displayName) {
      await s.db
        .update(user)
        .set({ name: person.displayName.slice(0, 120), updatedAt: now })
        .where(eq(user.id, link.localId));
      await saveLinks(s.db, s.site, [{ kind, jsmId: person.accountId, localId: link.localId, fingerprint }], now);
      count(s, kind, 'updated');
    } else {
      count(s, kind, 'unchanged');
    }
    return link.localId;
  }
  const email = person.emailAddress?.trim().toLowerCase() || null;
  const [existing] = email ? await s.db.select({ id: user.id, organizationId: user.organizationId }).from(user).where(eq(user.email, email)) : [];
  let id: string;
  if (existing) {
    id = existing.id;
    count(s, as, 'updated');
    if (organizationId && as === 'customer') await attachToOrganization(s, person, id, organizationId, organizationName);
  } else {
    id = randomUUID();
    await s.db.insert(user).values({
      id,
      name: (person.displayName || email || person.accountId).slice(0, 120),
      email: email ?? `jsm-${person.accountId.replace(/[^A-Za-z0-9._-]/g, '-')}@jsm-import.invalid`,
      emailVerified: email !== null,
      role: as,
      banned: email === null,
      banReason: email === null ? 'Imported from JSM without an e-mail address' : null,
      language: languageOf(person.locale),
      timeZone: validZone(person.timeZone),
      organizationId: as === 'customer' ? organizationId : null,
      createdAt: now,
      updatedAt: now,
    });
    count(s, as, 'created');
    if (email === null) {
      refuse(
        s,
        {
          kind: as,
          jsmId: person.accountId,
          label: person.displayName,
          code: 'no_email',
          reason: 'JSM does not show this person’s e-mail address: imported deactivated, with an address that receives no mail.',
        },
        { counted: false },
      );
    }
  }
  await saveLinks(s.db, s.site, [{ kind: as, jsmId: person.accountId, localId: id, fingerprint }], now);
  s.people.set(person.accountId, id);
  return id;
}

/** A customer without an organization joins this one; one already in another stays there, reported (Guichet has one organization per person). */
async function attachToOrganization(s: ImportSession, person: JsmUser, userId: string, organizationId: string, organizationName?: string) {
  const [row] = await s.db.select({ role: user.role, organizationId: user.organizationId }).from(user).where(eq(user.id, userId));
  if (!row || !belongsToOrganization(row.role) || row.organizationId === organizationId) return;
  if (row.organizationId === null) {
    await s.db
      .update(user)
      .set({ organizationId, updatedAt: s.clock.now() })
      .where(and(eq(user.id, userId), isNull(user.organizationId)));
    return;
  }
  refuse(
    s,
    {
      kind: 'customer',
      jsmId: person.accountId,
      label: person.displayName,
      code: 'several_organizations',
      reason: `Member of several JSM organizations; Guichet keeps one per person, so not added to ${organizationName ?? 'another'}. Their requests keep their own organization.`,
    },
    { counted: false },
  );
}

/**
 * Each imported organization gets the e-mail domains of its imported customers, except public mail
 * providers, domains shared with customers of other organizations or of several, and domains
 * another organization has already.
 */
export async function attachDomains(s: ImportSession): Promise<number> {
  const rows = await s.db
    .select({ id: user.id, email: user.email, organizationId: user.organizationId })
    .from(jsmLink)
    .innerJoin(user, eq(user.id, jsmLink.localId))
    .where(and(eq(jsmLink.site, s.site), eq(jsmLink.kind, 'customer'), customerAccount()));
  // A customer of several JSM organizations tells nothing about whose their domain is.
  const several = s.refusals.filter((r) => r.code === 'several_organizations').map((r) => r.jsmId);
  const inSeveral = new Set([...(await findLinks(s.db, s.site, ['customer'], several)).values()].map((l) => l.localId));
  const byDomain = new Map<string, Set<string | null>>();
  for (const r of rows) {
    if (inSeveral.has(r.id)) continue;
    const domain = r.email.split('@')[1]?.toLowerCase();
    if (!domain || domain.endsWith('.invalid') || PUBLIC_MAIL_DOMAINS.has(domain)) continue;
    const orgs = byDomain.get(domain) ?? new Set();
    orgs.add(r.organizationId);
    byDomain.set(domain, orgs);
  }
  const values = [...byDomain]
    .filter(([, orgs]) => orgs.size === 1 && !orgs.has(null))
    .map(([domain, orgs]) => ({ domain, organizationId: [...orgs][0]!, createdAt: s.clock.now() }));
  if (!values.length) return 0;
  const inserted = await s.db.insert(organizationDomain).values(values).onConflictDoNothing().returning({ domain: organizationDomain.domain });
  return inserted.length;
}

/** The Guichet users of JSM accounts already linked, in one read. */
export async function knownPeople(s: ImportSession, accountIds: string[]): Promise<void> {
  const missing = [...new Set(accountIds)].filter((id) => !s.people.has(id));
  const links = await findLinks(s.db, s.site, ['customer', 'agent'], missing);
  for (const [accountId, l] of links) s.people.set(accountId, l.localId);
}

export const staffIds = async (s: ImportSession, ids: string[]) =>
  new Set(
    ids.length
      ? (
          await s.db
            .select({ id: user.id })
            .from(user)
            .where(and(inArray(user.id, ids), staffAccount()))
        ).map((r) => r.id)
      : [],
  );

/**
 * A request whose reporter belongs to no JSM organization (JSM allows it; Guichet does not): the
 * reporter gets an organization named after their e-mail domain (their own name for a public mail
 * provider), found by that name when it exists, so no request is lost; reported.
 */
export async function organizationForLoneCustomer(s: ImportSession, reporter: JsmUser, userId: string): Promise<string> {
  const domain = reporter.emailAddress?.split('@')[1]?.toLowerCase();
  const name = domain && !PUBLIC_MAIL_DOMAINS.has(domain) ? domain : reporter.displayName || reporter.accountId;
  const [existing] = await s.db.select({ id: organization.id }).from(organization).where(sql`lower(${organization.name}) = lower(${name})`).limit(1);
  const now = s.clock.now();
  const id = existing?.id ?? randomUUID();
  if (!existing) {
    await s.db.insert(organization).values({ id, name, createdAt: now, updatedAt: now });
    count(s, 'organization', 'created');
  }
  await s.db
    .update(user)
    .set({ organizationId: id, updatedAt: now })
    .where(and(eq(user.id, userId), isNull(user.organizationId), customerAccount()));
  refuse(
    s,
    {
      kind: 'customer',
      jsmId: reporter.accountId,
      label: reporter.displayName,
      code: 'organization_created',
      reason: `In no JSM organization: put in the organization "${name}"${existing ? '' : ', created for them'}, with their requests.`,
    },
    { counted: false },
  );
  return id;
}
