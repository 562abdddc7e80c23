// test-lane: unit (reads the docs).
/**
 * The README and the manual in docs/ stay readable and true to the code: every code fence closes,
 * every relative link (and its #anchor) resolves, the README stays a front door, docs/commands.md
 * is what `oclif readme` generates from the built commands, the lines docs/plugins.md quotes are
 * the example's, and the README's test command is the one CI runs.
 *
 * docs/commands.md is compared with a fresh `oclif readme` run on a copy of it (about 1.5 s, no
 * network). oclif reads the compiled commands in packages/cli/dist, so the check needs
 * `npm run build` first (npm test does it) and skips, saying so, where dist is missing.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { copyFile, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { describe, test } from 'node:test';
import { promisify } from 'node:util';

const run = promisify(execFile);
const ROOT = new URL('../../../', import.meta.url).pathname;
const CLI = join(ROOT, 'packages/cli');
/** A front door, like wrk's (85 lines) and k6's (128). */
const README_MAX_LINES = 200;

/** README.md and every page of docs/, as paths from the repository root. */
async function pages(): Promise<string[]> {
  const docs = (await readdir(join(ROOT, 'docs'))).filter((name) => name.endsWith('.md')).sort();
  return ['README.md', ...docs.map((name) => `docs/${name}`)];
}

interface Fence {
  /** 1-based line of the opening fence. */
  line: number;
  info: string;
  body: string;
}

/**
 * The fenced blocks of a Markdown text, and the problems with them: a fence that never closes, and
 * a line inside a block that looks like a closing fence but carries text after it (CommonMark does
 * not close a block there, so everything down to the next bare fence turns into code).
 */
function fences(text: string): { blocks: Fence[]; problems: string[] } {
  const lines = text.split('\n');
  const blocks: Fence[] = [];
  const problems: string[] = [];
  let open: { line: number; marker: string; info: string; body: string[] } | undefined;
  lines.forEach((line, i) => {
    const fence = /^ *(`{3,}|~{3,})(.*)$/.exec(line);
    if (open === undefined) {
      if (fence) open = { line: i + 1, marker: fence[1]!, info: fence[2]!.trim(), body: [] };
      return;
    }
    if (fence && fence[1]![0] === open.marker[0] && fence[1]!.length >= open.marker.length) {
      if (fence[2]!.trim() === '') {
        blocks.push({ line: open.line, info: open.info, body: open.body.join('\n') });
        open = undefined;
        return;
      }
      problems.push(`line ${i + 1}: a closing fence followed by text does not close the block of line ${open.line}`);
    }
    open.body.push(line);
  });
  if (open) problems.push(`the code fence opened at line ${open.line} never closes`);
  return { blocks, problems };
}

/** Markdown outside code fences and inline code, where links live. */
function prose(text: string): string {
  const kept: string[] = [];
  let inFence: string | undefined;
  for (const line of text.split('\n')) {
    const fence = /^ *(`{3,}|~{3,})/.exec(line)?.[1];
    if (inFence === undefined && fence) inFence = fence[0];
    else if (inFence !== undefined && fence?.[0] === inFence && line.trim() === fence) inFence = undefined;
    else if (inFence === undefined) kept.push(line.replace(/`[^`]*`/g, '``'));
  }
  return kept.join('\n');
}

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens. */
function slug(heading: string): string {
  return heading
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .trim()
    .replace(/\s/g, '-');
}

/** The anchors a Markdown text's headings give (outside code fences), duplicates numbered. */
function anchors(text: string): Set<string> {
  const seen = new Map<string, number>();
  const out = new Set<string>();
  for (const [, heading] of prose(text.replace(/`([^`]*)`/g, '$1')).matchAll(/^#{1,6} +(.+?) *#* *$/gm)) {
    const base = slug(heading!);
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    out.add(n === 0 ? base : `${base}-${n}`);
  }
  return out;
}

describe('README.md and docs/', () => {
  test(`README.md is a front door: at most ${README_MAX_LINES} lines`, async () => {
    const lines = (await readFile(join(ROOT, 'README.md'), 'utf8')).trimEnd().split('\n').length;
    assert.ok(lines <= README_MAX_LINES, `README.md has ${lines} lines; move detail into docs/`);
  });

  test('every code fence closes', async () => {
    for (const page of await pages()) {
      const { problems } = fences(await readFile(join(ROOT, page), 'utf8'));
      assert.deepEqual(problems, [], page);
    }
  });

  test('every relative link and #anchor resolves', async () => {
    const broken: string[] = [];
    for (const page of await pages()) {
      const text = await readFile(join(ROOT, page), 'utf8');
      for (const [, target] of prose(text).matchAll(/!?\[[^\]]*\]\(([^)\s]+)(?: "[^"]*")?\)/g)) {
        if (/^[a-z][a-z0-9+.-]*:/i.test(target!)) continue; // https:, mailto:
        const [path, anchor] = target!.split('#') as [string, string | undefined];
        const file = path === '' ? join(ROOT, page) : join(ROOT, dirname(page), path);
        if (!existsSync(file)) {
          broken.push(`${page}: ${target} (no ${relative(ROOT, file)})`);
          continue;
        }
        if (anchor !== undefined && file.endsWith('.md') && !anchors(await readFile(file, 'utf8')).has(anchor)) {
          broken.push(`${page}: ${target} (no heading #${anchor} in ${relative(ROOT, file)})`);
        }
      }
    }
    assert.deepEqual(broken, []);
  });

  test("the README's quick start has the test command CI runs (.ci/run)", async () => {
    const ci = (await readFile(join(ROOT, '.ci/run'), 'utf8')).trimEnd().split('\n');
    const testCommand = ci[ci.length - 1]!.trim();
    const readme = await readFile(join(ROOT, 'README.md'), 'utf8');
    const quickStart = fences(readme).blocks.find((block) => block.info === 'sh');
    assert.ok(quickStart, 'README.md has a sh block (the quick start)');
    const commands = quickStart.body.split('\n').map((line) => line.replace(/#.*$/, '').trim());
    assert.ok(commands.includes(testCommand), `README's quick start runs \`${testCommand}\`, as .ci/run does`);
  });

  test('the code docs/plugins.md quotes is examples/my-plugin/index.mjs, line for line', async () => {
    const example = new Set(
      (await readFile(join(ROOT, 'examples/my-plugin/index.mjs'), 'utf8')).split('\n').map((line) => line.trim()),
    );
    const { blocks } = fences(await readFile(join(ROOT, 'docs/plugins.md'), 'utf8'));
    const quoted = blocks.filter((block) => block.info === 'js').flatMap((block) => block.body.split('\n'));
    assert.ok(quoted.length > 0, 'docs/plugins.md quotes the example');
    assert.ok(quoted.length <= 10, 'docs/plugins.md quotes a few lines and links the rest');
    for (const line of quoted) assert.ok(example.has(line.trim()), `not in examples/my-plugin/index.mjs: ${line}`);
  });

  test('docs/commands.md is what `oclif readme` generates from the commands (npm run readme)', async (t) => {
    if (!existsSync(join(CLI, 'dist/commands'))) {
      return t.skip('packages/cli/dist is not built: run `npm run build` (npm test does)');
    }
    const committed = join(ROOT, 'docs/commands.md');
    const dir = await mkdtemp(join(tmpdir(), 'iobench-docs-'));
    try {
      const fresh = join(dir, 'commands.md');
      await copyFile(committed, fresh);
      // The script `npm run readme` runs, aimed at a copy; no update check (it would ask the registry).
      await run(join(ROOT, 'node_modules/.bin/oclif'), ['readme', '--readme-path', fresh, '--no-aliases'], {
        cwd: CLI,
        env: { ...process.env, OCLIF_SKIP_NEW_VERSION_CHECK: 'true', NODE_OPTIONS: '' },
        timeout: 60_000,
      });
      const [want, got] = await Promise.all([readFile(fresh, 'utf8'), readFile(committed, 'utf8')]);
      assert.ok(got.includes('<!-- commands -->') && got.includes('<!-- commandsstop -->'), 'oclif markers kept');
      assert.equal(got, want, 'docs/commands.md is out of date: `npm run build && npm run readme`');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
