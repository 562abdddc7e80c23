#!/usr/bin/env node
// Fails when a workspace package imports a package its package.json does not declare. In the
// monorepo npm hoists every dependency to the root, so an undeclared import works here and breaks
// for whoever installs the package from its tarball. Runtime code (everything but tests) must name
// its imports under dependencies, peerDependencies or optionalDependencies; tests may also use
// devDependencies and the root's devDependencies (the monorepo's tools).
// Besides import/export/require/import()/*.resolve() with a literal, any string literal that names a
// workspace package counts: `import(SOME_CONST)` or a name -> package map is an import too.
//
// It also keeps the SDK boundary: plugins (`@iobench/plugin-*`) and the libraries they build with
// import, of iobench's own packages, only the SDK (`@iobench/core`), those libraries and other
// plugins (epoll-pool runs epoll's loop) — never the application (engine, built-ins, placement,
// CLI), so that a built-in plugin sees iobench exactly as a third-party plugin does. See SDK_SIDE.
// Usage: node scripts/check-deps.mjs
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join, relative } from 'node:path';
import ts from 'typescript';

const root = new URL('..', import.meta.url).pathname;
const rootManifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const builtins = new Set(builtinModules);

const workspaces = rootManifest.workspaces.map((dir) => ({
  dir: join(root, dir),
  manifest: JSON.parse(readFileSync(join(root, dir, 'package.json'), 'utf8')),
}));
const workspaceNames = new Set(workspaces.map((w) => w.manifest.name));

/** Source files under `dir`, skipping installed, built and generated folders. */
function sources(dir, out = []) {
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name === 'dist' || name === 'build') continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) sources(path, out);
    else if (/\.(ts|mts|js|mjs|cjs)$/.test(name) && !name.endsWith('.d.ts')) out.push(path);
  }
  return out;
}

const isTest = (file) => /\.test\.[mc]?[jt]s$/.test(file) || /(^|\/)(test|benchmarks?)\//.test(file);

/** `@scope/pkg/sub` -> `@scope/pkg`; `pkg/sub` -> `pkg`; undefined for relative, absolute and builtin specifiers. */
function packageOf(specifier) {
  if (/^[./]|^[a-z]+:/.test(specifier) || specifier.startsWith('#')) return undefined;
  const name = specifier
    .split('/')
    .slice(0, specifier.startsWith('@') ? 2 : 1)
    .join('/');
  return builtins.has(name) ? undefined : name;
}

/** `require`, `import.meta` or `createRequire(...)`: what `.resolve(specifier)` is called on to find a module. */
function isResolver(node) {
  if (ts.isIdentifier(node)) return node.text === 'require';
  if (ts.isMetaProperty(node)) return true;
  return ts.isCallExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === 'createRequire';
}

/** Every package `file` imports, with the line it is imported on. */
function importsOf(file) {
  const text = readFileSync(file, 'utf8');
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const found = [];
  const add = (node, specifier, typeOnly = false) => {
    const name = packageOf(specifier);
    if (name) found.push({ name, line: source.getLineAndCharacterOfPosition(node.getStart()).line + 1, typeOnly });
  };
  const visit = (node) => {
    if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier) {
      // `import type` is erased at build time: a devDependency satisfies it.
      const typeOnly = ts.isImportDeclaration(node) ? node.importClause?.isTypeOnly === true : node.isTypeOnly;
      if (ts.isStringLiteral(node.moduleSpecifier)) add(node, node.moduleSpecifier.text, typeOnly);
    } else if (ts.isCallExpression(node) && node.arguments[0] && ts.isStringLiteralLike(node.arguments[0])) {
      const callee = node.expression;
      const isImport = callee.kind === ts.SyntaxKind.ImportKeyword;
      const isRequire = ts.isIdentifier(callee) && callee.text === 'require';
      const isResolve =
        ts.isPropertyAccessExpression(callee) && callee.name.text === 'resolve' && isResolver(callee.expression);
      if (isImport || isRequire || isResolve) add(node, node.arguments[0].text);
    } else if (ts.isStringLiteralLike(node) && workspaceNames.has(packageOf(node.text) ?? '')) {
      add(node, node.text);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

/**
 * Undeclared imports known and being removed, as `{ file: [package, ...] }`: reported, not failed
 * on. An entry that no longer occurs fails, so that the list only shrinks. Empty since core named
 * its last plugin package.
 */
const PENDING = {};
const pendingSeen = new Set();

/**
 * The SDK and the libraries plugin authors build with: what a plugin may import from iobench. The
 * application packages (every other workspace: `@iobench/engine`, `@iobench/builtins`,
 * `@iobench/placement`, `@iobench/cli`, the benchmarks) may import anything; the SDK side and the
 * plugins import only the SDK side and plugins, in sources, tests and package.json alike.
 */
const SDK_SIDE = new Set([
  '@iobench/core',
  '@iobench/serving',
  '@iobench/server-kit',
  '@iobench/load-kit',
  '@iobench/syscalls',
]);
const isPlugin = (name) => name.startsWith('@iobench/plugin-');
const bounded = (name) => SDK_SIDE.has(name) || isPlugin(name);

/**
 * Imports across the SDK boundary known and being removed, as `{ package: { imported: why } }`:
 * reported, not failed on; an entry that no longer occurs fails, so that the list only shrinks.
 */
const BOUNDARY_PENDING = {};
const boundarySeen = new Set();

const problems = [];
for (const { dir, manifest } of workspaces) {
  if (bounded(manifest.name)) {
    const declared = Object.keys({
      ...manifest.dependencies,
      ...manifest.devDependencies,
      ...manifest.peerDependencies,
    });
    for (const name of declared.filter((n) => workspaceNames.has(n) && !bounded(n))) {
      if (BOUNDARY_PENDING[manifest.name]?.[name]) {
        boundarySeen.add(`${manifest.name} ${name}`);
        continue;
      }
      problems.push(
        `${relative(root, dir)}/package.json: ${manifest.name} depends on ${name}; plugins and the SDK side depend only on ${[...SDK_SIDE].join(', ')} and plugins`,
      );
    }
  }
  const runtime = new Set([
    manifest.name,
    ...Object.keys(manifest.dependencies ?? {}),
    ...Object.keys(manifest.peerDependencies ?? {}),
    ...Object.keys(manifest.optionalDependencies ?? {}),
  ]);
  const forTests = new Set([
    ...runtime,
    ...Object.keys(manifest.devDependencies ?? {}),
    ...Object.keys(rootManifest.devDependencies ?? {}),
  ]);
  for (const file of sources(dir)) {
    const path = relative(dir, file);
    const allowed = isTest(path) ? forTests : runtime;
    for (const { name, line, typeOnly } of importsOf(file)) {
      if (bounded(manifest.name) && workspaceNames.has(name) && !bounded(name)) {
        if (BOUNDARY_PENDING[manifest.name]?.[name]) boundarySeen.add(`${manifest.name} ${name}`);
        else
          problems.push(
            `${relative(root, file)}:${line}: imports "${name}", across the SDK boundary: ${manifest.name} may import only ${[...SDK_SIDE].join(', ')} and plugins`,
          );
      }
      if (allowed.has(name) || (typeOnly && forTests.has(name))) continue;
      if (PENDING[relative(root, file)]?.includes(name)) {
        pendingSeen.add(`${relative(root, file)} ${name}`);
        continue;
      }
      const where = isTest(path) ? 'dependencies or devDependencies' : 'dependencies';
      problems.push(
        `${relative(root, file)}:${line}: imports "${name}", which ${manifest.name} does not declare in ${where}`,
      );
    }
  }
}

for (const [file, names] of Object.entries(PENDING)) {
  for (const name of names) {
    if (!pendingSeen.has(`${file} ${name}`)) {
      problems.push(`${file}: no longer imports "${name}": remove it from PENDING in scripts/check-deps.mjs`);
    }
  }
}
for (const [pkg, names] of Object.entries(BOUNDARY_PENDING)) {
  for (const [name, why] of Object.entries(names)) {
    if (boundarySeen.has(`${pkg} ${name}`))
      console.warn(`check-deps: ${pkg} crosses the SDK boundary into ${name} (pending: ${why})`);
    else
      problems.push(`${pkg} no longer depends on "${name}": remove it from BOUNDARY_PENDING in scripts/check-deps.mjs`);
  }
}
if (pendingSeen.size > 0) {
  console.warn(`check-deps: ${pendingSeen.size} undeclared import(s) pending removal (issue 12):`);
  for (const entry of pendingSeen) console.warn(`  ${entry.replace(' ', ': ')}`);
}

if (problems.length > 0) {
  console.error(`check-deps: ${problems.length} undeclared import(s)\n${problems.join('\n')}`);
  process.exit(1);
}
console.log(
  `check-deps: the imports of ${workspaces.length} packages are declared in their package.json; plugins and the SDK side import only the SDK side`,
);
