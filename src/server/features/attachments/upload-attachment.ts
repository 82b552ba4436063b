import { randomUUID } from 'node:crypto';
import { rm, writeFile } from 'node:fs/promises';
import type { Attachment } from '#shared/tickets-api.ts';
import type { AppContext } from '../../context.ts';
import { consumeRate, type RateWindow } from '../../db/rate-limit.ts';
import { attachment } from '../../db/schema.ts';
import { AppError } from '../../errors.ts';
import type { SessionUser } from '../../http/access.ts';
import { can } from '../../policies/can.ts';
import { belongsToOrganization } from '../../policies/accounts.ts';
import { assertStorageRoom } from './storage-quota.ts';
import { detectContentType } from './detect-content-type.ts';
import { ensureUploadDir, uploadPath } from './storage.ts';

export const cleanFileName = (name: string) =>
  name
    .replace(/[\\/]/g, '_')
    // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what this removes.
    .replace(/[\u0000-\u001f\u007f]/g, '')
    .trim()
    .slice(0, 200) || 'file';

const MIB = 1024 * 1024;

/**
 * Uploads per person, in the rate_limit table so that every instance counts them: at most 20 files
 * and 50 MiB (or two of the largest files accepted, when that is more) in 10 minutes. Together with
 * the organization's storage quota and the sweep of uploads never attached, one account cannot fill
 * the disk.
 */
export const UPLOAD_LIMITS = {
  files: { windowSeconds: 10 * 60, max: 20 },
  bytes: (maxFileBytes: number): RateWindow => ({ windowSeconds: 10 * 60, max: Math.max(50 * MIB, 2 * maxFileBytes) }),
};

type Uploader = Pick<SessionUser, 'id' | 'role' | 'organizationId'>;
type UploadCtx = Pick<AppContext, 'db' | 'clock' | 'config'>;

const tooManyUploads = (retryAfterSeconds: number) =>
  new AppError(429, 'attachment.rate_limited', 'Too many files sent in a short time. Please wait and try again.', 'file', undefined, { retryAfterSeconds });

/**
 * Whether this person may send a file now, checked before the file is read: a customer must belong
 * to an organization (their uploads count against its storage, and they could attach them nowhere
 * else), and each person sends a limited number of files per window (UPLOAD_LIMITS).
 */
export async function assertMayUpload(ctx: UploadCtx, uploader: Uploader): Promise<void> {
  if (!can(uploader, 'upload')) {
    throw new AppError(403, 'organization.required', 'An administrator must attach your account to your organization first.');
  }
  const files = await consumeRate(ctx.db, ctx.clock, `uploads:files:user:${uploader.id}`, UPLOAD_LIMITS.files);
  if (!files.allowed) throw tooManyUploads(files.retryAfterSeconds);
}

/**
 * Stores an upload, not yet attached to a request: the file first (outside any transaction), then
 * its row. The uploader attaches it when creating a request or replying. A customer's upload counts
 * against their organization's storage quota: refused when it would go over (413); staff uploads
 * count against none.
 */
export async function uploadAttachment(ctx: UploadCtx, options: { uploader: Uploader; fileName: string; bytes: Buffer }): Promise<Attachment> {
  const { uploader } = options;
  const fileName = cleanFileName(options.fileName);
  if (options.bytes.length === 0) throw new AppError(400, 'attachment.empty', 'The file is empty.', 'file');
  const contentType = await detectContentType(options.bytes, fileName);
  if (!contentType) {
    throw new AppError(415, 'attachment.type_refused', 'This type of file is not accepted. Send images, PDF, office documents, text or archives.', 'file');
  }
  const sent = await consumeRate(
    ctx.db,
    ctx.clock,
    `uploads:bytes:user:${uploader.id}`,
    UPLOAD_LIMITS.bytes(ctx.config.attachmentMaxBytes),
    options.bytes.length,
  );
  if (!sent.allowed) throw tooManyUploads(sent.retryAfterSeconds);

  const organizationId = belongsToOrganization(uploader.role) ? uploader.organizationId : null;
  const id = randomUUID();
  await ensureUploadDir(ctx.config.dataDir);
  const file = uploadPath(ctx.config.dataDir, id);
  await writeFile(file, options.bytes, { mode: 0o600 });
  try {
    const row = await ctx.db.transaction(async (tx) => {
      if (organizationId) await assertStorageRoom(tx, { organizationId, bytes: options.bytes.length, defaultQuotaMb: ctx.config.orgStorageQuotaMb });
      const [created] = await tx
        .insert(attachment)
        .values({ id, uploaderId: uploader.id, organizationId, fileName, contentType, size: options.bytes.length, createdAt: ctx.clock.now() })
        .returning();
      return created!;
    });
    return present(row);
  } catch (error) {
    await rm(file, { force: true });
    throw error;
  }
}

export const present = (row: typeof attachment.$inferSelect): Attachment => ({
  id: row.id,
  fileName: row.fileName,
  contentType: row.contentType,
  size: row.size,
  messageId: row.messageId,
  internal: row.internal,
  createdAt: row.createdAt.toISOString(),
});
