import type { SessionUser } from '../../http/access.ts';
import { notFound } from '../../errors.ts';
import { can } from '../../policies/can.ts';

/**
 * Who sees an organization's Flex balance, purchases and ledger: its own customers, and every agent
 * and administrator (DESIGN.md §2). Another organization's does not exist for a customer: 404.
 */
export function assertMayReadFlex(user: SessionUser, organizationId: string): void {
  if (!can(user, 'readFlex', { organizationId })) throw notFound('organization');
}
