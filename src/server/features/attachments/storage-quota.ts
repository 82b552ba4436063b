import { eq, sql, type SQL } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.ts';
import { attachment, organization } from '../../db/schema.ts';
import { AppError, notFound } from '../../errors.ts';

/*
 * An organization's storage: the uploads of its customers (attachment.organization_id, set at upload),
 * attached to requests or waiting to be, count against its quota — its own (organization.storage_quota_mb)
 * or the installation's (ORG_STORAGE_QUOTA_MB). Staff uploads belong to no organization and count
 * against none. Uploads never attached are swept after a day (sweep-uploads.job.ts), freeing their room.
 */

const MIB = 1024 * 1024;

/** The quota that applies, in MiB. */
export const effectiveQuotaMb = (ownMb: number | null, defaultMb: number) => ownMb ?? defaultMb;

/** Bytes an organization's uploads take, as a subquery for the organization whose id is `organizationId`. */
export const storageUsedBytes = (organizationId: SQL) =>
  sql<number>`(select coalesce(sum(a.size), 0) from ${attachment} a where a.organization_id = ${organizationId})`.mapWith(Number);

const megabytes = (bytes: number) => (bytes / MIB).toLocaleString('en', { maximumFractionDigits: 1 });

/**
 * Refuses an upload of `bytes` that would take the organization over its quota. The organization's
 * row stays locked until the caller's transaction ends, so uploads of one organization made at the
 * same moment are counted one after the other and cannot pass the quota together.
 */
export async function assertStorageRoom(tx: DbOrTx, options: { organizationId: string; bytes: number; defaultQuotaMb: number }): Promise<void> {
  const [org] = await tx.select({ quotaMb: organization.storageQuotaMb }).from(organization).where(eq(organization.id, options.organizationId)).for('update');
  if (!org) throw notFound('organization');
  const quotaBytes = effectiveQuotaMb(org.quotaMb, options.defaultQuotaMb) * MIB;
  const [usage] = await tx
    .select({ used: sql<number>`coalesce(sum(${attachment.size}), 0)`.mapWith(Number) })
    .from(attachment)
    .where(eq(attachment.organizationId, options.organizationId));
  const used = usage?.used ?? 0;
  if (used + options.bytes > quotaBytes) {
    throw new AppError(
      413,
      'attachment.quota_exceeded',
      `Your organization's files would go over its storage quota of ${megabytes(quotaBytes)} MiB (${megabytes(used)} MiB used). Ask Customer Services for more room.`,
      'file',
      quotaBytes,
    );
  }
}
