#!/usr/bin/env node
// Packs every published workspace package (the @iobench/* ones; not the private benchmarks) into
// one directory, as npm would publish them: for installing iobench, or a plugin's dependencies,
// outside this repository before the packages are on the registry. Build first (`npm run build`).
// Usage: node scripts/pack.mjs [dir]   (default: ./packs); prints the tarballs' paths.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const dir = resolve(process.argv[2] ?? join(root, 'packs'));
const { workspaces } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const names = workspaces
  .map((w) => JSON.parse(readFileSync(join(root, w, 'package.json'), 'utf8')))
  .filter((manifest) => !manifest.private)
  .map((manifest) => manifest.name);

mkdirSync(dir, { recursive: true });
const packed = JSON.parse(
  execFileSync(
    'npm',
    ['pack', '--json', '--pack-destination', dir, ...names.flatMap((name) => ['--workspace', name])],
    { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] },
  ),
);
for (const { filename } of packed) console.log(join(dir, filename));
