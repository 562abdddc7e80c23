/**
 * Where iobench may read configuration and plugin code from without being told explicitly. Both run
 * with the rights of whoever runs iobench, so the search stays inside the project (the nearest
 * directory holding package.json or .git) and passes over places another local user can write to:
 * a config planted in /tmp or a parent directory must never run as someone working below it.
 */
import { existsSync, type Stats, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

const WORLD_WRITABLE = 0o002;

/** The nearest directory from `dir` upwards holding package.json or .git; undefined outside any project. */
export function findProjectRoot(dir: string): string | undefined {
  for (let current = resolve(dir); ; current = dirname(current)) {
    if (existsSync(join(current, 'package.json')) || existsSync(join(current, '.git'))) return current;
    if (dirname(current) === current) return undefined;
  }
}

/**
 * The directories searched for configuration and plugin packages, nearest first: `dir` and its
 * parents up to the project root, or `dir` alone outside any project.
 */
export function projectDirs(dir: string): string[] {
  const start = resolve(dir);
  const root = findProjectRoot(start);
  if (!root) return [start];
  const dirs = [start];
  for (let current = start; current !== root; current = dirname(current)) dirs.push(dirname(current));
  return dirs;
}

/**
 * Why the file or directory at `path` must not be read unless named explicitly, or undefined when
 * it may be. Its directory is untrusted when every user can write to it and it is not ours (anyone
 * could have put the file there); in a world-writable directory of our own (/tmp, as root) only our
 * own files are trusted. Owners are uids: the check is Linux's, and a no-op where there are none.
 */
export function whyUntrusted(path: string): string | undefined {
  const uid = process.getuid?.();
  if (uid === undefined) return undefined;
  const dir = dirname(resolve(path));
  const dirStat = statOrUndefined(dir);
  if (!dirStat || (dirStat.mode & WORLD_WRITABLE) === 0) return undefined;
  if (dirStat.uid !== uid) {
    return `${dir} is writable by every user and owned by uid ${dirStat.uid}, not by you (uid ${uid}), so anyone could have put it there`;
  }
  const own = statOrUndefined(path);
  if (own && own.uid !== uid) {
    return `${dir} is writable by every user and ${path} is owned by uid ${own.uid}, not by you (uid ${uid})`;
  }
  return undefined;
}

function statOrUndefined(path: string): Stats | undefined {
  try {
    return statSync(path);
  } catch {
    return undefined;
  }
}
