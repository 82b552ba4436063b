import { eq } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.ts';
import { desk } from '../../db/schema.ts';
import { AppError } from '../../errors.ts';
import { balanceOf } from './balance.ts';
import { contractOf, isMaintenanceActive } from '../organizations/contract-settings.ts';

/**
 * The contract rules on opening a request (DESIGN.md §2 "Flex"), checked before anything is written:
 * - a Solva Flex request at a zero or negative balance, when the organization's policy is "refuse";
 * - a request at a desk the maintenance contract covers (the Support desk: `coveredByMaintenance`, never its
 *   editable slug), when the organization requires an active maintenance contract and has none today.
 * (The active Flex contract itself is checked by createTicket.)
 */
export async function assertRequestAllowedByContracts(
  db: DbOrTx,
  options: { organizationId: string; deskId: string; requiresFlexContract: boolean; today: string },
): Promise<void> {
  const contract = await contractOf(db, options.organizationId);
  if (options.requiresFlexContract && contract.zeroBalancePolicy === 'refuse') {
    const { balanceMinutes } = await balanceOf(db, options.organizationId);
    if (balanceMinutes <= 0) {
      throw new AppError(
        400,
        'ticket.flex_balance_exhausted',
        'Your Flex balance is used up: buy hours before opening a new Solva Flex request.',
        'requestTypeId',
      );
    }
  }
  if (contract.maintenanceRequiredForSupport) {
    const [d] = await db.select({ covered: desk.coveredByMaintenance }).from(desk).where(eq(desk.id, options.deskId));
    if (d?.covered && !(await isMaintenanceActive(db, options.organizationId, options.today))) {
      throw new AppError(400, 'ticket.maintenance_contract_required', 'Support requests need an active maintenance contract.', 'requestTypeId');
    }
  }
}
