import { createHash, randomBytes } from 'node:crypto';
import { API_TOKEN_PREFIX } from '#shared/api-tokens-api.ts';

/** `gch_` and 32 random bytes in base64url: 256 bits, so a plain SHA-256 is enough to store it (no salt, no slow hash). */
export function generateTokenSecret(): { secret: string; prefix: string; hash: string } {
  const secret = `${API_TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`;
  return { secret, prefix: secret.slice(0, API_TOKEN_PREFIX.length + 8), hash: hashTokenSecret(secret) };
}

export const hashTokenSecret = (secret: string) => createHash('sha256').update(secret, 'utf8').digest('hex');

/** The well-formed shape of a token; anything else is refused before the database is asked. */
export const TOKEN_SHAPE = /^gch_[A-Za-z0-9_-]{43}$/;
