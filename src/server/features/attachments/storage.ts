import { constants } from 'node:fs';
import { copyFile, link, mkdir, rm, stat } from 'node:fs/promises';
import path from 'node:path';

/**
 * Attachments live in DATA_DIR/attachments: uploads wait in `uploads/` until they are attached,
 * then move into a folder per request, together with the transaction that attaches them. Files
 * are named by their id, never by the user's file name.
 */
const root = (dataDir: string) => path.join(dataDir, 'attachments');
export const uploadPath = (dataDir: string, id: string) => path.join(root(dataDir), 'uploads', id);
export const ticketFilePath = (dataDir: string, ticketId: string, id: string) => path.join(root(dataDir), ticketId, id);

export async function ensureUploadDir(dataDir: string): Promise<void> {
  await mkdir(path.join(root(dataDir), 'uploads'), { recursive: true });
}

/** Files put in a request's folder by a transaction that has not committed yet. */
type PlacedFiles = {
  /** The transaction committed: the upload names go, the request's folder holds the files. */
  committed(): Promise<void>;
  /** It did not: the request's folder forgets them, the uploads stay pending as they were. */
  rolledBack(): Promise<void>;
};

const errorCode = (error: unknown) => (error as NodeJS.ErrnoException).code;
/** File systems without hard links answer one of these: the file is copied instead. */
const NO_HARD_LINKS = new Set(['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'EXDEV', 'EMLINK']);

/**
 * Puts pending uploads in the request's folder, inside the transaction that attaches them. Each
 * file gets its second name there (a hard link, or a copy) while its upload name stays: until the
 * commit, the upload is intact, so a failed transaction, or a crash before the commit, leaves every
 * upload pending and whole, and the request's folder at worst a stray name. Any error fails the
 * transaction, and so the request; only "already there" is fine (the same file under both names,
 * or the upload gone and the request's file present).
 */
async function placeInTicketFolder(dataDir: string, ticketId: string, ids: string[]): Promise<PlacedFiles> {
  const placed: string[] = [];
  const forget = async () => {
    // Cleaning up after a failure already reported: a name left behind is a stray link, never data.
    for (const id of placed) await rm(ticketFilePath(dataDir, ticketId, id), { force: true }).catch(() => {});
  };
  try {
    if (ids.length) await mkdir(path.join(root(dataDir), ticketId), { recursive: true });
    for (const id of ids) {
      const from = uploadPath(dataDir, id);
      const to = ticketFilePath(dataDir, ticketId, id);
      try {
        await link(from, to);
      } catch (error) {
        const code = errorCode(error);
        if (code === 'EEXIST' && (await sameFile(from, to))) continue;
        if (code === 'ENOENT' && !(await exists(from)) && (await exists(to))) continue;
        if (!code || !NO_HARD_LINKS.has(code)) throw error;
        await copyFile(from, to, constants.COPYFILE_EXCL);
      }
      placed.push(id);
    }
  } catch (error) {
    await forget();
    throw error;
  }
  return {
    committed: async () => {
      // The request's folder holds every file now; an upload name that cannot be removed is only a second name.
      for (const id of ids) await rm(uploadPath(dataDir, id), { force: true }).catch(() => {});
    },
    rolledBack: forget,
  };
}

/**
 * Runs the transaction that attaches uploads to a request, in which `place(ticketId)` puts the
 * files in the request's folder (after the rows are linked, before anything is sent). The files and
 * the rows then stand or fall together: a file that cannot be placed fails the transaction (a 5xx,
 * nothing written), and a transaction that does not commit takes the placed files back.
 */
export async function attachFilesInTransaction<T>(
  dataDir: string,
  ids: string[],
  transaction: (place: (ticketId: string) => Promise<void>) => Promise<T>,
): Promise<T> {
  const placed: PlacedFiles[] = [];
  let result: T;
  try {
    result = await transaction(async (ticketId) => {
      placed.push(await placeInTicketFolder(dataDir, ticketId, [...new Set(ids)]));
    });
  } catch (error) {
    for (const files of placed) await files.rolledBack();
    throw error;
  }
  for (const files of placed) await files.committed();
  return result;
}

async function exists(file: string): Promise<boolean> {
  try {
    await stat(file);
    return true;
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return false;
    throw error;
  }
}

async function sameFile(a: string, b: string): Promise<boolean> {
  const [x, y] = await Promise.all([stat(a), stat(b)]);
  return x.ino === y.ino && x.dev === y.dev;
}

/** Where an attached file is: its request's folder, or uploads/ for a file attached before files were placed inside the transaction (a crash between commit and move). */
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
