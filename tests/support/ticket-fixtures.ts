import { expect } from 'vitest';

import { desk, deskMember, flexContractWindow, project, requestType } from '../../src/server/db/schema.ts';
import { call, createOrganization, createUser, login, type TestApp } from './test-app.ts';

/** The base catalogue's ids, found by slug. */
export async function catalog(t: TestApp) {
  const desks = await t.db.select().from(desk);
  const types = await t.db.select().from(requestType);
  const deskId = (slug: string) => desks.find((d) => d.slug === slug)!.id;
  const typeId = (deskSlug: string, slug: string) => types.find((r) => r.deskId === deskId(deskSlug) && r.slug === slug)!.id;
  return {
    supportId: deskId('support'),
    consultingId: deskId('consulting'),
    assistanceId: typeId('support', 'assistance'),
    solvaFlexId: typeId('support', 'solva-flex'),
    projectRequestId: typeId('consulting', 'project-request'),
  };
}

/** An organization with two customers (logged in) and, on request, an active Flex contract and a project. */
export async function customerOrg(t: TestApp, options: { flex?: boolean; project?: boolean; name?: string } = {}) {
  const org = await createOrganization(t, options.name ?? 'Customer Org');
  const reporter = await createUser(t, { organizationId: org.id, name: 'Rita Reporter', language: 'fr' });
  const colleague = await createUser(t, { organizationId: org.id, name: 'Carl Colleague', language: 'de' });
  if (options.flex) {
    const year = t.clock.now().getUTCFullYear();
    await t.db.insert(flexContractWindow).values({ organizationId: org.id, startsOn: `${year - 1}-01-01`, endsOn: `${year + 1}-12-31` });
  }
  const [p] = options.project ? await t.db.insert(project).values({ organizationId: org.id, name: 'Rollout', code: 'RO' }).returning() : [];
  return {
    org,
    reporter: { ...reporter, cookie: await login(t, reporter.email) },
    colleague: { ...colleague, cookie: await login(t, colleague.email) },
    projectId: p?.id ?? null,
  };
}

/** A logged-in agent member of the given desks. */
export async function agentOf(t: TestApp, deskIds: string[], name = 'Alex Agent') {
  const agent = await createUser(t, { role: 'agent', name, language: 'en' });
  if (deskIds.length) await t.db.insert(deskMember).values(deskIds.map((deskId) => ({ deskId, userId: agent.id })));
  return { ...agent, cookie: await login(t, agent.email) };
}

export async function openRequest(t: TestApp, cookie: string, body: Record<string, unknown>) {
  const res = await call(t.app, {
    method: 'POST',
    url: '/api/requests',
    cookie,
    body: { summary: 'Invoices do not print', description: 'Since this morning the **invoice** run stops.', criticality: 'high', ...body },
  });
  if (res.statusCode !== 201) throw new Error(`open request failed: ${res.statusCode} ${res.body}`);
  expect(res.headers.location).toBe(`/api/requests/${res.json().key}`);
  return res.json() as { key: string; id: string };
}

export const uploadFile = (t: TestApp, cookie: string, fileName: string, bytes: Buffer, contentType = 'application/octet-stream') => {
  const boundary = `----guichet${Math.random().toString(16).slice(2)}`;
  const payload = Buffer.concat([
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${fileName}"\r\nContent-Type: ${contentType}\r\n\r\n`),
    bytes,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return t.app.inject({
    method: 'POST',
    url: '/api/attachments',
    headers: { cookie, origin: 'http://localhost:3000', 'content-type': `multipart/form-data; boundary=${boundary}` },
    payload,
  });
};

/** A 1×1 PNG. */
export const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');
export const PDF = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');
