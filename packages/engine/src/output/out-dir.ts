/**
 * The run's output directory, made ready before anything starts: created (without Node's recursive
 * mkdir, which spins forever where a parent exists but refuses new entries, as in /proc), known to
 * accept files, and never an earlier run's directory unless the user says `--force`.
 */
import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { mkdir, open, readdir, stat, unlink } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { ConfigError, makeDirectories } from '@iobench/core';

/** Where runs go when `--out` is not given: a new `<timestamp>` directory under this one. */
export const DEFAULT_OUT_BASE = 'iobench-results';

/** Entries of a non-empty directory named in the refusal; past these, a count. */
const ENTRIES_SHOWN = 5;

export interface PrepareOutDirOptions {
  /** The directory asked for (`--out`); absent, a new `iobench-results/<timestamp>` in the working directory. */
  dir?: string;
  /** `--force`: write into an existing directory that already holds files. */
  force?: boolean;
}

/**
 * Returns the directory to write to, created and probed (a file created exclusively and removed).
 * Throws a `ConfigError` (exit 2) naming the directory and what is wrong with it.
 */
export async function prepareOutDir(options: PrepareOutDirOptions): Promise<string> {
  const dir = options.dir ?? (await createDefaultOutDir(DEFAULT_OUT_BASE));
  const fail = (what: string, cause?: unknown) =>
    new ConfigError(`--out ${dir}: ${what}`, { cause, suggestions: ['Choose another --out directory.'] });
  if (options.dir !== undefined) {
    const existing = await stat(dir).catch(() => undefined);
    if (existing && !existing.isDirectory()) throw fail('it is a file, not a directory');
    if (existing) {
      const entries = await readdir(dir).catch((cause: unknown) => {
        throw fail(`cannot list it: ${describeFsError(cause, dir)}`, cause);
      });
      if (entries.length > 0 && !options.force) throw alreadyHoldsFiles(dir, entries);
    } else {
      await makeDirectories(dir).catch((cause: unknown) => {
        throw fail(`cannot create directory ${dir}: ${describeFsError(cause, dir)}`, cause);
      });
    }
  }
  const probe = join(dir, `.iobench-probe-${randomBytes(6).toString('hex')}`);
  try {
    const handle = await open(probe, constants.O_CREAT | constants.O_EXCL | constants.O_WRONLY | constants.O_NOFOLLOW);
    await handle.close();
    await unlink(probe);
  } catch (cause) {
    throw fail(`cannot create files in it: ${describeFsError(cause, probe)}`, cause);
  }
  return dir;
}

function alreadyHoldsFiles(dir: string, entries: string[]): ConfigError {
  const shown = entries.slice(0, ENTRIES_SHOWN).join(', ');
  const more = entries.length > ENTRIES_SHOWN ? ` and ${entries.length - ENTRIES_SHOWN} more` : '';
  return new ConfigError(
    `--out ${dir} already holds files (${shown}${more}); expected a new or empty directory, so that an earlier run is not overwritten`,
    {
      suggestions: [
        'Choose another --out directory (or omit --out for a new one under iobench-results/).',
        'Pass --force to write into it anyway (files this run writes are replaced; the others stay).',
      ],
    },
  );
}

/**
 * A new `<base>/<timestamp>` directory, suffixed `-2`, `-3`... when that name exists: created with a
 * plain mkdir, which fails on an existing name, so two runs started in the same second never share it.
 */
async function createDefaultOutDir(base: string): Promise<string> {
  const stamp = new Date().toISOString().replace(/[:]/g, '').replace(/\..*$/, '').replace('T', '-');
  await makeDirectories(base).catch((cause: unknown) => {
    throw new ConfigError(`cannot create the output directory ${base}: ${describeFsError(cause, base)}`, { cause });
  });
  for (let n = 1; ; n++) {
    const dir = join(base, n === 1 ? stamp : `${stamp}-${n}`);
    try {
      await mkdir(dir);
      return dir;
    } catch (cause) {
      if ((cause as NodeJS.ErrnoException).code !== 'EEXIST')
        throw new ConfigError(`cannot create the output directory ${dir}: ${describeFsError(cause, dir)}`, { cause });
    }
  }
}

/** A file-system error in words a user can act on; `fallbackPath` when the error names no path. */
export function describeFsError(error: unknown, fallbackPath: string): string {
  const { code, path = fallbackPath } = error as NodeJS.ErrnoException;
  switch (code) {
    case 'EACCES':
    case 'EPERM':
      return `permission denied (${code})`;
    case 'EROFS':
      return 'read-only file system (EROFS)';
    case 'ENOSPC':
    case 'EDQUOT':
      return `no space left (${code})`;
    case 'ENOENT':
      // The parent exists (checked first), yet the entry cannot be made there.
      return `${dirname(resolve(path))} does not accept new entries (ENOENT; a virtual file system such as /proc or /sys?)`;
    case 'ENOTDIR':
      return `a parent of ${path} is a file, not a directory (ENOTDIR)`;
    default:
      return (error as Error).message;
  }
}
