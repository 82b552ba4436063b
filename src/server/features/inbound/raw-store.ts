import { mkdir, open, readFile, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { notFound } from '../../errors.ts';

/**
 * The source of every received e-mail, as it came, in DATA_DIR/inbound/<id>.eml (beside the
 * attachments, and shared by the instances the same way). Written and flushed to disk before its
 * row is: a message in the log always has its source. A large message stays out of the database,
 * which would store and read it far more slowly.
 */
const folder = (dataDir: string) => path.join(dataDir, 'inbound');
export const rawPath = (dataDir: string, id: string) => path.join(folder(dataDir), `${id}.eml`);

export async function writeRaw(dataDir: string, id: string, raw: Buffer): Promise<void> {
  await mkdir(folder(dataDir), { recursive: true });
  const target = rawPath(dataDir, id);
  const partial = `${target}.partial`;
  const file = await open(partial, 'w', 0o600);
  try {
    await file.writeFile(raw);
    await file.sync();
  } finally {
    await file.close();
  }
  await rename(partial, target);
}

export async function readRaw(dataDir: string, id: string): Promise<Buffer> {
  try {
    return await readFile(rawPath(dataDir, id));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw notFound('inbound_source');
    throw error;
  }
}

/** Removes the source of a message that was not kept (the same Message-ID was already stored). */
export const removeRaw = (dataDir: string, id: string) => rm(rawPath(dataDir, id), { force: true });
