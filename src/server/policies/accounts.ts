/**
 * What an account's role says about it — the one place where roles are named (DESIGN.md §1).
 * Agents and administrators work for the vendor (Customer Services, "staff"): they belong to no
 * customer organization and may belong to desks. Customers belong to one organization and to no desk.
 * What a viewer may do with a request, an organization or a project is asked of `can` (policies/can.ts).
 */
import { eq, inArray, type SQL } from 'drizzle-orm';
import type { Role } from '#shared/domain.ts';
import { user } from '../db/schema.ts';

/** The roles of Customer Services. */
export const STAFF_ROLES = ['agent', 'admin'] as const satisfies readonly Role[];

/** Agents and administrators work for the vendor. */
export const isStaffRole = (role: Role | string | null | undefined): boolean => (STAFF_ROLES as readonly string[]).includes(role ?? '');

/** Customers belong to one organization; staff never to one. */
export const belongsToOrganization = (role: Role): boolean => role === 'customer';

/** Only staff may be members of a desk (receive its work and its warnings). */
export const mayJoinDesk = (role: Role): boolean => isStaffRole(role);

/** Who may be assigned a request of a desk: an administrator, or an agent member of that desk. */
export const mayBeAssignedAtDesk = (role: Role, memberOfDesk: boolean): boolean => role === 'admin' || (role === 'agent' && memberOfDesk);

/**
 * Which side of the counter someone speaks from: Customer Services or the customer. Not a permission
 * (ask `can` for those) but who wrote a reply or opened a request, what a text says to whom.
 */
export const isCustomerServices = (viewer: { role: Role }): boolean => isStaffRole(viewer.role);

/** The accounts (rows of `user`) of Customer Services, in SQL. */
export const staffAccount = (): SQL => inArray(user.role, [...STAFF_ROLES]);

/** The customer accounts (rows of `user`), in SQL. */
export const customerAccount = (): SQL => eq(user.role, 'customer');

/** Only an administrator's API token may carry the administration scope (features/api-tokens). */
export const mayHoldAdminScope = (role: Role): boolean => role === 'admin';

/**
 * A service account works for the vendor (features/api-tokens): agent or administrator. The role it is
 * shown with — an account an administrator turned into a customer behind the rules shows as an agent.
 */
export const serviceRoleOf = (role: Role | string): 'agent' | 'admin' => (role === 'admin' ? 'admin' : 'agent');

/** The administrator accounts (rows of `user`), in SQL. */
export const adminAccount = (): SQL => eq(user.role, 'admin');
