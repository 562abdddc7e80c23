#!/usr/bin/env node
// Runs every package's tests (and the examples') with node:test through tsx, straight from TypeScript sources:
// the `@iobench/source` export condition makes `@iobench/*` imports resolve to `src/`, and child
// processes (server hosts, workers) inherit these flags through process.execArgv.
//
// Two lanes, one after the other, so that the suite stays near 12 minutes on two cores:
// - the unit lane first, two files at a time: the unit tests beside the code, the engine's and
//   core's own tests and the reporters' tests — none drives load or reads the clock;
// - then the load lane, one file at a time: the CLI's tests and the plugins' test/ directories start
//   servers and drive load, and any file that reads the clock (performance.now, hrtime, Date.now)
//   times something — neither may run beside another test, or it measures it. A file there that
//   drives no load worth the name and judges no speed (a config check, `list`, `compare` of fixture
//   files, a 300 ms run whose files are read) says so with a `// test-lane: unit` line of its own, and
//   runs in the unit lane; one that reads the clock stays in the load lane regardless.
// The exit code is non-zero if either lane failed.
// Usage: node scripts/test.mjs [file-or-dir-filter ...]
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

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

/** True for a test that drives load or times something: it runs alone. */
function inLoadLane(file) {
  const path = relative(root, file);
  const text = readFileSync(file, 'utf8');
  if (/performance\.now\(|hrtime|Date\.now\(/.test(text)) return true;
  if (/^\/\/ test-lane: unit\b/m.test(text)) return false;
  return /^packages\/cli\/test\//.test(path) || /^packages\/plugin-(?!reporters\/)[^/]+\/test\//.test(path);
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
const loadLane = files.filter(inLoadLane);
const unitLane = files.filter((f) => !inLoadLane(f));

function nodeTest(concurrency, list) {
  if (list.length === 0) return 0;
  const args = ['--conditions=@iobench/source', '--import', 'tsx', '--test', `--test-concurrency=${concurrency}`];
  return spawnSync(process.execPath, [...args, ...list], { stdio: 'inherit', cwd: root }).status ?? 1;
}

const unit = nodeTest(2, unitLane);
const load = nodeTest(1, loadLane);
process.exit(unit !== 0 ? unit : load);
