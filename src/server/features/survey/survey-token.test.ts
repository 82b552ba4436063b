/** The signed survey link: genuine and unexpired opens its request; anything else opens nothing. */
import { describe, expect, it } from 'vitest';
import { createSurveyToken, verifySurveyToken } from './survey-token.ts';

const secret = 'a-secret-that-is-long-enough-0123456789';
const ticketId = '0b9a7c1e-5d2f-4e8a-9c3b-1f2e3d4c5b6a';
const expires = new Date('2026-03-01T00:00:00Z');

describe('survey tokens', () => {
  it('round-trips the request id until the expiry, and fits in a URL path segment', () => {
    const token = createSurveyToken(secret, ticketId, expires);
    expect(token).toMatch(/^[A-Za-z0-9_-]{48}$/);
    expect(verifySurveyToken(secret, token, new Date('2026-02-28T23:59:59Z'))).toEqual({ ticketId });
    expect(verifySurveyToken(secret, token, expires)).toBeNull();
  });

  it('refuses another secret, any changed character, and garbage', () => {
    const token = createSurveyToken(secret, ticketId, expires);
    const now = new Date('2026-02-01T00:00:00Z');
    expect(verifySurveyToken('another-secret-that-is-long-enough-01234', token, now)).toBeNull();
    for (let i = 0; i < token.length; i++) {
      const changed = token.slice(0, i) + (token[i] === 'A' ? 'B' : 'A') + token.slice(i + 1);
      expect(verifySurveyToken(secret, changed, now), `position ${i}`).toBeNull();
    }
    for (const garbage of ['', 'abc', `${token}A`, token.slice(1), '.'.repeat(48)]) expect(verifySurveyToken(secret, garbage, now)).toBeNull();
  });
});
