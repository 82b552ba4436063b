import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, createTestApp, loginAs, type TestApp } from '../../../tests/support/test-app.ts';
import { catalog, customerOrg } from '../../../tests/support/ticket-fixtures.ts';
import { findForbiddenText, findTooDeep, MAX_BODY_DEPTH } from './input-checks.ts';

describe('the scans', () => {
  it('find the first container nested too deep, with its path, without parsing', () => {
    expect(findTooDeep('[[[]]]', 3)).toBeNull();
    expect(findTooDeep('[[[[]]]]', 3)).toEqual([0, 0, 0]);
    expect(findTooDeep('{"a":[1,{"b":{"c":{}}}]}', 3)).toEqual(['a', 1, 'b']);
    // Brackets inside strings, escaped quotes included, are text.
    expect(findTooDeep('{"a\\"[[[[":"[[[[{{{{"}', 2)).toBeNull();
    expect(findTooDeep('['.repeat(100_000), MAX_BODY_DEPTH)).toHaveLength(MAX_BODY_DEPTH);
  });

  it('find NUL and lone surrogates in values and keys, and let surrogate pairs through', () => {
    expect(findForbiddenText({ a: ['ok', 'emoji 😀', { b: 'é' }] })).toBeNull();
    expect(findForbiddenText({ a: ['ok', { b: 'x\u0000' }] })).toEqual(['a', 1, 'b']);
    expect(findForbiddenText({ a: '\ud800x' })).toEqual(['a']);
    expect(findForbiddenText({ a: 'x\udc00' })).toEqual(['a']);
    expect(findForbiddenText({ a: '😀'.slice(0, 1) })).toEqual(['a']);
    expect(findForbiddenText({ ok: 1, 'k\u0000': 1 })).toEqual(['k\u0000']);
    expect(findForbiddenText('\u0000')).toEqual([]);
  });
});

describe('bad input on every route', () => {
  let t: TestApp;
  let admin: { cookie: string };
  let customer: { cookie: string };
  let assistanceId: string;
  beforeAll(async () => {
    t = await createTestApp();
    admin = await loginAs(t, 'admin');
    customer = (await customerOrg(t)).reporter;
    assistanceId = (await catalog(t)).assistanceId;
  });
  afterAll(async () => {
    await t.close();
  });

  const deep = (n: number) => '['.repeat(n) + ']'.repeat(n);

  it('refuses a JSON body nested deeper than the limit before parsing it, log-in included', async () => {
    for (const url of ['/api/auth/sign-in/email', '/api/auth/sign-out', '/api/requests']) {
      const res = await t.app.inject({
        method: 'POST',
        url,
        headers: { origin: 'http://localhost:3000', cookie: customer.cookie, 'content-type': 'application/json' },
        payload: deep(5000),
      });
      expect(res.statusCode, url).toBe(400);
      expect(res.json(), url).toMatchObject({ code: 'validation.too_deep', limit: MAX_BODY_DEPTH });
    }
    const nested = { summary: 'Deep', description: 'x', criticality: 'low', requestTypeId: assistanceId, participantIds: [JSON.parse(deep(MAX_BODY_DEPTH))] };
    const res = await call(t.app, { method: 'POST', url: '/api/requests', cookie: customer.cookie, body: nested });
    expect(res.json()).toMatchObject({ code: 'validation.too_deep', field: `participantIds.0${'.0'.repeat(MAX_BODY_DEPTH - 2)}` });
  });

  it('refuses NUL in a body, naming the field, and creates nothing', async () => {
    const res = await call(t.app, {
      method: 'POST',
      url: '/api/requests',
      cookie: customer.cookie,
      body: { requestTypeId: assistanceId, summary: 'Printer\u0000', description: 'Broken', criticality: 'low' },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toEqual({ code: 'validation.invalid_character', field: 'summary', message: expect.stringContaining('summary') });
    const list = await call(t.app, { url: '/api/requests', cookie: customer.cookie });
    expect(list.json().items).toEqual([]);
  });

  it('refuses a lone surrogate in an organization name (the audit log holds it as JSON)', async () => {
    const res = await call(t.app, { method: 'POST', url: '/api/admin/organizations', cookie: admin.cookie, body: { name: '\ud800x', domains: [] } });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ code: 'validation.invalid_character', field: 'name' });
    // A surrogate pair is a character like any other.
    const ok = await call(t.app, { method: 'POST', url: '/api/admin/organizations', cookie: admin.cookie, body: { name: 'Émoji 😀 SA', domains: [] } });
    expect(ok.statusCode).toBe(201);
  });

  it('refuses NUL in the query string and in path parameters, public routes included', async () => {
    const q = await call(t.app, { url: '/api/requests?q=a%00b', cookie: customer.cookie });
    expect(q.statusCode).toBe(400);
    expect(q.json()).toMatchObject({ code: 'validation.invalid_character', field: 'q' });
    const token = await call(t.app, { url: '/api/auth/reset-password/abc%00?callbackURL=/reset' });
    expect(token.statusCode).toBe(400);
    expect(token.json()).toMatchObject({ code: 'validation.invalid_character', field: 'token' });
    const invitation = await call(t.app, { url: '/api/invitations/abc%00' });
    expect(invitation.json()).toMatchObject({ code: 'validation.invalid_character', field: 'token' });
  });

  it('answers the router’s own refusals in the same shape: bytes that are not UTF-8, a path parameter too long', async () => {
    const surrogate = await call(t.app, { url: '/api/invitations/%ED%A0%80x' });
    expect(surrogate.statusCode).toBe(400);
    expect(surrogate.json()).toMatchObject({ code: 'validation.invalid_character' });
    // However long (up to what a request line holds), a parameter reaches its route, whose schema names
    // it and its limit: the router refuses none for its length (it would fall through to the web app's
    // catch-all route, a 404, when the web app is built).
    for (const length of [300, 501, 10_000]) {
      const long = await call(t.app, { url: `/api/invitations/${'x'.repeat(length)}` });
      expect(long.statusCode, `${length} characters`).toBe(400);
      expect(long.json()).toMatchObject({ code: 'validation.too_long', field: 'token', limit: 200 });
    }
  });

  it('documents a 400 for every operation, since any may receive such input', async () => {
    const doc = (await t.app.inject({ url: '/api/openapi.json' })).json() as { paths: Record<string, Record<string, { responses: Record<string, unknown> }>> };
    const without = Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.entries(ops)
        .filter(([, op]) => !op.responses['400'])
        .map(([method]) => `${method} ${path}`),
    );
    expect(without).toEqual([]);
  });

  it('still asks for a login first: an anonymous caller learns nothing about the body', async () => {
    const res = await call(t.app, { method: 'POST', url: '/api/requests', body: { summary: '\u0000' } });
    expect(res.statusCode).toBe(401);
  });
});
