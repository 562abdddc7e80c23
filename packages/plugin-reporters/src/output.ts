/** Writing report files and saying where they went: the only thing these reporters print. */
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import type { ReporterContext } from '@iobench/core';

/**
 * Writes a file under the run's output directory, creating directories as needed. Written to a
 * temporary name and renamed, so that a viewer never sees half a report.
 */
export async function writeReportFile(path: string, content: string | Uint8Array): Promise<string> {
  const full = resolve(path);
  await mkdir(dirname(full), { recursive: true });
  const temp = `${full}.${process.pid}.tmp`;
  await writeFile(temp, content);
  await rename(temp, full);
  return full;
}

/** `<outDir>/<name>`, with `name` relative to the output directory unless absolute. */
export function outPath(ctx: ReporterContext, name: string): string {
  return resolve(ctx.outDir, name);
}

/** One line naming what a reporter wrote; nothing in `--json` mode, where stdout is machine output. */
export function announce(ctx: ReporterContext, reporter: string, what: string): void {
  if (ctx.json) return;
  ctx.stdout.write(`${reporter}: wrote ${what}\n`);
}
