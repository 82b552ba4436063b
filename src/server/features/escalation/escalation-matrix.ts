import { and, asc, eq, inArray } from 'drizzle-orm';
import type { EscalationMatrix, escalationMatrixInputSchema } from '#shared/sla-api.ts';
import type { z } from 'zod';
import type { Clock } from '../../clock.ts';
import type { Db, DbOrTx } from '../../db/client.ts';
import { desk, escalationContact, escalationLevel, type Localized } from '../../db/schema.ts';
import { notFound } from '../../errors.ts';
import { recordAudit } from '../audit/record-audit.ts';

const EMPTY: Localized = { fr: '', de: '', en: '' };

/** The matrices of the given desks (all active desks when none given), levels 1–3 each, contacts in order. */
export async function getMatrices(db: DbOrTx, deskIds?: string[]): Promise<EscalationMatrix[]> {
  const desks = await db
    .select({ id: desk.id, names: desk.names })
    .from(desk)
    .where(deskIds ? inArray(desk.id, deskIds) : eq(desk.active, true))
    .orderBy(asc(desk.position));
  if (!desks.length) return [];
  const ids = desks.map((d) => d.id);
  const [levels, contacts] = await Promise.all([
    db.select().from(escalationLevel).where(inArray(escalationLevel.deskId, ids)),
    db.select().from(escalationContact).where(inArray(escalationContact.deskId, ids)).orderBy(asc(escalationContact.level), asc(escalationContact.position)),
  ]);
  return desks.map((d) => ({
    deskId: d.id,
    deskNames: d.names,
    levels: [1, 2, 3].map((level) => ({
      level,
      whenToCall: levels.find((l) => l.deskId === d.id && l.level === level)?.whenToCall ?? EMPTY,
      contacts: contacts
        .filter((c) => c.deskId === d.id && c.level === level)
        .map(({ name, role, email, phone, language }) => ({ name, role, email, phone, language })),
    })),
  }));
}

export async function getMatrix(db: DbOrTx, deskId: string): Promise<EscalationMatrix> {
  const [matrix] = await getMatrices(db, [deskId]);
  if (!matrix) throw notFound('desk');
  return matrix;
}

/** Replaces a desk's matrix: the three levels' sentences and contacts. */
export async function setMatrix(
  deps: { db: Db; clock: Clock },
  options: { actorId: string; deskId: string; input: z.output<typeof escalationMatrixInputSchema> },
): Promise<EscalationMatrix> {
  const now = deps.clock.now();
  return deps.db.transaction(async (tx) => {
    const [found] = await tx.select({ id: desk.id }).from(desk).where(eq(desk.id, options.deskId)).for('update');
    if (!found) throw notFound('desk');
    const before = await getMatrix(tx, found.id);
    await tx.delete(escalationContact).where(eq(escalationContact.deskId, found.id));
    await tx.delete(escalationLevel).where(eq(escalationLevel.deskId, found.id));
    await tx.insert(escalationLevel).values(options.input.levels.map((l) => ({ deskId: found.id, level: l.level, whenToCall: l.whenToCall })));
    const contacts = options.input.levels.flatMap((l) => l.contacts.map((c, position) => ({ ...c, deskId: found.id, level: l.level, position })));
    if (contacts.length) await tx.insert(escalationContact).values(contacts);
    const after = await getMatrix(tx, found.id);
    await recordAudit(tx, {
      at: now,
      actorId: options.actorId,
      action: 'escalation.matrix_changed',
      targetType: 'desk',
      targetId: found.id,
      details: { from: before.levels, to: after.levels },
    });
    return after;
  });
}

/** The contacts of one level of a desk, for the SLA escalations. */
export async function contactsOf(db: DbOrTx, deskId: string, level: 1 | 2 | 3) {
  return db
    .select({ email: escalationContact.email, name: escalationContact.name, language: escalationContact.language })
    .from(escalationContact)
    .where(and(eq(escalationContact.deskId, deskId), eq(escalationContact.level, level)))
    .orderBy(asc(escalationContact.position));
}
