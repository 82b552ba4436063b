/**
 * Consulting projects.
 */
import { index, pgTable, text, uuid } from 'drizzle-orm/pg-core';
import { PROJECT_STATUSES } from '#shared/catalog-api.ts';
import { createdAt, oneOf, ts } from './columns.ts';
import { organization } from './organizations.ts';

export const project = pgTable(
  'project',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    organizationId: uuid('organization_id')
      .notNull()
      .references(() => organization.id),
    name: text('name').notNull(),
    code: text('code'),
    /** active or closed */
    status: text('status', { enum: PROJECT_STATUSES }).notNull().default('active'),
    createdAt: createdAt(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [index('project_organization_idx').on(t.organizationId, t.status), oneOf('project_status_check', t.status, PROJECT_STATUSES)],
);
