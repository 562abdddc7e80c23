/** Runs one of this package's reporters the way core does: options validated, then `onRunEnd`. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import type { ResultsFile } from '@iobench/core';
import { validatePluginOptions } from '@iobench/core';
import reporters from '../../src/index.js';

export interface ReporterRun {
  outDir: string;
  /** What the reporter printed. */
  stdout: string;
}

const created: string[] = [];

/** A fresh output directory under the system temp directory, removed by `removeOutDirs`. */
export async function tempOutDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'iobench-reporters-'));
  created.push(dir);
  return dir;
}

/** Removes every directory `tempOutDir` made (call from `after`). Set KEEP_REPORTS=1 to look at them. */
export async function removeOutDirs(): Promise<void> {
  if (process.env.KEEP_REPORTS) return;
  await Promise.all(created.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
}

/** Runs the reporter `name` over `results` into `outDir` (a new temp dir by default). */
export async function runReporter(
  name: string,
  results: ResultsFile,
  options: Record<string, unknown> = {},
  { outDir, json = false }: { outDir?: string; json?: boolean } = {},
): Promise<ReporterRun> {
  const plugin = reporters.find((r) => r.name === name);
  if (!plugin) throw new Error(`no reporter named "${name}" in @iobench/plugin-reporters`);
  const dir = outDir ?? (await tempOutDir());
  const stdout = new PassThrough();
  let printed = '';
  stdout.on('data', (chunk) => (printed += String(chunk)));
  const parsed = await validatePluginOptions(plugin, options);
  const hooks = await plugin.create(
    { log: () => {}, signal: new AbortController().signal, stdout, outDir: dir, resultsDir: dir, json },
    parsed as never,
  );
  await hooks.onRunStart?.(results.plan);
  for (const point of results.points) await hooks.onPointEnd?.(point);
  await hooks.onRunEnd?.(results);
  return { outDir: dir, stdout: printed };
}
