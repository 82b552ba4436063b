import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as samlify from 'samlify';

/** A fresh RSA key and self-signed certificate (openssl), as an identity provider signs with. */
export function makeSigningKey(commonName: string): { privateKey: string; certificate: string } {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'guichet-saml-'));
  try {
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-sha256',
        '-days',
        '2',
        '-subj',
        `/CN=${commonName}`,
        '-keyout',
        path.join(dir, 'key.pem'),
        '-out',
        path.join(dir, 'cert.pem'),
      ],
      { stdio: 'ignore' },
    );
    return { privateKey: readFileSync(path.join(dir, 'key.pem'), 'utf8'), certificate: readFileSync(path.join(dir, 'cert.pem'), 'utf8') };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * A SAML identity provider built with samlify: it reads Guichet's authentication request (HTTP-Redirect
 * binding) and answers with a response for the HTTP-POST binding, signed or not, for the audience given.
 */
export function samlIdp(options: { entityId: string; entryPoint: string; key: { privateKey: string; certificate: string } }) {
  const idp = samlify.IdentityProvider({
    entityID: options.entityId,
    privateKey: options.key.privateKey,
    signingCert: options.key.certificate,
    singleSignOnService: [{ Binding: samlify.Constants.namespace.binding.redirect, Location: options.entryPoint }],
    nameIDFormat: ['urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress'],
  });
  const serviceProvider = (spEntityId: string, acsUrl: string, signed: boolean) =>
    samlify.ServiceProvider({
      entityID: spEntityId,
      assertionConsumerService: [{ Binding: samlify.Constants.namespace.binding.post, Location: acsUrl }],
      wantAssertionsSigned: signed,
    });
  return {
    /** The SAMLResponse (base64) for the request in Guichet's redirect URL, with the assertion's audience and signature as asked. */
    async respond(
      redirectUrl: string,
      answer: { email: string; spEntityId: string; acsUrl: string; signed?: boolean },
    ): Promise<{ SAMLResponse: string; RelayState: string }> {
      const url = new URL(redirectUrl);
      const sp = serviceProvider(answer.spEntityId, answer.acsUrl, answer.signed ?? true);
      const { extract } = await idp.parseLoginRequest(sp, 'redirect', { query: Object.fromEntries(url.searchParams) });
      const response = (await idp.createLoginResponse(sp, { extract }, 'post', { email: answer.email })) as { context: string };
      return { SAMLResponse: response.context, RelayState: url.searchParams.get('RelayState') ?? '' };
    },
  };
}
