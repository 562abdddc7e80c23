/** Finds an executable the way execvp does: a name is looked up in PATH, a path is taken as is. */
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

/** Path of the executable `name`, or undefined when there is none. */
export function findInPath(name: string, searchPath: string = process.env.PATH ?? ''): string | undefined {
  const candidates = name.includes('/')
    ? [name]
    : searchPath
        .split(delimiter)
        .filter((dir) => dir !== '')
        .map((dir) => join(dir, name));
  for (const candidate of candidates) {
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // Not here; try the next one.
    }
  }
  return undefined;
}
