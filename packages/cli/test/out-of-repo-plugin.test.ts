// test-lane: unit (packs and installs; its short run judges no speed).
/**
 * docs/plugins.md, done the way a plugin author outside this repository does it: every @iobench/*
 * package packed into tarballs, installed in an empty directory outside the repo (the native addon
 * builds on install), the files of examples/my-plugin copied there, and the page's commands run there: tsc against the packed @iobench/core, the conformance kit, `iobench list` and
 * a short `iobench run` from the packed CLI. Needs `npm run build` first (npm test does it).
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';

const run = promisify(execFile);
const ROOT = new URL('../../../', import.meta.url).pathname;
const GUIDE = join(ROOT, 'docs/plugins.md');
const EXAMPLE = join(ROOT, 'examples/my-plugin');
/** The example's files, which the guide links and tells the author to copy. */
const EXAMPLE_FILES = ['.iobenchrc', 'conformance.test.mjs', 'index.mjs'];

/** The example's files, and the commands of the guide's block that checks the plugin. */
async function pluginGuide(): Promise<{ files: Map<string, string>; guide: string; commands: string[] }> {
  const guide = await readFile(GUIDE, 'utf8');
  const files = new Map<string, string>();
  for (const name of EXAMPLE_FILES) files.set(name, await readFile(join(EXAMPLE, name), 'utf8'));
  const shell = [...guide.matchAll(/^```sh\n([\s\S]*?)^```$/gm)].map(([, body]) => body!);
  // The block that checks the plugin is the one that type-checks it.
  const checks = shell.find((block) => block.includes('npx tsc')) ?? '';
  return {
    files,
    guide,
    commands: checks.split('\n').filter((line) => line.trim() !== '' && !line.startsWith('#')),
  };
}

/** The environment of a user's shell: none of this test runner's or iobench's own settings. */
function userEnv(): NodeJS.ProcessEnv {
  return Object.fromEntries(
    Object.entries(process.env).filter(
      ([k]) => !k.startsWith('IOBENCH_') && !k.startsWith('NODE_TEST') && k !== 'NODE_OPTIONS',
    ),
  );
}

/** Output of a failed command, for assertion messages. */
const outputOf = (error: unknown) => {
  const e = error as { message: string; stdout?: string; stderr?: string };
  return `${e.message}\n${e.stdout ?? ''}\n${e.stderr ?? ''}`;
};

/** Why npm could not install from here (no registry and no cached copy), or undefined for another failure. */
function cannotInstall(output: string): string | undefined {
  const code = /\b(ENOTCACHED|ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ETIMEDOUT|ENETUNREACH)\b/.exec(output)?.[1];
  return (
    code && `npm cannot fetch the plugin's third-party dependencies here (${code}): no registry and no cached copy`
  );
}

describe('a plugin outside the repository, from packed tarballs (docs/plugins.md)', () => {
  let dir: string;
  let project: string;
  let skip: string | undefined;
  const readme = pluginGuide();

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'iobench-out-of-repo-'));
    project = join(dir, 'iobench-plugin-net-hello');
    const { stdout } = await run(process.execPath, [join(ROOT, 'scripts/pack.mjs'), join(dir, 'packs')], {
      cwd: ROOT,
    });
    const tarballs = stdout.trim().split('\n');
    await run('mkdir', [project]);
    await writeFile(
      join(project, 'package.json'),
      `${JSON.stringify({ name: 'iobench-plugin-net-hello', version: '1.0.0', private: true, type: 'module' }, null, 2)}\n`,
    );
    // The guide's install, from the tarballs; third-party packages from npm's cache (npm ci filled
    // it), or the registry where the cache lacks them.
    const install = ['install', '--no-audit', '--no-fund', '--prefer-offline', ...tarballs, 'zod@^4.1.0'];
    const devInstall = ['install', '--no-audit', '--no-fund', '--prefer-offline', '--save-dev'];
    try {
      await run('npm', install, { cwd: project, env: userEnv() });
      await run('npm', [...devInstall, 'typescript@^5.9.3', '@types/node@20.19'], { cwd: project, env: userEnv() });
    } catch (error) {
      skip = cannotInstall(outputOf(error));
      if (skip === undefined) throw new Error(`npm install failed: ${outputOf(error)}`);
      return;
    }
    for (const [name, text] of (await readme).files) await writeFile(join(project, name), text);
  });
  after(() => rm(dir, { recursive: true, force: true }));

  test('the guide links every file of examples/my-plugin it tells the author to copy', async () => {
    const { guide } = await readme;
    for (const name of EXAMPLE_FILES) {
      assert.ok(guide.includes(`](../examples/my-plugin/${name})`), `docs/plugins.md links ${name}`);
    }
  });

  test("the guide's commands type-check the plugin, pass the conformance kit, list it and run it", async (t) => {
    if (skip) return t.skip(skip);
    const { commands } = await readme;
    assert.deepEqual(
      commands.map((c) => c.split(' ').slice(0, 3).join(' ')),
      ['npx tsc --noEmit', 'node --test conformance.test.mjs', 'npx iobench list', 'npx iobench run'],
    );
    const outputs: string[] = [];
    for (const command of commands) {
      const result = await run('sh', ['-c', command], { cwd: project, env: userEnv(), timeout: 60_000 }).catch(
        (error: unknown) => assert.fail(`\`${command}\` failed in ${project}: ${outputOf(error)}`),
      );
      outputs.push(result.stdout);
    }
    const [, kit, list, benchmark] = outputs as [string, string, string, string];
    assert.match(kit, /^# fail 0$/m);
    assert.match(
      kit,
      /^# pass (1[4-9])$/m,
      'every conformance check ran (1,100 connections may skip on a low ulimit -n)',
    );
    assert.match(list, /^ {2}net-hello — Example third-party server: node:net sockets on the main thread$/m);
    // Off a terminal, list wraps to 80 columns: the option row, then its description indented below it.
    assert.match(list, /^ +noDelay +boolean +true *\n +send each answer at once \(TCP_NODELAY\)$/m);
    assert.match(list, /^ +headerTimeoutMs +integer[^\n]*\n +a request head must be complete/m);
    assert.match(benchmark, /net-hello\/native\/c2\/r0: [\d,]+ req\/s/);
  });
});
