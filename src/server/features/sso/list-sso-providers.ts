import { and, asc, eq } from 'drizzle-orm';
import type { SsoProviderView } from '#shared/sso-api.ts';
import type { DbOrTx } from '../../db/client.ts';
import { organization, ssoProvider } from '../../db/schema.ts';
import { notFound } from '../../errors.ts';
import { domainOfEmail } from '../organizations/domains.ts';

type ProviderRow = typeof ssoProvider.$inferSelect;
type StoredOidc = { issuer: string; clientId: string; clientSecret: string; discoveryEndpoint: string };
type StoredSaml = { issuer: string; entryPoint: string; cert: string; idpMetadata: { entityID: string; cert: string } };

export const parseOidc = (row: Pick<ProviderRow, 'oidcConfig'>) => (row.oidcConfig ? (JSON.parse(row.oidcConfig) as StoredOidc) : null);
export const parseSaml = (row: Pick<ProviderRow, 'samlConfig'>) => (row.samlConfig ? (JSON.parse(row.samlConfig) as StoredSaml) : null);

/** Where the identity provider sends the user back, and Guichet's SAML entity id (the audience of its assertions). */
export const oidcRedirectUri = (baseUrl: string, providerId: string) => `${baseUrl}/api/auth/sso/callback/${providerId}`;
export const samlAcsUrl = (baseUrl: string, providerId: string) => `${baseUrl}/api/auth/sso/saml2/sp/acs/${providerId}`;
export const samlSpEntityId = (baseUrl: string, providerId: string) => `${baseUrl}/api/auth/sso/saml2/sp/metadata?providerId=${providerId}`;

const secretHint = (secret: string) => `…${secret.slice(-4)}`;

export function presentSsoProvider(row: ProviderRow, organizationName: string | null, baseUrl: string): SsoProviderView {
  const oidc = parseOidc(row);
  const saml = parseSaml(row);
  return {
    id: row.id,
    providerId: row.providerId,
    protocol: oidc ? 'oidc' : 'saml',
    organizationId: row.organizationId,
    organizationName,
    forStaff: row.forStaff,
    domain: row.domain,
    enabled: row.enabled,
    issuer: row.issuer,
    discoveryUrl: oidc?.discoveryEndpoint ?? null,
    clientId: oidc?.clientId ?? null,
    clientSecretHint: oidc ? secretHint(oidc.clientSecret) : null,
    entryPoint: saml?.entryPoint ?? null,
    certificate: saml?.cert ?? null,
    callbackUrl: oidc ? oidcRedirectUri(baseUrl, row.providerId) : samlAcsUrl(baseUrl, row.providerId),
    spEntityId: saml ? saml.issuer : null,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

const withOrganization = (db: DbOrTx) =>
  db
    .select({ row: ssoProvider, organizationName: organization.name })
    .from(ssoProvider)
    .leftJoin(organization, eq(organization.id, ssoProvider.organizationId));

export async function listSsoProviders(db: DbOrTx, baseUrl: string, filter: { organizationId?: string } = {}): Promise<SsoProviderView[]> {
  const rows = await withOrganization(db)
    .where(filter.organizationId ? eq(ssoProvider.organizationId, filter.organizationId) : undefined)
    .orderBy(asc(ssoProvider.domain));
  return rows.map((r) => presentSsoProvider(r.row, r.organizationName, baseUrl));
}

export async function getSsoProvider(db: DbOrTx, baseUrl: string, id: string): Promise<SsoProviderView> {
  const [found] = await withOrganization(db).where(eq(ssoProvider.id, id));
  if (!found) throw notFound('sso_provider');
  return presentSsoProvider(found.row, found.organizationName, baseUrl);
}

/** The enabled provider of an address's domain, if any: the sign-in page sends such addresses to their identity provider. */
export async function enabledProviderForEmail(db: DbOrTx, email: string): Promise<{ providerId: string } | null> {
  const [found] = await db
    .select({ providerId: ssoProvider.providerId })
    .from(ssoProvider)
    .where(and(eq(ssoProvider.domain, domainOfEmail(email)), eq(ssoProvider.enabled, true)));
  return found ?? null;
}
