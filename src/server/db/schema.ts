/**
 * The database schema, one file per feature under schema/ (drizzle.config.ts reads them all). This
 * index gathers them for the Drizzle client and for the code that reads several features' tables.
 */
export * from './schema/columns.ts';
export * from './schema/organizations.ts';
export * from './schema/accounts.ts';
export * from './schema/audit.ts';
export * from './schema/mail.ts';
export * from './schema/catalog.ts';
export * from './schema/projects.ts';
export * from './schema/tickets.ts';
export * from './schema/attachments.ts';
export * from './schema/idempotency.ts';
export * from './schema/calendar.ts';
export * from './schema/sla.ts';
export * from './schema/escalation.ts';
export * from './schema/lifecycle.ts';
export * from './schema/survey.ts';
export * from './schema/flex.ts';
export * from './schema/notifications.ts';
export * from './schema/inbound.ts';
export * from './schema/webhooks.ts';
export * from './schema/api-tokens.ts';
export * from './schema/sso.ts';
export * from './schema/jsm-import.ts';
