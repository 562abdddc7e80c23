/** Files iobench writes whole: results, reports, flame graphs. */
import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { open, rename, unlink } from 'node:fs/promises';

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
