import http from 'node:http';
import Provider from 'oidc-provider';
import { freePort } from './free-port.ts';

export type IdpAccount = { email: string; name: string; emailVerified?: boolean };

/**
 * A real OpenID provider (oidc-provider) on 127.0.0.1, with one confidential client and the accounts
 * given (the login typed on its form is the account's key). Its development login and consent
 * forms are submitted by `authorize` as a browser would.
 */
export async function startOidcIdp(options: {
  port?: number;
  clientId: string;
  clientSecret: string;
  redirectUris: string[];
  accounts: Record<string, IdpAccount>;
}) {
  const port = options.port ?? (await freePort());
  const issuer = `http://127.0.0.1:${port}`;
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: options.clientId,
        client_secret: options.clientSecret,
        redirect_uris: options.redirectUris,
        grant_types: ['authorization_code', 'refresh_token'],
        response_types: ['code'],
      },
    ],
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'] },
    pkce: { required: () => true },
    findAccount: (_ctx, id) => {
      const found = options.accounts[id];
      if (!found) return undefined;
      return { accountId: id, claims: async () => ({ sub: id, email: found.email, email_verified: found.emailVerified ?? true, name: found.name }) };
    },
  });
  // Nothing of its development warnings in the test output.
  provider.on('server_error', () => {});
  const server = http.createServer(provider.callback());
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return {
    issuer,
    provider,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** A browser's cookies for one site. */
export class CookieJar {
  private readonly cookies = new Map<string, string>();
  store(setCookies: string[]) {
    for (const line of setCookies) {
      const [pair] = line.split(';');
      const at = pair!.indexOf('=');
      const name = pair!.slice(0, at).trim();
      const value = pair!.slice(at + 1).trim();
      if (value === '' || /max-age=0/i.test(line) || /expires=thu, 01 jan 1970/i.test(line)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }
  header() {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  }
}

/**
 * A browser at the identity provider: from its authorization URL, through its login and consent
 * forms (login = the account's key), to the URL it sends the user back to (returned, not followed).
 */
export async function authorizeAtIdp(startUrl: string, login: string): Promise<string> {
  const jar = new CookieJar();
  const origin = new URL(startUrl).origin;
  let url = startUrl;
  let form: { prompt: string; login?: string; password?: string } | null = null;
  for (let step = 0; step < 20; step++) {
    const response: Response = await fetch(url, {
      method: form ? 'POST' : 'GET',
      redirect: 'manual',
      headers: { cookie: jar.header(), ...(form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}) },
      ...(form ? { body: new URLSearchParams(form as Record<string, string>).toString() } : {}),
    });
    jar.store(response.headers.getSetCookie());
    form = null;
    const location = response.headers.get('location');
    if (location) {
      const next = new URL(location, url);
      if (next.origin !== origin) return next.toString();
      url = next.toString();
      continue;
    }
    const page: string = await response.text();
    if (response.status !== 200)
      throw new Error(
        `identity provider answered ${response.status}: ${page
          .replace(/<style[\s\S]*?<\/style>/, '')
          .replace(/<[^>]+>/g, ' ')
          .replace(/\s+/g, ' ')
          .slice(0, 600)}`,
      );
    const action = /<form[^>]*action="([^"]+)"/.exec(page)?.[1];
    if (!action) throw new Error(`no form on the identity provider's page: ${page.slice(0, 500)}`);
    url = new URL(action.replaceAll('&amp;', '&'), url).toString();
    form = page.includes('name="prompt" value="login"') ? { prompt: 'login', login, password: 'any' } : { prompt: 'consent' };
  }
  throw new Error('too many steps at the identity provider');
}
