import { eq } from 'drizzle-orm';
import type { Invitation } from '#shared/api.ts';
import type { DbOrTx } from '../../db/client.ts';
import { afterCursor, cursorAt, keysetOrder, toPage } from '../../db/keyset.ts';
import { invitation, organization } from '../../db/schema.ts';

export async function listInvitations(db: DbOrTx, query: { cursor?: string | undefined; limit: number }) {
  const rows = await db
    .select({
      id: invitation.id,
      email: invitation.email,
      role: invitation.role,
      organizationId: organization.id,
      organizationName: organization.name,
      expiresAt: invitation.expiresAt,
      acceptedAt: invitation.acceptedAt,
      createdAt: invitation.createdAt,
      cursorAt: cursorAt(invitation.createdAt),
    })
    .from(invitation)
    .leftJoin(organization, eq(organization.id, invitation.organizationId))
    .where(afterCursor(query.cursor, invitation.createdAt, invitation.id))
    .orderBy(...keysetOrder(invitation.createdAt, invitation.id))
    .limit(query.limit + 1);
  return toPage(
    rows,
    query.limit,
    (row): Invitation => ({
      id: row.id,
      email: row.email,
      role: row.role,
      organization: row.organizationId ? { id: row.organizationId, name: row.organizationName! } : null,
      expiresAt: row.expiresAt.toISOString(),
      acceptedAt: row.acceptedAt?.toISOString() ?? null,
      createdAt: row.createdAt.toISOString(),
    }),
  );
}
