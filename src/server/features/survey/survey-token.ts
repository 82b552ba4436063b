import { createHmac, timingSafeEqual } from 'node:crypto';

/*
 * The link of the satisfaction survey e-mail: the request's id and an expiry, signed with the
 * server's AUTH_SECRET. Anyone holding the link may answer for the reporter, once; a link whose
 * signature does not match, or whose expiry has passed, opens nothing.
 */

export const SURVEY_LINK_DAYS = 30;
const PURPOSE = 'guichet.survey.v1';

const MAC_BYTES = 16;
const mac = (secret: string, body: Buffer) => createHmac('sha256', secret).update(PURPOSE).update(body).digest().subarray(0, MAC_BYTES);

/** Short enough for a URL path segment: the request id (16 bytes), the expiry (4 bytes, seconds) and a 128-bit MAC, base64url. */
export function createSurveyToken(secret: string, ticketId: string, expiresAt: Date): string {
  const body = Buffer.alloc(20);
  Buffer.from(ticketId.replace(/-/g, ''), 'hex').copy(body, 0);
  body.writeUInt32BE(Math.floor(expiresAt.getTime() / 1000), 16);
  return Buffer.concat([body, mac(secret, body)]).toString('base64url');
}

/** The request's id when the token is genuine and not expired at `now`; null otherwise. */
export function verifySurveyToken(secret: string, token: string, now: Date): { ticketId: string } | null {
  if (!/^[A-Za-z0-9_-]{48}$/.test(token)) return null;
  const bytes = Buffer.from(token, 'base64url');
  if (bytes.length !== 20 + MAC_BYTES) return null;
  const body = bytes.subarray(0, 20);
  if (!timingSafeEqual(mac(secret, body), bytes.subarray(20))) return null;
  if (body.readUInt32BE(16) * 1000 <= now.getTime()) return null;
  const hex = body.subarray(0, 16).toString('hex');
  return { ticketId: `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}` };
}
