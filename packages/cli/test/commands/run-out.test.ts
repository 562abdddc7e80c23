import assert from 'node:assert/strict';
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { FIXTURES, iobench, projectWith, tempDir } from '../helpers.js';

const cleanup: string[] = [];
after(() => Promise.all(cleanup.map((d) => rm(d, { recursive: true, force: true }))));

/** A project whose `throwing` server fails as soon as it is started: any run that spawns it says so. */
async function projectWithThrowingServer(): Promise<string> {
  const cwd = await projectWith({
    '.iobenchrc': `plugins: [${JSON.stringify(join(FIXTURES, 'failing-plugins.mjs'))}]\n`,
  });
  cleanup.push(cwd);
  return cwd;
}

const SHORT = ['--connections', '2', '--duration', '300ms', '--warmup', '0'];

describe('iobench run --out: file-system failures are refused before anything starts', () => {
  test('a directory /proc cannot hold is an error, not a spin (exit 2)', async () => {
    const cwd = await projectWithThrowingServer();
    const r = await iobench(['run', '--server', 'throwing', ...SHORT, '--out', '/proc/iobench-x'], {
      cwd,
      timeoutMs: 15_000,
    });
    assert.equal(r.code, 2, `exit code ${r.code} (null: killed after hanging): ${r.stderr}`);
    assert.match(r.stderr, /--out \/proc\/iobench-x: cannot create directory \/proc\/iobench-x: /);
    assert.doesNotMatch(r.stderr, /deliberate failure in start/, 'no server was started');
  });

  test('a path under a regular file names the file in the way (exit 2)', async () => {
    const cwd = await projectWithThrowingServer();
    await writeFile(join(cwd, 'taken'), 'a file, not a directory');
    const out = join(cwd, 'taken', 'results');
    const r = await iobench(['run', '--server', 'throwing', ...SHORT, '--out', out], { cwd, timeoutMs: 15_000 });
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, new RegExp(`--out ${out}: .*${join(cwd, 'taken')} is a file, not a directory`));
    assert.doesNotMatch(r.stderr, /deliberate failure in start/, 'no server was started');
  });

  test('an existing directory nobody can write to, even with --force, is an error (exit 2)', async () => {
    const cwd = await projectWithThrowingServer();
    // Root can write almost anywhere; /proc/self/fdinfo refuses new files to everyone.
    const r = await iobench(['run', '--server', 'throwing', ...SHORT, '--out', '/proc/self/fdinfo', '--force'], {
      cwd,
      timeoutMs: 15_000,
    });
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /--out \/proc\/self\/fdinfo: cannot create files in it: /);
    assert.doesNotMatch(r.stderr, /deliberate failure in start/, 'no server was started');
  });
});

describe('iobench run --out: an earlier run is never overwritten by accident', () => {
  test('an existing non-empty directory is refused unless --force; an empty one is used', async () => {
    const out = await tempDir();
    cleanup.push(out);
    await writeFile(join(out, 'results.json'), 'an earlier run');
    const refused = await iobench(['run', '--server', 'epoll', ...SHORT, '--out', out]);
    assert.equal(refused.code, 2, refused.stderr);
    assert.match(refused.stderr, new RegExp(`--out ${out} already holds files \\(results\\.json\\)`));
    assert.match(refused.stderr, /hint: .*--force/);
    assert.equal(await readFile(join(out, 'results.json'), 'utf8'), 'an earlier run', 'left as it was');

    const forced = await iobench(['run', '--server', 'epoll', ...SHORT, '--out', out, '--force']);
    assert.equal(forced.code, 0, forced.stderr);
    assert.equal(JSON.parse(await readFile(join(out, 'results.json'), 'utf8')).status, 'complete');
    assert.deepEqual(await readdir(out), ['results.json'], 'no temporary file left behind');
  });

  test('the default output directory is a new one, even when the timestamped name exists', async () => {
    const cwd = await projectWithThrowingServer();
    // Every name the default could take in the next minute already exists and holds a file.
    const base = join(cwd, 'iobench-results');
    const now = Date.now();
    const taken: string[] = [];
    for (let s = 0; s < 60; s++) {
      const name = new Date(now + s * 1000).toISOString().replace(/[:]/g, '').replace(/\..*$/, '').replace('T', '-');
      taken.push(name);
      await mkdir(join(base, name), { recursive: true });
      await writeFile(join(base, name, 'results.json'), 'an earlier run');
    }
    const r = await iobench(['run', '--server', 'epoll', ...SHORT], { cwd });
    assert.equal(r.code, 0, r.stderr);
    const written = /results: (.*results\.json)/.exec(r.stdout)?.[1];
    assert.ok(written, r.stdout);
    assert.equal(JSON.parse(await readFile(join(cwd, written), 'utf8')).status, 'complete');
    assert.ok(!taken.some((name) => written === join('iobench-results', name, 'results.json')), written);
    for (const name of taken) assert.equal(await readFile(join(base, name, 'results.json'), 'utf8'), 'an earlier run');
  });
});
