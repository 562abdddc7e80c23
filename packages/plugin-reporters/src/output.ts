/** Writing report files and saying where they went: the only thing these reporters print. */
import { dirname, isAbsolute, normalize, relative, resolve, sep } from 'node:path';
import type { ReporterContext } from '@iobench/core';
import { makeDirectories, writeFileAtomic } from '@iobench/core';

/**
 * Writes a file under the run's output directory, creating directories as needed. Written to a new
 * temporary file and renamed, so that a viewer never sees half a report (see `writeFileAtomic`).
 */
export async function writeReportFile(path: string, content: string | Uint8Array): Promise<string> {
  const full = resolve(path);
  await makeDirectories(dirname(full));
  await writeFileAtomic(full, content);
  return full;
}

/** True for a relative path that stays inside the directory it is relative to (`a/../b` does, `../b` does not). */
export function isInsideOutDir(name: string): boolean {
  const normal = normalize(name);
  return !isAbsolute(normal) && normal !== '..' && !normal.startsWith(`..${sep}`);
}

/** `<outDir>/<name>`; `name` must stay inside the output directory (the option schemas check it first). */
export function outPath(ctx: ReporterContext, name: string): string {
  const full = resolve(ctx.outDir, name);
  if (!isInsideOutDir(relative(resolve(ctx.outDir), full)))
    throw new Error(`report path ${name} leaves the output directory ${ctx.outDir}`);
  return full;
}

/** One line naming what a reporter wrote; nothing in `--json` mode, where stdout is machine output. */
export function announce(ctx: ReporterContext, reporter: string, what: string): void {
  if (ctx.json) return;
  ctx.stdout.write(`${reporter}: wrote ${what}\n`);
}
