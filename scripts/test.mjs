#!/usr/bin/env node
// Runs every package's tests (and the examples') with node:test through tsx, straight from TypeScript sources:
// the `@iobench/source` export condition makes `@iobench/*` imports resolve to `src/`, and child
// processes (server hosts, workers) inherit these flags through process.execArgv.
// Usage: node scripts/test.mjs [file-or-dir-filter ...]
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;

function collect(dir, out) {
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name === 'dist' || name === 'build') continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) collect(path, out);
    else if (/\.test\.m?[jt]s$/.test(name)) out.push(path);
  }
  return out;
}

const filters = process.argv.slice(2);
const files = ['packages', 'examples']
  .flatMap((dir) => collect(join(root, dir), []))
  .filter((f) => filters.length === 0 || filters.some((x) => f.includes(x)))
  .sort();
if (files.length === 0) {
  console.error(`no test files match ${filters.join(' ')}`);
  process.exit(1);
}

const result = spawnSync(
  process.execPath,
  [
    '--conditions=@iobench/source',
    '--import',
    'tsx',
    '--test',
    // Tests start servers and drive load: run files one at a time so they do not measure each other.
    '--test-concurrency=1',
    ...files,
  ],
  { stdio: 'inherit', cwd: root },
);
process.exit(result.status ?? 1);
