import { describe, expect, it } from 'vitest';
import { checkWebhookUrl, guardedLookup, isForbiddenAddress } from './url-safety.ts';

describe('webhook URL safety', () => {
  it('refuses private, loopback, link-local, CGNAT, multicast, reserved, unspecified and IPv4-mapped addresses', () => {
    for (const address of [
      '127.0.0.1',
      '127.255.0.9',
      '10.1.2.3',
      '172.16.0.1',
      '172.31.255.255',
      '192.168.0.10',
      '169.254.169.254',
      '100.64.0.1',
      '100.127.255.254',
      '0.0.0.0',
      '224.0.0.1',
      '255.255.255.255',
      '::',
      '::1',
      '::ffff:127.0.0.1',
      '::ffff:8.8.8.8',
      'fe80::1',
      'fc00::1',
      'fd12:3456::1',
      'ff02::1',
      'not-an-ip',
    ])
      expect(isForbiddenAddress(address), address).toBe(true);
  });

  it('accepts public addresses', () => {
    for (const address of ['8.8.8.8', '1.1.1.1', '172.32.0.1', '100.128.0.1', '2606:4700:4700::1111', '2a00:1450:4001::200e'])
      expect(isForbiddenAddress(address), address).toBe(false);
  });

  it('accepts https URLs, and http or private addresses only for an allowed host', () => {
    expect(checkWebhookUrl('https://erp.example.com/hooks', []).hostname).toBe('erp.example.com');
    expect(checkWebhookUrl('http://erp.internal:8080/hooks', ['erp.internal']).port).toBe('8080');
    expect(checkWebhookUrl('http://10.0.0.5/hooks', ['10.0.0.5']).hostname).toBe('10.0.0.5');
    for (const url of [
      'http://erp.example.com/',
      'https://10.0.0.5/',
      'https://[::1]/',
      'https://[::ffff:a00:5]/',
      'gopher://x/',
      'not a url',
      'https://a:b@erp.example.com/',
    ])
      expect(() => checkWebhookUrl(url, ['erp.internal']), url).toThrow(expect.objectContaining({ code: 'webhook.url_refused', field: 'url' }));
  });

  it('checks every address a name resolves to, at connection time', async () => {
    const lookup = (allowPrivate: boolean, all: boolean) =>
      new Promise<unknown>((resolve, reject) =>
        guardedLookup(allowPrivate)('localhost', { all } as never, (error: Error | null, address: unknown) => (error ? reject(error) : resolve(address))),
      );
    await expect(lookup(false, true)).rejects.toThrow(/localhost resolves to a refused address/);
    await expect(lookup(false, false)).rejects.toThrow(/refused address/);
    await expect(lookup(true, false)).resolves.toMatch(/^(127\.0\.0\.1|::1)$/);
  });
});
