/**
 * wrk's working directory in os.tmpdir(): its Lua script and the report its done() writes. wrk reads
 * the script when it starts but writes the report at its very end, so the directory lives as long as
 * wrk. A SIGKILLed iobench cannot remove it (wrk dies with it, see supervise-wrk.ts), so directories
 * are named after the iobench process that owns them, `iobench-wrk-<pid>-<random>`, and every wrk run
 * first removes those whose owner is gone.
 */
import { randomBytes } from 'node:crypto';
import { lstat, mkdir, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const PREFIX = 'iobench-wrk-';
const NAME_RE = /^iobench-wrk-(\d+)-[0-9a-f]+$/;

/** A fresh directory path for this process (not created yet: see `createWrkDir`). */
export function wrkDirPath(parent: string = tmpdir()): string {
  return join(parent, `${PREFIX}${process.pid}-${randomBytes(6).toString('hex')}`);
}

/** Creates the directory, private and exclusively: an existing path (or a planted symlink) fails. */
export async function createWrkDir(path: string): Promise<void> {
  await mkdir(path, { mode: 0o700 });
}

/**
 * Removes the wrk directories in `parent` left by iobench processes that no longer exist (killed
 * runs); only directories this user owns. Returns the paths removed.
 */
export async function removeStaleWrkDirs(parent: string = tmpdir()): Promise<string[]> {
  const removed: string[] = [];
  const names = await readdir(parent).catch(() => [] as string[]);
  for (const name of names) {
    const pid = Number(NAME_RE.exec(name)?.[1]);
    if (!pid || pid === process.pid || isAlive(pid)) continue;
    const path = join(parent, name);
    const info = await lstat(path).catch(() => undefined);
    if (!info?.isDirectory() || info.uid !== process.getuid?.()) continue;
    await rm(path, { recursive: true, force: true }).then(
      () => removed.push(path),
      () => undefined, // Removed meanwhile, or not ours to remove: leave it.
    );
  }
  return removed;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
