/**
 * What an ERP does with Guichet's API and a token: it opens a request, replies to it and reads it back.
 * Every path, parameter, body and answer is typed from schema.d.ts, which check.sh generates from the
 * OpenAPI document (/api/openapi.json) with openapi-typescript, then compiles this file against it.
 *
 *   GUICHET_URL=https://support.example.com GUICHET_TOKEN=gch_... node example.ts
 *
 * A bearer token needs no Origin header (only changes made with the session cookie do).
 */
import { randomUUID } from 'node:crypto';
import createClient from 'openapi-fetch';
import type { components, paths } from './schema.js';

type ApiError = components['schemas']['Error'];

const baseUrl = process.env.GUICHET_URL;
const token = process.env.GUICHET_TOKEN;
if (!baseUrl || !token) {
  console.error('Set GUICHET_URL (the portal, e.g. https://support.example.com) and GUICHET_TOKEN (an API token, gch_...).');
  process.exit(2);
}

const api = createClient<paths>({ baseUrl: baseUrl.replace(/\/+$/, ''), headers: { Authorization: `Bearer ${token}` } });

function fail(step: string, status: number, error: ApiError): never {
  console.error(`${step}: ${status} ${error.code}: ${error.message}${error.field ? ` (${error.field})` : ''}`);
  process.exit(1);
}

// 1. What the token's owner may open: the first available request type that needs no project (getCatalog).
const catalog = await api.GET('/api/catalog');
if (catalog.error) fail('getCatalog', catalog.response.status, catalog.error);
const requestType = catalog.data.desks.flatMap((desk) => desk.requestTypes).find((type) => type.available && !type.requiresProject);
if (!requestType) {
  console.error('No request type is open to this account.');
  process.exit(1);
}

// 2. Open a request (createRequest). The Idempotency-Key makes a retry after a lost answer safe.
const created = await api.POST('/api/requests', {
  params: { header: { 'Idempotency-Key': randomUUID() } },
  body: {
    requestTypeId: requestType.id,
    summary: 'Order 4711 cannot be invoiced',
    description: 'Opened by the ERP: the invoice run stops at order 4711 with "missing cost centre".',
    criticality: 'medium',
  },
});
if (created.error) fail('createRequest', created.response.status, created.error);
const { key } = created.data;
console.log(`Opened ${key} (${created.response.headers.get('location')})`);

// 3. Reply publicly (createMessage); the answer is the request as it now is.
const replied = await api.POST('/api/requests/{key}/messages', {
  params: { path: { key } },
  body: { body: 'The cost centre of order 4711 is now filled in; the next run is at 18:00.', visibility: 'public' },
});
if (replied.error) fail('createMessage', replied.response.status, replied.error);

// 4. Read it back (getRequest).
const read = await api.GET('/api/requests/{key}', { params: { path: { key } } });
if (read.error) fail('getRequest', read.response.status, read.error);
const request = read.data;
console.log(`${request.key} · ${request.status} (${request.statusLabel}) · ${request.desk.name} / ${request.requestType.name}`);
for (const message of request.messages) {
  console.log(`  ${message.createdAt} ${message.author.name}${message.author.staff ? ' (staff)' : ''}: ${message.body}`);
}
