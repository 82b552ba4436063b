import { randomUUID } from 'node:crypto';
import { and, eq, ne } from 'drizzle-orm';
import type { CreateSsoProvider, SsoProviderView, UpdateSsoProvider } from '#shared/sso-api.ts';
import type { Clock } from '../../clock.ts';
import type { Config } from '../../config.ts';
import type { Db, DbOrTx } from '../../db/client.ts';
import { isUniqueViolation } from '../../db/pg-errors.ts';
import { organization, organizationDomain, ssoProvider } from '../../db/schema.ts';
import { badRequest, conflict, notFound } from '../../errors.ts';
import { recordAudit } from '../audit/record-audit.ts';
import { isPublicMailDomain } from '../organizations/domains.ts';
import { getSsoProvider, parseOidc, parseSaml, samlSpEntityId } from './list-sso-providers.ts';

type Deps = { db: Db; clock: Clock; config: Pick<Config, 'baseUrl'> };

const domainHasProvider = (domain: string) => conflict('sso.domain_has_provider', `${domain} already signs in through another identity provider.`, 'domain');

/**
 * A customer provider's domain must be one of its organization's (that is what makes its users that
 * organization's customers); a staff provider's must belong to no organization. Public mail domains never.
 */
async function assertDomainFits(tx: DbOrTx, domain: string, organizationId: string | null): Promise<void> {
  if (isPublicMailDomain(domain)) throw badRequest('sso.public_domain', `${domain} is a public mail domain: its users are no company's.`, 'domain');
  const [owner] = await tx.select({ organizationId: organizationDomain.organizationId }).from(organizationDomain).where(eq(organizationDomain.domain, domain));
  if (organizationId === null) {
    if (owner) throw badRequest('sso.staff_domain_of_organization', `${domain} is a customer organization's domain.`, 'domain');
  } else if (owner?.organizationId !== organizationId) {
    throw badRequest('sso.domain_not_of_organization', `${domain} is not a domain of this organization.`, 'domain');
  }
}

const oidcConfig = (input: { issuer: string; discoveryUrl?: string | null; clientId: string; clientSecret: string }) =>
  JSON.stringify({
    issuer: input.issuer,
    clientId: input.clientId,
    clientSecret: input.clientSecret,
    discoveryEndpoint: input.discoveryUrl ?? `${input.issuer.replace(/\/+$/, '')}/.well-known/openid-configuration`,
    pkce: true,
  });

const samlConfig = (input: { spEntityId: string; issuer: string; entryPoint: string; certificate: string }) =>
  JSON.stringify({
    issuer: input.spEntityId,
    audience: input.spEntityId,
    entryPoint: input.entryPoint,
    cert: input.certificate,
    idpMetadata: { entityID: input.issuer, cert: input.certificate },
    spMetadata: {},
    wantAssertionsSigned: true,
    identifierFormat: 'urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress',
  });

export async function createSsoProvider(deps: Deps, options: { actorId: string; input: CreateSsoProvider }): Promise<SsoProviderView> {
  const { db, clock, config } = deps;
  const { input } = options;
  const providerId = `${input.protocol}-${randomUUID().slice(0, 8)}`;
  const id = randomUUID();
  const now = clock.now();
  try {
    await db.transaction(async (tx) => {
      if (input.organizationId) {
        const [org] = await tx.select({ id: organization.id }).from(organization).where(eq(organization.id, input.organizationId));
        if (!org) throw badRequest('sso.organization_not_found', 'The organization does not exist.', 'organizationId');
      }
      await assertDomainFits(tx, input.domain, input.organizationId);
      const [taken] = await tx.select({ id: ssoProvider.id }).from(ssoProvider).where(eq(ssoProvider.domain, input.domain));
      if (taken) throw domainHasProvider(input.domain);
      await tx.insert(ssoProvider).values({
        id,
        providerId,
        issuer: input.issuer,
        domain: input.domain,
        organizationId: input.organizationId,
        forStaff: input.forStaff,
        enabled: input.enabled,
        userId: options.actorId,
        oidcConfig: input.protocol === 'oidc' ? oidcConfig({ ...input, clientId: input.clientId!, clientSecret: input.clientSecret! }) : null,
        samlConfig:
          input.protocol === 'saml'
            ? samlConfig({
                spEntityId: samlSpEntityId(config.baseUrl, providerId),
                issuer: input.issuer,
                entryPoint: input.entryPoint!,
                certificate: input.certificate!,
              })
            : null,
        createdAt: now,
        updatedAt: now,
      });
      await recordAudit(tx, {
        at: now,
        actorId: options.actorId,
        action: 'sso_provider.created',
        targetType: 'sso_provider',
        targetId: id,
        details: {
          providerId,
          protocol: input.protocol,
          domain: input.domain,
          organizationId: input.organizationId,
          forStaff: input.forStaff,
          enabled: input.enabled,
        },
      });
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw domainHasProvider(input.domain);
    throw error;
  }
  return getSsoProvider(db, config.baseUrl, id);
}

export async function updateSsoProvider(deps: Deps, options: { actorId: string; id: string; changes: UpdateSsoProvider }): Promise<SsoProviderView> {
  const { db, clock, config } = deps;
  const { changes, id } = options;
  const now = clock.now();
  try {
    await db.transaction(async (tx) => {
      const [current] = await tx.select().from(ssoProvider).where(eq(ssoProvider.id, id)).for('update');
      if (!current) throw notFound('sso_provider');
      const oidc = parseOidc(current);
      const saml = parseSaml(current);
      const offProtocol = (oidc ? (['entryPoint', 'certificate'] as const) : (['discoveryUrl', 'clientId', 'clientSecret'] as const)).find(
        (field) => changes[field] !== undefined,
      );
      if (offProtocol) throw badRequest('sso.field_of_other_protocol', `${offProtocol} does not apply to this provider's protocol.`, offProtocol);
      const domain = changes.domain ?? current.domain;
      if (domain !== current.domain) {
        await assertDomainFits(tx, domain, current.organizationId);
        const [taken] = await tx
          .select({ id: ssoProvider.id })
          .from(ssoProvider)
          .where(and(eq(ssoProvider.domain, domain), ne(ssoProvider.id, id)));
        if (taken) throw domainHasProvider(domain);
      }
      const issuer = changes.issuer ?? current.issuer;
      const next = {
        domain,
        issuer,
        enabled: changes.enabled ?? current.enabled,
        oidcConfig: oidc
          ? oidcConfig({
              issuer,
              discoveryUrl: changes.discoveryUrl === undefined ? oidc.discoveryEndpoint : changes.discoveryUrl,
              clientId: changes.clientId ?? oidc.clientId,
              clientSecret: changes.clientSecret ?? oidc.clientSecret,
            })
          : null,
        samlConfig: saml
          ? samlConfig({ spEntityId: saml.issuer, issuer, entryPoint: changes.entryPoint ?? saml.entryPoint, certificate: changes.certificate ?? saml.cert })
          : null,
      };
      // What changed, by name; the secret only as "changed".
      const changed = Object.keys(changes).filter((key) => {
        if (key === 'clientSecret') return changes.clientSecret !== oidc?.clientSecret;
        const before =
          key === 'discoveryUrl'
            ? oidc?.discoveryEndpoint
            : key === 'entryPoint'
              ? saml?.entryPoint
              : key === 'certificate'
                ? saml?.cert
                : key === 'clientId'
                  ? oidc?.clientId
                  : current[key as 'domain' | 'issuer' | 'enabled'];
        return before !== changes[key as keyof UpdateSsoProvider];
      });
      if (changed.length === 0) return;
      await tx
        .update(ssoProvider)
        .set({ ...next, updatedAt: now })
        .where(eq(ssoProvider.id, id));
      const shown = (key: string, value: unknown) => (key === 'clientSecret' || key === 'certificate' ? '(changed)' : value);
      await recordAudit(tx, {
        at: now,
        actorId: options.actorId,
        action: 'sso_provider.updated',
        targetType: 'sso_provider',
        targetId: id,
        details: {
          providerId: current.providerId,
          changes: Object.fromEntries(changed.map((key) => [key, shown(key, changes[key as keyof UpdateSsoProvider])])),
        },
      });
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw domainHasProvider(changes.domain ?? '');
    throw error;
  }
  return getSsoProvider(db, config.baseUrl, id);
}

/** Removes a provider; its users keep their accounts (and sign in with a password, or a reset link, from now on). */
export async function deleteSsoProvider(deps: Deps, options: { actorId: string; id: string }): Promise<void> {
  const { db, clock } = deps;
  await db.transaction(async (tx) => {
    const [removed] = await tx.delete(ssoProvider).where(eq(ssoProvider.id, options.id)).returning();
    if (!removed) throw notFound('sso_provider');
    await recordAudit(tx, {
      at: clock.now(),
      actorId: options.actorId,
      action: 'sso_provider.deleted',
      targetType: 'sso_provider',
      targetId: removed.id,
      details: { providerId: removed.providerId, domain: removed.domain, organizationId: removed.organizationId, forStaff: removed.forStaff },
    });
  });
}
