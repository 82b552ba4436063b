import dns from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import type { LookupFunction } from 'node:net';
import { badRequest } from '../../errors.ts';

/*
 * What keeps a webhook from reaching inside the network (SSRF): only https, unless an administrator
 * allowed the host (WEBHOOK_ALLOWED_HOSTS); no private, loopback, link-local, CGNAT, multicast,
 * reserved or unspecified address, nor an IPv4-mapped IPv6 one, unless the host is allowed. The
 * address is checked after DNS resolution, inside the connection's own lookup: the address checked
 * is the address connected to, so a name that resolves differently the second time (DNS rebinding)
 * gains nothing. Redirects are never followed (a 3xx is a failed try), the wait is bounded and the
 * answer read is capped.
 */

const v4 = new net.BlockList();
for (const [net4, prefix] of [
  ['0.0.0.0', 8], // "this" network, unspecified
  ['10.0.0.0', 8],
  ['100.64.0.0', 10], // CGNAT
  ['127.0.0.0', 8],
  ['169.254.0.0', 16], // link-local (cloud metadata)
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.88.99.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved, broadcast
] as const)
  v4.addSubnet(net4, prefix, 'ipv4');

const v6 = new net.BlockList();
for (const [net6, prefix] of [
  ['::', 128], // unspecified
  ['::1', 128], // loopback
  ['::ffff:0:0', 96], // IPv4-mapped
  ['::', 96], // IPv4-compatible (deprecated)
  ['64:ff9b::', 96], // NAT64
  ['100::', 64], // discard
  ['2001:db8::', 32], // documentation
  ['2002::', 16], // 6to4
  ['fc00::', 7], // unique local
  ['fe80::', 10], // link-local
  ['fec0::', 10], // site-local
  ['ff00::', 8], // multicast
] as const)
  v6.addSubnet(net6, prefix, 'ipv6');

/** Whether an IP address is one a webhook may not reach unless its host is allowed. */
export function isForbiddenAddress(address: string): boolean {
  const family = net.isIP(address);
  if (family === 4) return v4.check(address, 'ipv4');
  if (family === 6) return v6.check(address, 'ipv6');
  return true;
}

const hostOf = (url: URL) => url.hostname.replace(/^\[|\]$/g, '').toLowerCase();
export const isAllowedHost = (url: URL, allowedHosts: readonly string[]) => allowedHosts.includes(hostOf(url));

const refused = (message: string) => badRequest('webhook.url_refused', message, 'url');

/** A subscription's URL, checked when it is saved (the addresses are checked again at every try). */
export function checkWebhookUrl(raw: string, allowedHosts: readonly string[]): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw refused('The URL is not valid.');
  }
  const allowed = isAllowedHost(url, allowedHosts);
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && allowed))
    throw refused('Only https URLs are accepted, unless an administrator allows the host.');
  if (url.username || url.password) throw refused('The URL may not hold a user name or a password.');
  const host = hostOf(url);
  if (net.isIP(host) && isForbiddenAddress(host) && !allowed) throw refused('The URL points to a private, loopback or reserved address.');
  return url;
}

export class UnsafeAddressError extends Error {
  readonly code = 'EWEBHOOKADDRESS';
}

/**
 * The connection's DNS lookup: resolves the name and refuses it when any of its addresses is
 * forbidden (an attacker's name may list a public address first and a private one second).
 */
export function guardedLookup(allowPrivate: boolean): LookupFunction {
  return (hostname, options, callback) => {
    dns.lookup(hostname, { ...options, all: true }, (error, addresses) => {
      if (error) return callback(error, '', 0);
      const list = addresses as dns.LookupAddress[];
      const bad = list.find((a) => isForbiddenAddress(a.address));
      if (bad && !allowPrivate) return callback(new UnsafeAddressError(`${hostname} resolves to a refused address (${bad.address})`), '', 0);
      if (list.length === 0) return callback(new Error(`${hostname} has no address`), '', 0);
      if ((options as { all?: boolean }).all) return (callback as unknown as (e: null, a: dns.LookupAddress[]) => void)(null, list);
      callback(null, list[0]!.address, list[0]!.family);
    });
  };
}

export type PostResult = { status: number; body: string; durationMs: number };

export const RESPONSE_KEEP_BYTES = 2048;
const RESPONSE_READ_BYTES = 64 * 1024;

/**
 * POSTs a body to a webhook URL, safely (see above); resolves with the status and the first 2 KB of
 * the answer, rejects on a refused address, a network error or the timeout. Never follows a redirect.
 */
export function postWebhook(options: {
  url: string;
  body: string;
  headers: Record<string, string>;
  timeoutMs: number;
  allowedHosts: readonly string[];
}): Promise<PostResult> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    let url: URL;
    try {
      url = checkWebhookUrl(options.url, options.allowedHosts);
    } catch (error) {
      reject(error);
      return;
    }
    const allowPrivate = isAllowedHost(url, options.allowedHosts);
    const client = url.protocol === 'https:' ? https : http;
    let settled = false;
    const finish = (error: Error | null, result?: PostResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (error) reject(error);
      else resolve(result!);
    };
    const request = client.request(
      url,
      {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'user-agent': 'Guichet-Webhooks/1',
          ...options.headers,
          'content-length': Buffer.byteLength(options.body),
        },
        lookup: guardedLookup(allowPrivate),
        agent: false,
      },
      (response) => {
        const chunks: Buffer[] = [];
        let read = 0;
        const done = () => {
          finish(null, {
            status: response.statusCode ?? 0,
            body: Buffer.concat(chunks).subarray(0, RESPONSE_KEEP_BYTES).toString('utf8'),
            durationMs: Math.round(performance.now() - started),
          });
          response.destroy();
        };
        response.on('data', (chunk: Buffer) => {
          if (read < RESPONSE_KEEP_BYTES) chunks.push(chunk);
          read += chunk.length;
          if (read >= RESPONSE_READ_BYTES) done();
        });
        response.on('end', done);
        response.on('error', (error) => finish(error));
      },
    );
    const timer = setTimeout(() => {
      request.destroy(new Error(`no answer within ${Math.round(options.timeoutMs / 1000) || options.timeoutMs / 1000} s`));
    }, options.timeoutMs);
    request.on('error', (error) => finish(error));
    request.end(options.body);
  });
}
