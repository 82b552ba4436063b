import { eq } from 'drizzle-orm';
import type { WebhookDeliveryType } from '#shared/webhooks-api.ts';
import type { DbOrTx } from '../../db/client.ts';
import { desk, organization, requestType, ticket } from '../../db/schema.ts';

/** Version 1 of every payload: `{ type, version, timestamp, data }` (documented in the OpenAPI `webhooks`). */
export const PAYLOAD_VERSION = 1;

export type RequestRef = {
  id: string;
  key: string;
  summary: string;
  status: string;
  criticality: string;
  url: string;
  desk: { id: string; slug: string; name: string };
  organization: { id: string; name: string };
};

export type Envelope = { type: WebhookDeliveryType; version: 1; timestamp: string; data: Record<string, unknown> };

export const envelope = (type: WebhookDeliveryType, at: Date, data: Record<string, unknown>): Envelope => ({
  type,
  version: PAYLOAD_VERSION,
  timestamp: at.toISOString(),
  data,
});

/** The request as a payload names it, read in the transaction of the change. */
export async function requestRef(db: DbOrTx, baseUrl: string, ticketId: string): Promise<RequestRef | null> {
  const [row] = await db
    .select({
      id: ticket.id,
      key: ticket.key,
      summary: ticket.summary,
      status: ticket.status,
      criticality: ticket.criticality,
      deskId: desk.id,
      deskSlug: desk.slug,
      deskNames: desk.names,
      organizationId: organization.id,
      organizationName: organization.name,
    })
    .from(ticket)
    .innerJoin(desk, eq(desk.id, ticket.deskId))
    .innerJoin(organization, eq(organization.id, ticket.organizationId))
    .where(eq(ticket.id, ticketId));
  if (!row) return null;
  return {
    id: row.id,
    key: row.key,
    summary: row.summary,
    status: row.status,
    criticality: row.criticality,
    url: `${baseUrl}/requests/${row.key}`,
    desk: { id: row.deskId, slug: row.deskSlug, name: row.deskNames.en },
    organization: { id: row.organizationId, name: row.organizationName },
  };
}

/** A request being created (its row is not written yet): its desk from its type. */
export async function newRequestRef(
  db: DbOrTx,
  baseUrl: string,
  e: { ticketId: string; key: string; summary: string; criticality: string; requestTypeId: string; organizationId: string },
): Promise<RequestRef> {
  const [type] = await db
    .select({ deskId: desk.id, deskSlug: desk.slug, deskNames: desk.names })
    .from(requestType)
    .innerJoin(desk, eq(desk.id, requestType.deskId))
    .where(eq(requestType.id, e.requestTypeId));
  const [org] = await db.select({ name: organization.name }).from(organization).where(eq(organization.id, e.organizationId));
  return {
    id: e.ticketId,
    key: e.key,
    summary: e.summary,
    status: 'open',
    criticality: e.criticality,
    url: `${baseUrl}/requests/${e.key}`,
    desk: { id: type!.deskId, slug: type!.deskSlug, name: type!.deskNames.en },
    organization: { id: e.organizationId, name: org?.name ?? '' },
  };
}

export async function organizationRef(db: DbOrTx, organizationId: string): Promise<{ id: string; name: string }> {
  const [org] = await db.select({ name: organization.name }).from(organization).where(eq(organization.id, organizationId));
  return { id: organizationId, name: org?.name ?? '' };
}
