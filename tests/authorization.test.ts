/**
 * Every /api route refuses the callers its declared access level does not admit: anonymous callers
 * get 401, logged-in users of a role it does not allow get 403. The routes come from the app's own
 * catalogue, so a route added later is checked without anyone touching this file.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Access } from '../src/server/http/access.ts';
import type { Role } from '../src/shared/domain.ts';
import { call, createOrganization, createTestApp, loginAs, type TestApp } from './support/test-app.ts';

/** The roles each access level turns away (anonymous callers are turned away by all but public). */
const REFUSED_ROLES: Record<Exclude<Access, 'public'>, Role[]> = {
  user: [],
  staff: ['customer'],
  admin: ['customer', 'agent'],
};

let t: TestApp;
const cookies = {} as Record<Role, string>;
beforeAll(async () => {
  t = await createTestApp();
  const org = await createOrganization(t, 'Authorization');
  cookies.customer = (await loginAs(t, 'customer', org.id)).cookie;
  cookies.agent = (await loginAs(t, 'agent')).cookie;
  cookies.admin = (await loginAs(t, 'admin')).cookie;
});
afterAll(async () => {
  await t.close();
});

const guarded = () => t.app.routeCatalog.filter((r) => r.access !== 'public');

const concrete = (url: string) => url.replace(/:[^/]+/g, () => randomUUID());
const MUTATING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

async function send(route: { method: string; url: string }, cookie?: string) {
  return call(t.app, {
    method: route.method as 'GET',
    url: concrete(route.url),
    cookie,
    body: MUTATING.has(route.method) ? {} : undefined,
  });
}

describe('authorization of every route', () => {
  it('knows the routes it must check', () => {
    const listed = guarded().map((r) => `${r.method} ${r.url}`);
    // A sample of routes that must be guarded: if the catalogue stops listing them, this test would check nothing.
    for (const route of [
      'GET /api/me',
      'POST /api/auth/change-password',
      'GET /api/admin/organizations',
      'PATCH /api/admin/users/:id',
      'POST /api/admin/invitations',
      'GET /api/admin/audit',
      'GET /api/admin/outbox/:id',
    ]) {
      expect(listed).toContain(route);
    }
    for (const route of t.app.routeCatalog) expect(['public', 'user', 'staff', 'admin']).toContain(route.access);
  });

  it('lists every route with who may call it, so a new or loosened route shows up in review', () => {
    const catalogue = t.app.routeCatalog
      .filter((r) => !r.url.startsWith('/api/docs'))
      .map((r) => `${r.access.padEnd(6)} ${r.method.padEnd(6)} ${r.url}`)
      .sort();
    expect(catalogue).toMatchInlineSnapshot(`
      [
        "admin  DELETE /api/admin/api-tokens/:id",
        "admin  DELETE /api/admin/organizations/:id/flex-contract/windows/:windowId",
        "admin  DELETE /api/admin/sla/closure-days/:day",
        "admin  DELETE /api/admin/sso-providers/:id",
        "admin  DELETE /api/admin/webhooks/:id",
        "admin  GET    /api/admin/api-tokens",
        "admin  GET    /api/admin/audit",
        "admin  GET    /api/admin/desks",
        "admin  GET    /api/admin/escalation/:deskId",
        "admin  GET    /api/admin/flex/billing-runs",
        "admin  GET    /api/admin/inbound",
        "admin  GET    /api/admin/inbound/:id",
        "admin  GET    /api/admin/inbound/:id/raw",
        "admin  GET    /api/admin/invitations",
        "admin  GET    /api/admin/jsm-imports",
        "admin  GET    /api/admin/jsm-imports/:id",
        "admin  GET    /api/admin/lifecycle/rules",
        "admin  GET    /api/admin/organizations",
        "admin  GET    /api/admin/organizations/:id",
        "admin  GET    /api/admin/organizations/:id/contract",
        "admin  GET    /api/admin/organizations/:id/flex-contract",
        "admin  GET    /api/admin/outbox",
        "admin  GET    /api/admin/outbox/:id",
        "admin  GET    /api/admin/projects",
        "admin  GET    /api/admin/request-types",
        "admin  GET    /api/admin/security-settings",
        "admin  GET    /api/admin/service-users",
        "admin  GET    /api/admin/sla/calendar",
        "admin  GET    /api/admin/sla/holidays/:year",
        "admin  GET    /api/admin/sla/policies",
        "admin  GET    /api/admin/sla/report",
        "admin  GET    /api/admin/sla/report.csv",
        "admin  GET    /api/admin/sso-providers",
        "admin  GET    /api/admin/sso-providers/:id",
        "admin  GET    /api/admin/survey/results",
        "admin  GET    /api/admin/survey/results.csv",
        "admin  GET    /api/admin/users",
        "admin  GET    /api/admin/webhooks",
        "admin  GET    /api/admin/webhooks/:id",
        "admin  GET    /api/admin/webhooks/:id/deliveries",
        "admin  GET    /api/admin/webhooks/:id/deliveries/:deliveryId",
        "admin  PATCH  /api/admin/desks/:id",
        "admin  PATCH  /api/admin/organizations/:id",
        "admin  PATCH  /api/admin/organizations/:id/contract",
        "admin  PATCH  /api/admin/organizations/:id/settings",
        "admin  PATCH  /api/admin/projects/:id",
        "admin  PATCH  /api/admin/request-types/:id",
        "admin  PATCH  /api/admin/security-settings",
        "admin  PATCH  /api/admin/sso-providers/:id",
        "admin  PATCH  /api/admin/users/:id",
        "admin  PATCH  /api/admin/webhooks/:id",
        "admin  POST   /api/admin/desks",
        "admin  POST   /api/admin/flex/billing-runs",
        "admin  POST   /api/admin/inbound/:id/reprocess",
        "admin  POST   /api/admin/invitations",
        "admin  POST   /api/admin/jsm-imports",
        "admin  POST   /api/admin/jsm-imports/:id/pause",
        "admin  POST   /api/admin/jsm-imports/:id/resume",
        "admin  POST   /api/admin/jsm-imports/:id/start",
        "admin  POST   /api/admin/organizations",
        "admin  POST   /api/admin/organizations/:id/flex-contract/windows",
        "admin  POST   /api/admin/organizations/:id/flex-purchases",
        "admin  POST   /api/admin/outbox/:id/retry",
        "admin  POST   /api/admin/projects",
        "admin  POST   /api/admin/request-types",
        "admin  POST   /api/admin/service-users",
        "admin  POST   /api/admin/service-users/:id/api-tokens",
        "admin  POST   /api/admin/sla/closure-days/:day",
        "admin  POST   /api/admin/sla/preview",
        "admin  POST   /api/admin/sso-providers",
        "admin  POST   /api/admin/time-entries/:id/reversal",
        "admin  POST   /api/admin/webhooks",
        "admin  POST   /api/admin/webhooks/:id/deliveries/:deliveryId/resend",
        "admin  POST   /api/admin/webhooks/:id/ping",
        "admin  POST   /api/admin/webhooks/:id/rotate-secret",
        "admin  PUT    /api/admin/desks/:id/members",
        "admin  PUT    /api/admin/escalation/:deskId",
        "admin  PUT    /api/admin/jsm-imports/:id/mapping",
        "admin  PUT    /api/admin/lifecycle/rules/:deskId",
        "admin  PUT    /api/admin/sla/calendar",
        "admin  PUT    /api/admin/sla/policies/:requestTypeId",
        "public GET    /api/auth/reset-password/:token",
        "public GET    /api/auth/sso/callback/:providerId",
        "public GET    /api/auth/sso/saml2/sp/metadata",
        "public GET    /api/auth/verify-email",
        "public GET    /api/escalation",
        "public GET    /api/health",
        "public GET    /api/invitations/:token",
        "public GET    /api/openapi.json",
        "public GET    /api/sso/lookup",
        "public GET    /api/survey/:token",
        "public POST   /api/auth/request-password-reset",
        "public POST   /api/auth/reset-password",
        "public POST   /api/auth/send-verification-email",
        "public POST   /api/auth/sign-in/email",
        "public POST   /api/auth/sign-in/sso",
        "public POST   /api/auth/sign-out",
        "public POST   /api/auth/sign-up/email",
        "public POST   /api/auth/sso/saml2/sp/acs/:providerId",
        "public POST   /api/auth/two-factor/verify-backup-code",
        "public POST   /api/auth/two-factor/verify-totp",
        "public POST   /api/invitations/accept",
        "public POST   /api/survey/:token",
        "staff  DELETE /api/time-entries/:id",
        "staff  DELETE /api/views/:id",
        "staff  GET    /api/desks",
        "staff  GET    /api/inbound/triage",
        "staff  GET    /api/organizations",
        "staff  GET    /api/queues",
        "staff  GET    /api/requests/:key/time-entries",
        "staff  GET    /api/staff/flex/balances",
        "staff  GET    /api/staff/flex/export.csv",
        "staff  GET    /api/views",
        "staff  PATCH  /api/requests/:key",
        "staff  PATCH  /api/time-entries/:id",
        "staff  POST   /api/inbound/triage/:id/dismiss",
        "staff  POST   /api/inbound/triage/:id/open",
        "staff  POST   /api/requests/:key/move",
        "staff  POST   /api/requests/:key/qualify",
        "staff  POST   /api/requests/:key/time-entries",
        "staff  POST   /api/requests/bulk",
        "staff  POST   /api/views",
        "user   DELETE /api/me/api-tokens/:id",
        "user   DELETE /api/requests/:key/participants/:userId",
        "user   GET    /api/attachments/limits",
        "user   GET    /api/catalog",
        "user   GET    /api/flex/organizations/:id",
        "user   GET    /api/flex/organizations/:id/purchases",
        "user   GET    /api/flex/organizations/:id/statement",
        "user   GET    /api/flex/organizations/:id/statement.csv",
        "user   GET    /api/me",
        "user   GET    /api/me/api-tokens",
        "user   GET    /api/me/email-preferences",
        "user   GET    /api/notifications",
        "user   GET    /api/notifications/unread-count",
        "user   GET    /api/organization-members",
        "user   GET    /api/projects/:id",
        "user   GET    /api/requests",
        "user   GET    /api/requests/:key",
        "user   GET    /api/requests/:key/attachments/:id",
        "user   GET    /api/requests/:key/lifecycle",
        "user   GET    /api/requests/:key/messages/:messageId/original",
        "user   PATCH  /api/me",
        "user   PATCH  /api/me/email-preferences",
        "user   POST   /api/attachments",
        "user   POST   /api/auth/change-password",
        "user   POST   /api/auth/two-factor/disable",
        "user   POST   /api/auth/two-factor/enable",
        "user   POST   /api/auth/two-factor/generate-backup-codes",
        "user   POST   /api/me/api-tokens",
        "user   POST   /api/notifications/read",
        "user   POST   /api/requests",
        "user   POST   /api/requests/:key/follow-up",
        "user   POST   /api/requests/:key/messages",
        "user   POST   /api/requests/:key/participants",
        "user   POST   /api/requests/:key/survey",
        "user   POST   /api/requests/:key/transitions",
      ]
    `);
  });

  it('refuses anonymous callers with 401 on every route that is not public', async () => {
    const failures: string[] = [];
    for (const route of guarded()) {
      const res = await send(route);
      if (res.statusCode !== 401 || res.json().code !== 'auth.unauthenticated') failures.push(`${route.method} ${route.url} → ${res.statusCode} ${res.body}`);
    }
    expect(failures).toEqual([]);
  });

  it('refuses with 403 every role that the access level does not allow', async () => {
    const failures: string[] = [];
    let checked = 0;
    for (const route of guarded()) {
      for (const role of REFUSED_ROLES[route.access as Exclude<Access, 'public'>]) {
        checked++;
        const res = await send(route, cookies[role]);
        if (res.statusCode !== 403 || res.json().code !== 'auth.forbidden')
          failures.push(`${role}: ${route.method} ${route.url} → ${res.statusCode} ${res.body}`);
      }
    }
    expect(failures).toEqual([]);
    expect(checked).toBeGreaterThan(10);
  });

  it('lets the allowed roles through the guard', async () => {
    // Past the guard the answer depends on the route (404 for a random id, 400 for an empty body…), never 401 or 403.
    const failures: string[] = [];
    for (const route of guarded()) {
      const allowed: Role[] = route.access === 'admin' ? ['admin'] : route.access === 'staff' ? ['agent', 'admin'] : ['customer', 'agent', 'admin'];
      for (const role of allowed) {
        const res = await send(route, cookies[role]);
        if (res.statusCode === 401 || res.statusCode === 403) failures.push(`${role}: ${route.method} ${route.url} → ${res.statusCode} ${res.body}`);
      }
    }
    expect(failures).toEqual([]);
  });
});
