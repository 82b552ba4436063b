import { mkdir, rename, stat } from 'node:fs/promises';
import path from 'node:path';

/**
 * Attachments live in DATA_DIR/attachments: uploads wait in `uploads/` until they are attached,
 * then move into a folder per request. Files are named by their id, never by the user's file name.
 */
const root = (dataDir: string) => path.join(dataDir, 'attachments');
export const uploadPath = (dataDir: string, id: string) => path.join(root(dataDir), 'uploads', id);
export const ticketFilePath = (dataDir: string, ticketId: string, id: string) => path.join(root(dataDir), ticketId, id);

export async function ensureUploadDir(dataDir: string): Promise<void> {
  await mkdir(path.join(root(dataDir), 'uploads'), { recursive: true });
}

/** After the transaction that attached them commits: a rename, atomic on one file system. */
export async function moveIntoTicketFolder(dataDir: string, ticketId: string, ids: string[]): Promise<void> {
  if (ids.length === 0) return;
  await mkdir(path.join(root(dataDir), ticketId), { recursive: true });
  for (const id of ids) {
    await rename(uploadPath(dataDir, id), ticketFilePath(dataDir, ticketId, id)).catch(() => {
      /* already moved; the reader also looks in uploads/ should a crash have come between commit and move */
    });
  }
}

/** Where an attached file is: its request's folder, or still in uploads/ if the move did not happen. */
export async function locateAttachment(dataDir: string, ticketId: string, id: string): Promise<string | null> {
  for (const candidate of [ticketFilePath(dataDir, ticketId, id), uploadPath(dataDir, id)]) {
    try {
      await stat(candidate);
      return candidate;
    } catch {
      /* try the next */
    }
  }
  return null;
}
