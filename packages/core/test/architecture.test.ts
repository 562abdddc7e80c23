/**
 * Core's shape, checked: it knows plugins only through the contract (no source file names another
 * iobench package core could depend on at run time: no plugin, not the syscall layer, not the
 * built-ins, placement or the CLI; third parties are found by the `@iobench/plugin-<name>` /
 * `iobench-plugin-<name>` convention), and its source files stay under 300 lines unless their header
 * says why. The libraries a plugin author builds with (`@iobench/serving`, the kits) may be named in
 * the conformance kit's advice.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';

const ROOT = new URL('../../../', import.meta.url).pathname;
const CORE_SRC = join(ROOT, 'packages/core/src');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sourceFiles(path) : /\.(ts|mts|js|mjs)$/.test(name) ? [path] : [];
  });
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
  // The list must hold the syscall layer and the plugins, or the test below would prove nothing.
  assert.ok(packages.some((p) => p.endsWith('/syscalls')) && packages.some((p) => p.includes('/plugin-')));
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

test('core source files over 300 lines say why in their header', () => {
  const long = sourceFiles(CORE_SRC)
    .filter((file) => !file.endsWith('.test.ts'))
    .filter((file) => {
      const text = readFileSync(file, 'utf8');
      const header = /^\/\*\*[\s\S]*?\*\//.exec(text)?.[0] ?? '';
      return text.split('\n').length > 300 && !/over 300 lines/i.test(header);
    });
  assert.deepEqual(long, []);
});
