import { randomUUID } from 'node:crypto';
import { rm, writeFile } from 'node:fs/promises';
import type { Attachment } from '#shared/tickets-api.ts';
import type { AppContext } from '../../app.ts';
import { attachment } from '../../db/schema.ts';
import { AppError } from '../../errors.ts';
import { detectContentType } from './detect-content-type.ts';
import { ensureUploadDir, uploadPath } from './storage.ts';

const cleanFileName = (name: string) =>
  name
    .replace(/[\\/]/g, '_')
    .replace(/[\u0000-\u001f\u007f]/g, '')
    .trim()
    .slice(0, 200) || 'file';

/**
 * Stores an upload, not yet attached to a request: the file first (outside any transaction), then
 * its row. The uploader attaches it when creating a request or replying.
 */
export async function uploadAttachment(
  ctx: Pick<AppContext, 'db' | 'clock' | 'config'>,
  options: { uploaderId: string; fileName: string; bytes: Buffer },
): Promise<Attachment> {
  const fileName = cleanFileName(options.fileName);
  if (options.bytes.length === 0) throw new AppError(400, 'attachment.empty', 'The file is empty.', 'file');
  const contentType = await detectContentType(options.bytes, fileName);
  if (!contentType) {
    throw new AppError(415, 'attachment.type_refused', 'This type of file is not accepted. Send images, PDF, office documents, text or archives.', 'file');
  }
  const id = randomUUID();
  await ensureUploadDir(ctx.config.dataDir);
  const file = uploadPath(ctx.config.dataDir, id);
  await writeFile(file, options.bytes, { mode: 0o600 });
  try {
    const [row] = await ctx.db
      .insert(attachment)
      .values({ id, uploaderId: options.uploaderId, fileName, contentType, size: options.bytes.length, createdAt: ctx.clock.now() })
      .returning();
    return present(row!);
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
