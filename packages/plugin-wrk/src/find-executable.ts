/**
 * Finds an executable the way execvp does (a name is looked up in PATH, a path is taken as is), so
 * a missing wrk is reported with an install hint before anything is spawned.
 */
import { constants } from 'node:fs';
import { access } from 'node:fs/promises';
import { delimiter, join } from 'node:path';

/** Absolute or relative path of the executable, or undefined when none is found. */
export async function findExecutable(
  name: string,
  searchPath: string = process.env.PATH ?? '',
): Promise<string | undefined> {
  const candidates = name.includes('/')
    ? [name]
    : searchPath
        .split(delimiter)
        .filter((dir) => dir !== '')
        .map((dir) => join(dir, name));
  for (const candidate of candidates) {
    try {
      await access(candidate, constants.X_OK);
      return candidate;
    } catch {
      // Not here; try the next directory.
    }
  }
  return undefined;
}
