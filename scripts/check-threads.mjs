#!/usr/bin/env node
// Fails when a thread speaks anything but the thread-control protocol of @iobench/core/thread, or
// when a thread module loads a package barrel (issue #21: one seam for thread control; loop threads
// stay small).
//  1. Every `postMessage(x)` in a package's runtime sources posts a message built right there by
//     `threadMessage.<tag>(...)`: no string, no object literal, no variable of unknown make.
//  2. A module that deals with threads (imports node:worker_threads or @iobench/core/thread) does not
//     compare anything with a protocol tag literal (`m === 'ready'`, `case 'start':`): it asks
//     `isThreadMessage(m, 'ready')`, so that there is one place that knows the message shape.
//  3. Every module run in a thread — each `siblingModule(import.meta.url, '<name>')` target: loop
//     modules, worker entries, pool workers — loads neither @iobench/core's nor @iobench/load-kit's
//     barrel (measured in a child process that records every module it resolves).
// Usage: node scripts/check-threads.mjs [file ...]  (files given: rules 1 and 2 on those files only)
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';

const root = new URL('..', import.meta.url).pathname;
const PROTOCOL_DIR = join(root, 'packages/core/src/thread/');
const BARRELS = ['packages/core/src/index.ts', 'packages/load-kit/src/index.ts'];

const parse = (file) => ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
const lineOf = (source, node) => source.getLineAndCharacterOfPosition(node.getStart()).line + 1;

/** The protocol's tags: the keys of `threadMessage` in the protocol module, so this check cannot drift from it. */
function protocolTags() {
  const tags = new Set();
  const visit = (node) => {
    if (ts.isVariableDeclaration(node) && node.name.getText() === 'threadMessage') {
      let init = node.initializer;
      while (init && (ts.isAsExpression(init) || ts.isSatisfiesExpression(init))) init = init.expression;
      for (const p of init?.properties ?? []) tags.add(p.name.getText());
    }
    ts.forEachChild(node, visit);
  };
  visit(parse(join(PROTOCOL_DIR, 'messages.ts')));
  if (tags.size === 0) throw new Error('check-threads: no threadMessage builders found in core/src/thread/messages.ts');
  return tags;
}

/** Runtime sources of every workspace package (tests, dist and the protocol module itself excluded). */
function runtimeSources(dir = join(root, 'packages'), out = []) {
  for (const name of readdirSync(dir)) {
    if (['node_modules', 'dist', 'build', 'test', 'testing'].includes(name)) continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) runtimeSources(path, out);
    else if (/\.[mc]?ts$/.test(name) && !/\.(test|d)\.[mc]?ts$/.test(name) && !path.startsWith(PROTOCOL_DIR))
      out.push(path);
  }
  return out;
}

/** Rules 1 and 2 on one file; also collects the file's `siblingModule` targets (rule 3). */
function checkFile(file, tags, problems, threadModules) {
  const source = parse(file);
  const where = (node) => `${relative(root, file)}:${lineOf(source, node)}`;
  const threaded = source.statements.some(
    (s) =>
      ts.isImportDeclaration(s) && ['node:worker_threads', '@iobench/core/thread'].includes(s.moduleSpecifier.text),
  );
  const isTag = (node) => node !== undefined && ts.isStringLiteralLike(node) && tags.has(node.text);
  const visit = (node) => {
    if (ts.isCallExpression(node)) {
      const callee = node.expression;
      if (ts.isPropertyAccessExpression(callee) && callee.name.text === 'postMessage') {
        const arg = node.arguments[0];
        const built =
          arg !== undefined &&
          ts.isCallExpression(arg) &&
          ts.isPropertyAccessExpression(arg.expression) &&
          arg.expression.expression.getText() === 'threadMessage' &&
          tags.has(arg.expression.name.text);
        if (!built) {
          problems.push(
            `${where(node)}: postMessage(${arg?.getText() ?? ''}) — post only a message built by threadMessage.<tag>(...) from @iobench/core/thread`,
          );
        }
      }
      const name = node.arguments[1];
      if (ts.isIdentifier(callee) && callee.text === 'siblingModule' && name && ts.isStringLiteralLike(name)) {
        threadModules.add(join(dirname(file), `${name.text}.ts`));
      }
    }
    if (threaded) {
      const equality = [
        ts.SyntaxKind.EqualsEqualsEqualsToken,
        ts.SyntaxKind.ExclamationEqualsEqualsToken,
        ts.SyntaxKind.EqualsEqualsToken,
        ts.SyntaxKind.ExclamationEqualsToken,
      ];
      if (
        ts.isBinaryExpression(node) &&
        equality.includes(node.operatorToken.kind) &&
        (isTag(node.left) || isTag(node.right))
      ) {
        problems.push(`${where(node)}: ${node.getText()} — recognise thread messages with isThreadMessage(m, tag)`);
      }
      if (ts.isCaseClause(node) && isTag(node.expression)) {
        problems.push(
          `${where(node)}: case ${node.expression.getText()} — recognise thread messages with isThreadMessage(m, tag)`,
        );
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
}

/** The repository files a module loads, from a child that records every module it resolves (rule 3). */
function loadedFiles(file) {
  const hooks = `let port;
export function initialize(data) { port = data.port; }
export async function resolve(specifier, context, next) {
  const r = await next(specifier, context);
  if (r.url.startsWith('file:')) port.postMessage(r.url);
  return r;
}`;
  const probe = `
import { register } from 'node:module';
import { MessageChannel } from 'node:worker_threads';
const { port1, port2 } = new MessageChannel();
const seen = new Set();
port1.on('message', (url) => seen.add(url));
register('data:text/javascript,' + encodeURIComponent(${JSON.stringify(hooks)}), import.meta.url, { data: { port: port2 }, transferList: [port2] });
// A thread module fails outside its thread (no parentPort or workerData), after its imports loaded.
await import(${JSON.stringify(`file://${file}`)}).catch(() => {});
setTimeout(() => { console.log(JSON.stringify([...seen])); port1.close(); }, 100);`;
  return new Promise((done, fail) => {
    const child = spawn(
      process.execPath,
      ['--conditions=@iobench/source', '--import', 'tsx', '--input-type=module', '-e', probe],
      { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.on('close', (code) => {
      const line = out.trim().split('\n').at(-1);
      if (code !== 0 || !line?.startsWith('['))
        fail(new Error(`could not load ${relative(root, file)} (${code}): ${err}`));
      else done(JSON.parse(line).map((url) => relative(root, new URL(url).pathname)));
    });
  });
}

const tags = protocolTags();
const problems = [];
const threadModules = new Set();
const given = process.argv.slice(2).map((f) => resolve(f));
for (const file of given.length > 0 ? given : runtimeSources()) checkFile(file, tags, problems, threadModules);
if (given.length === 0) {
  const modules = [...threadModules].sort();
  const loads = await Promise.all(modules.map(loadedFiles));
  modules.forEach((file, i) => {
    for (const barrel of BARRELS.filter((b) => loads[i].includes(b))) {
      problems.push(
        `${relative(root, file)}: runs in a thread and loads ${barrel} — import a subpath (e.g. @iobench/core/thread, @iobench/core/histogram, @iobench/load-kit/thread)`,
      );
    }
  });
  if (problems.length === 0) {
    console.log(
      `check-threads: postMessage and tags speak @iobench/core/thread; ${modules.length} thread modules load no barrel`,
    );
  }
}
if (problems.length > 0) {
  console.error(`check-threads: ${problems.length} problem(s)\n${problems.join('\n')}`);
  process.exit(1);
}
