/** Single sign-on: the identity providers administrators configure, and the sign-in page's domain lookup. */
import { z } from 'zod';

export const SSO_PROTOCOLS = ['oidc', 'saml'] as const;
export type SsoProtocol = (typeof SSO_PROTOCOLS)[number];

const domain = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/, 'must be a domain name such as example.com');
const httpUrl = z.url({ protocol: /^https?$/ }).max(2000);
const pem = z
  .string()
  .trim()
  .max(20_000)
  .regex(/^-----BEGIN CERTIFICATE-----[\s\S]+-----END CERTIFICATE-----$/, 'must be a PEM certificate (-----BEGIN CERTIFICATE-----)');

const providerFields = {
  domain,
  enabled: z.boolean(),
  /** OpenID: the issuer URL; SAML: the identity provider's entity id. */
  issuer: z.string().trim().min(1).max(2000),
  /** OpenID: the discovery document; default: the issuer's /.well-known/openid-configuration. */
  discoveryUrl: httpUrl.nullable(),
  clientId: z.string().trim().min(1).max(500),
  clientSecret: z.string().min(1).max(2000),
  /** SAML: where the identity provider receives authentication requests (HTTP-Redirect binding). */
  entryPoint: httpUrl,
  /** SAML: the identity provider's signing certificate. */
  certificate: pem,
};

/** An identity provider for one e-mail domain: an organization's (customers) or the vendor's (staff, no organization). */
export const createSsoProviderSchema = z
  .strictObject({
    protocol: z.enum(SSO_PROTOCOLS),
    organizationId: z.uuid().nullable(),
    forStaff: z.boolean().default(false),
    domain: providerFields.domain,
    enabled: providerFields.enabled.default(true),
    issuer: providerFields.issuer,
    discoveryUrl: providerFields.discoveryUrl.optional(),
    clientId: providerFields.clientId.optional(),
    clientSecret: providerFields.clientSecret.optional(),
    entryPoint: providerFields.entryPoint.optional(),
    certificate: providerFields.certificate.optional(),
  })
  .superRefine((value, ctx) => {
    if (value.forStaff !== (value.organizationId === null)) {
      ctx.addIssue({ code: 'custom', path: ['organizationId'], message: 'a staff provider has no organization; a customer provider has one' });
    }
    const required = value.protocol === 'oidc' ? (['clientId', 'clientSecret'] as const) : (['entryPoint', 'certificate'] as const);
    for (const field of required) if (value[field] === undefined) ctx.addIssue({ code: 'custom', path: [field], message: `required for ${value.protocol}` });
    if (value.protocol === 'oidc')
      z.url({ protocol: /^https?$/ }).safeParse(value.issuer).success || ctx.addIssue({ code: 'custom', path: ['issuer'], message: 'must be the issuer URL' });
  });
export type CreateSsoProvider = z.infer<typeof createSsoProviderSchema>;

/** Changes to a provider; the client secret is kept unless a new one is given. */
export const updateSsoProviderSchema = z.strictObject({
  domain: providerFields.domain.optional(),
  enabled: providerFields.enabled.optional(),
  issuer: providerFields.issuer.optional(),
  discoveryUrl: providerFields.discoveryUrl.optional(),
  clientId: providerFields.clientId.optional(),
  clientSecret: providerFields.clientSecret.optional(),
  entryPoint: providerFields.entryPoint.optional(),
  certificate: providerFields.certificate.optional(),
});
export type UpdateSsoProvider = z.infer<typeof updateSsoProviderSchema>;

/** A provider as administrators see it: the client secret only by its last characters. */
export const ssoProviderSchema = z.object({
  id: z.string(),
  providerId: z.string(),
  protocol: z.enum(SSO_PROTOCOLS),
  organizationId: z.string().nullable(),
  organizationName: z.string().nullable(),
  forStaff: z.boolean(),
  domain: z.string(),
  enabled: z.boolean(),
  issuer: z.string(),
  discoveryUrl: z.string().nullable(),
  clientId: z.string().nullable(),
  /** "…abcd": enough to recognize the secret, never the secret. */
  clientSecretHint: z.string().nullable(),
  entryPoint: z.string().nullable(),
  certificate: z.string().nullable(),
  /** What the identity provider is told: the OpenID redirect URI, or the SAML assertion consumer service. */
  callbackUrl: z.string(),
  /** SAML: Guichet's entity id (the audience of assertions). */
  spEntityId: z.string().nullable(),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
});
export type SsoProviderView = z.infer<typeof ssoProviderSchema>;

export const ssoProviderListSchema = z.object({ items: z.array(ssoProviderSchema) });
export const ssoProviderParamsSchema = z.object({ id: z.string().min(1).max(100) });

/** The sign-in page asks, for the address being typed, whether its domain signs in through an identity provider. */
export const ssoLookupQuerySchema = z.strictObject({ email: z.email().max(320) });
export const ssoLookupSchema = z.object({ sso: z.boolean() });

/** Starting an SSO sign-in: the address picks the provider; the answer is the identity provider's URL. */
/** A path of the portal: never another site (`//host` or `/\host` would be one). */
const portalPath = z
  .string()
  .max(2000)
  .regex(/^\/(?![/\\])/, 'must be a path of the portal');
export const ssoSignInSchema = z.strictObject({
  email: z.email().max(320),
  callbackURL: portalPath,
  errorCallbackURL: portalPath.optional(),
});
export const ssoSignInResultSchema = z.object({ url: z.string(), redirect: z.boolean() });
