import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Signed reply addresses: a mail about a request replies to `support+SUP-12.k3j5h2m4n6p8@…`, the
 * request's key and a signature of (key, recipient) with AUTH_SECRET. A reply from that recipient
 * is matched to its request without a doubt; the address cannot be made up for another request or
 * another person. Local parts are read case-insensitively (some servers lower-case them).
 */
const SIGNATURE_LENGTH = 12;
const BASE32 = 'abcdefghijklmnopqrstuvwxyz234567';

function base32(bytes: Buffer): string {
  let bits = 0;
  let value = 0;
  let out = '';
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += BASE32[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  return out;
}

export function replySignature(secret: string, key: string, recipient: string): string {
  const mac = createHmac('sha256', secret).update(`reply-address\n${key.toUpperCase()}\n${recipient.trim().toLowerCase()}`).digest();
  return base32(mac).slice(0, SIGNATURE_LENGTH);
}

const splitAddress = (address: string) => {
  const at = address.lastIndexOf('@');
  return at < 0 ? null : { local: address.slice(0, at), domain: address.slice(at + 1) };
};

/** support@example.com, SUP-12, anna@client.test → support+SUP-12.<signature>@example.com (the base address without a key). */
export function signedReplyAddress(base: string, secret: string, key: string | undefined, recipient: string): string {
  const parts = splitAddress(base);
  if (!key || !parts) return base;
  return `${parts.local}+${key}.${replySignature(secret, key, recipient)}@${parts.domain}`;
}

export type ReplyAddressMatch = { key: string; signature: string | null };

/**
 * The request key tagged on one of `recipients` sent to the reply address `base` (support+KEY or
 * support+KEY.signature), with its signature when there is one; null when none is.
 */
export function readReplyAddress(base: string, recipients: string[]): ReplyAddressMatch | null {
  const parts = splitAddress(base.toLowerCase());
  if (!parts) return null;
  for (const recipient of recipients) {
    const r = splitAddress(recipient.trim().toLowerCase());
    if (!r || r.domain !== parts.domain) continue;
    const match = /^(.+)\+([a-z]{2,6}-\d{1,9})(?:\.([a-z2-7]+))?$/.exec(r.local);
    if (!match || match[1] !== parts.local) continue;
    return { key: match[2]!.toUpperCase(), signature: match[3] ?? null };
  }
  return null;
}

/** Whether the signature was made for this key and this sender (constant time). */
export function signatureFits(secret: string, match: ReplyAddressMatch, sender: string): boolean {
  if (!match.signature) return false;
  const expected = Buffer.from(replySignature(secret, match.key, sender));
  const given = Buffer.from(match.signature);
  return expected.length === given.length && timingSafeEqual(expected, given);
}
