import { asc, eq, inArray } from 'drizzle-orm';
import type { Language } from '#shared/domain.ts';
import type { DbOrTx } from '../../db/client.ts';
import { desk, deskMember, user, type Localized } from '../../db/schema.ts';
import { AppError } from '../../errors.ts';
import { mayJoinDesk } from '../../policies/accounts.ts';

/** The desks an agent works on, in the order the portal shows them. Administrators work on every desk whatever this says. */
export async function deskIdsOfAgent(db: DbOrTx, userId: string): Promise<string[]> {
  const rows = await db
    .select({ id: desk.id })
    .from(deskMember)
    .innerJoin(desk, eq(desk.id, deskMember.deskId))
    .where(eq(deskMember.userId, userId))
    .orderBy(asc(desk.position), asc(desk.slug));
  return rows.map((r) => r.id);
}

export const localize = (text: Localized, language: Language): string => text[language] || text.fr;

/** Why a request type is closed to an organization right now; null when it is open. */
export type UnavailableReason = 'flex_contract_inactive';

export function requestTypeUnavailability(
  type: { requiresFlexContract: boolean },
  organizationState: { flexContractActive: boolean },
): UnavailableReason | null {
  if (type.requiresFlexContract && !organizationState.flexContractActive) return 'flex_contract_inactive';
  return null;
}

/** What the portal says about an unavailable request type: to a customer about their own organization, to staff about the one they chose. */
const UNAVAILABLE_TEXT: Record<UnavailableReason, Record<'customer' | 'staff', Localized>> = {
  flex_contract_inactive: {
    customer: {
      fr: 'Disponible uniquement lorsque le contrat Flex de votre organisation est actif, ce qui n’est pas le cas aujourd’hui.',
      de: 'Nur verfügbar, solange der Flex-Vertrag Ihrer Organisation aktiv ist – heute ist das nicht der Fall.',
      en: 'Only available while your organization’s Flex contract is active, which it is not today.',
    },
    staff: {
      fr: 'Le contrat Flex de cette organisation n’est pas actif aujourd’hui.',
      de: 'Der Flex-Vertrag dieser Organisation ist heute nicht aktiv.',
      en: 'This organization’s Flex contract is not active today.',
    },
  },
};

export const unavailableText = (reason: UnavailableReason, audience: 'customer' | 'staff', language: Language) =>
  localize(UNAVAILABLE_TEXT[reason][audience], language);

export const memberNotStaff = (userId: string) =>
  new AppError(400, 'desk.member_not_staff', `Only active agents and administrators can belong to a desk; ${userId} is not one.`, 'userIds');

/** Desk members must be active agents or administrators; returns the ids without duplicates, in a stable order. */
export async function staffMembers(db: DbOrTx, userIds: readonly string[]): Promise<string[]> {
  const wanted = [...new Set(userIds)].sort();
  if (wanted.length === 0) return wanted;
  const found = await db
    .select({ id: user.id, role: user.role, banned: user.banned })
    .from(user)
    .where(inArray(user.id, wanted))
    // A concurrent demotion or deactivation waits for this transaction, or this one sees its result.
    .for('share');
  const eligible = new Set(found.filter((u) => mayJoinDesk(u.role) && !u.banned).map((u) => u.id));
  const refused = wanted.find((id) => !eligible.has(id));
  if (refused !== undefined) throw memberNotStaff(refused);
  return wanted;
}
