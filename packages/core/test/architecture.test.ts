/**
 * The tree's shape, checked.
 *
 * - The SDK (`@iobench/core`) knows plugins only through the contract: no source file names another
 *   iobench package it could depend on at run time — no plugin, not the syscall layer, not the
 *   application (`@iobench/engine`, the built-ins, placement, the CLI), which imports the SDK and
 *   never the reverse. Third parties are found by the `@iobench/plugin-<name>` /
 *   `iobench-plugin-<name>` convention. The libraries a plugin author builds with
 *   (`@iobench/serving`, the kits) may be named in the conformance kit's advice. That plugins import
 *   only the SDK side is `scripts/check-deps.mjs`'s part of `npm run lint`.
 * - A file is as long as its concept (k6's executors run 200–740 lines): there is no line cap, and no
 *   file is split off only to stay under one. A fragment — a source file under 40 lines that exactly
 *   one other module imports, without a test of its own — belongs in that module. Not fragments:
 *   what a package's `index.ts` exports (public modules), modules loaded on their own (worker and
 *   child entries, named by `siblingModule` or `new URL`), helpers of oclif commands (commands stay
 *   thin), and the few listed below with why.
 * - One private-member style: TypeScript's `private` / `protected`, never `#private`. They behave the
 *   same for the type checker; at run time `private` fields are ordinary properties, as they were in
 *   the 24 files that used them, so structured clone, `assert.deepEqual` and debuggers see every
 *   field alike (`#` has no `protected`, which the connection servers need).
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { test } from 'node:test';

const ROOT = new URL('../../../', import.meta.url).pathname;
const PACKAGES = join(ROOT, 'packages');
const CORE_SRC = join(PACKAGES, 'core/src');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    if (name === 'node_modules' || name === 'dist' || name === 'build') return [];
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sourceFiles(path) : /\.(ts|mts|js|mjs)$/.test(name) ? [path] : [];
  });
}

/** Every package's `src/` files, tests and declarations left out. */
function allSources(): string[] {
  return readdirSync(PACKAGES)
    .map((name) => join(PACKAGES, name, 'src'))
    .filter((dir) => existsSync(dir))
    .flatMap(sourceFiles)
    .filter((file) => file.endsWith('.ts') && !file.endsWith('.test.ts') && !file.endsWith('.d.ts'));
}

/** Libraries the conformance kit's messages point plugin authors to (by name suffix). */
const ADVISED = ['/serving', '/server-kit', '/load-kit'];

/** Every package of the monorepo but core itself and the advised libraries, by npm name. */
function siblingPackages(): string[] {
  const { workspaces } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { workspaces: string[] };
  return workspaces
    .map((dir) => (JSON.parse(readFileSync(join(ROOT, dir, 'package.json'), 'utf8')) as { name: string }).name)
    .filter((name) => name !== '@iobench/core' && !ADVISED.some((suffix) => name.endsWith(suffix)));
}

test('no file under packages/core/src names another iobench package', () => {
  const packages = siblingPackages();
  // The list must hold the syscall layer, the plugins and the engine, or the test would prove nothing.
  assert.ok(packages.some((p) => p.endsWith('/syscalls')) && packages.some((p) => p.includes('/plugin-')));
  assert.ok(packages.some((p) => p.endsWith('/engine')));
  const found: string[] = [];
  for (const file of sourceFiles(CORE_SRC)) {
    const text = readFileSync(file, 'utf8');
    for (const name of packages) {
      if (new RegExp(`${name.replace(/[/.-]/g, '\\$&')}(?![\\w-])`).test(text))
        found.push(`${file.slice(CORE_SRC.length + 1)}: ${name}`);
    }
  }
  assert.deepEqual(found, []);
});

/** Short modules with one importer that stay on their own, with why. */
const NOT_FRAGMENTS: Record<string, string> = {
  'plugin-reporters/src/html/report-css.ts': 'a style sheet: CSS, not TypeScript, kept out of the HTML template',
};

test('no source file is a fragment split off only for a line count', () => {
  const files = allSources();
  const importers = new Map(files.map((f) => [f, new Set<string>()]));
  const entries = new Set<string>();
  for (const file of files) {
    const text = readFileSync(file, 'utf8');
    for (const [, spec] of text.matchAll(/from '(\.[^']+)'/g))
      importers.get(resolve(dirname(file), spec!).replace(/\.js$/, '.ts'))?.add(file);
    for (const [, name] of text.matchAll(
      /(?:siblingModule\(import\.meta\.url, |new URL\()'(?:\.\/)?([\w./-]+?)(?:\.[jt]s)?'/g,
    ))
      entries.add(`${resolve(dirname(file), name!)}.ts`);
  }
  const fragments = files.filter((file) => {
    const by = [...importers.get(file)!];
    return (
      readFileSync(file, 'utf8').split('\n').length < 40 &&
      by.length === 1 &&
      basename(by[0]!) !== 'index.ts' &&
      !by[0]!.includes('/src/commands/') &&
      basename(file) !== 'index.ts' &&
      !existsSync(file.replace(/\.ts$/, '.test.ts')) &&
      !entries.has(file) &&
      NOT_FRAGMENTS[relative(PACKAGES, file)] === undefined
    );
  });
  assert.deepEqual(
    fragments.map((f) => `${relative(PACKAGES, f)} (fold it into ${relative(PACKAGES, [...importers.get(f)!][0]!)})`),
    [],
  );
  for (const listed of Object.keys(NOT_FRAGMENTS))
    assert.ok(existsSync(join(PACKAGES, listed)), `${listed} is gone: remove it from NOT_FRAGMENTS`);
});

test('private members are TypeScript `private`, never `#private`', () => {
  const found = allSources().filter((file) =>
    /^\s+(?:static\s+)?(?:readonly\s+)?#[A-Za-z_]\w*|\bthis\.#[A-Za-z_]/m.test(readFileSync(file, 'utf8')),
  );
  assert.deepEqual(
    found.map((f) => relative(PACKAGES, f)),
    [],
  );
});
