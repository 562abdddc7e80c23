/** Files iobench writes whole: results, reports, flame graphs. */
import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { mkdir, open, rename, stat, unlink } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';

/**
 * Writes `content` to `path` atomically: into a new temporary file beside it, then renamed over
 * `path`, so a reader sees the old file or the new one, never half of one. The temporary name is
 * random and the file is created exclusively without following links (O_EXCL, O_NOFOLLOW): a file
 * or link planted at a name someone guessed makes the write fail instead of redirecting it.
 */
export async function writeFileAtomic(path: string, content: string | Uint8Array): Promise<void> {
  const temp = `${path}.${randomBytes(6).toString('hex')}.tmp`;
  const handle = await open(temp, constants.O_CREAT | constants.O_EXCL | constants.O_WRONLY | constants.O_NOFOLLOW);
  try {
    try {
      await handle.writeFile(content);
    } finally {
      await handle.close();
    }
    await rename(temp, path);
  } catch (error) {
    await unlink(temp).catch(() => undefined);
    throw error;
  }
}

/**
 * `mkdir -p` that fails instead of looping: finds the nearest existing ancestor, then creates each
 * missing directory below it with a plain mkdir.
 */
export async function makeDirectories(dir: string): Promise<void> {
  const missing: string[] = [];
  for (let current = resolve(dir); ; current = dirname(current)) {
    const found = await stat(current).catch((error: NodeJS.ErrnoException) => {
      // ENOTDIR: a parent is a file; the walk up finds it and says so.
      if (error.code === 'ENOENT' || error.code === 'ENOTDIR') return undefined;
      throw error;
    });
    if (found) {
      if (!found.isDirectory()) throw new Error(`${current} is a file, not a directory`);
      break;
    }
    missing.unshift(current);
    if (dirname(current) === current) break;
  }
  for (const path of missing) {
    await mkdir(path).catch(async (error: NodeJS.ErrnoException) => {
      // Created meanwhile by someone else: fine as long as it is a directory.
      if (error.code !== 'EEXIST' || !(await stat(path)).isDirectory()) throw error;
    });
  }
}
