/**
 * The container image built for real and used as a user would (issue #20): podman builds the
 * repository's Dockerfile, unchanged and under the default seccomp profile (which hides io_uring),
 * from stand-ins for node:20-bookworm and node:20-bookworm-slim (Debian packages + this machine's
 * Node, scripts/container/stand-in-node-images.sh, cached by Node version: image registries are
 * unreachable here). Then the commands of docs/distributed.md's container section: --version,
 * doctor, a 2 s run, a run --target against a server on the host's loopback whose results land in
 * a bind-mounted directory owned by the user passed as --user, two shard containers and a merge.
 *
 * Heavy (a few minutes cold): runs where IOBENCH_IMAGE_TEST=1 (.ci/run's image step) and podman is
 * installed, and is skipped with the reason elsewhere.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { chown, mkdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { ResultsFile } from '@iobench/core';
import { iobench, tempDir } from '../helpers.js';

const ROOT = new URL('../../../../', import.meta.url).pathname;
const IMAGE = 'localhost/iobench:image-test';
/** Someone's `id -u`:`id -g` that is neither root nor the image's 10001. */
const USER = { uid: 12345, gid: 12345 };

const skip =
  process.env.IOBENCH_IMAGE_TEST !== '1'
    ? 'set IOBENCH_IMAGE_TEST=1 to build the image (.ci/run does, in a step of its own)'
    : spawnSync('podman', ['--version']).status !== 0
      ? 'podman is not installed (.ci/run installs podman, runc, mmdebstrap and a containers.conf)'
      : false;

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
  ms: number;
}

/** `command ...args`, collected; the elapsed time goes to the test's diagnostics. */
function sh(command: string, args: string[], timeoutMs = 120_000): Promise<Run> {
  const started = Date.now();
  const child = spawn(command, args, { cwd: ROOT });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (d) => (stdout += d));
  child.stderr.setEncoding('utf8').on('data', (d) => (stderr += d));
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  return new Promise((resolve) =>
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, ms: Date.now() - started });
    }),
  );
}

/** `docker run --rm ...` as docs/distributed.md writes it, with podman. */
const run = (args: string[], timeoutMs?: number) => sh('podman', ['run', '--rm', ...args], timeoutMs);
const userFlag = ['--user', `${USER.uid}:${USER.gid}`];

/** `iobench serve` on the host's loopback: the server the containers measure through --network host. */
async function hostServer(t: { after(fn: () => void): void }): Promise<string> {
  const server = iobench(['serve', '--server', 'epoll', '--host', '127.0.0.1', '--port', '0'], { timeoutMs: 120_000 });
  t.after(() => server.child.kill('SIGINT'));
  return new Promise<string>((resolve, reject) => {
    let out = '';
    server.child.stdout!.on('data', (d: Buffer) => {
      out += d;
      const m = /serving at (http:\/\/\S+)/.exec(out);
      if (m) resolve(m[1]!);
    });
    void server.then((r) => reject(new Error(`iobench serve exited ${r.code}: ${r.stderr}`)));
  });
}

/** A results directory as a user makes it: owned by the uid the container runs as. */
async function resultsDir(): Promise<string> {
  const dir = join(await tempDir(), 'results');
  await mkdir(dir);
  await chown(dir, USER.uid, USER.gid);
  return dir;
}

describe('the image, built by podman under the default seccomp profile and run as a user would', { skip }, () => {
  before(async () => {
    const bases = await sh(join(ROOT, 'scripts/container/stand-in-node-images.sh'), ['podman'], 900_000);
    assert.equal(bases.code, 0, `stand-in base images: ${bases.stderr}`);
    process.stderr.write(`# stand-in base images: ${(bases.ms / 1000).toFixed(1)} s\n`);
    // No --security-opt: the default seccomp profile, which hides io_uring from the build's RUN steps.
    const build = await sh('podman', ['build', '--tag', IMAGE, '.'], 1_200_000);
    assert.equal(build.code, 0, `podman build failed:\n${build.stdout.slice(-4000)}\n${build.stderr.slice(-4000)}`);
    assert.doesNotMatch(build.stdout + build.stderr, /EBADENGINE|left out/);
    process.stderr.write(`# podman build: ${(build.ms / 1000).toFixed(1)} s\n`);
  });
  after(async () => {
    await sh('podman', ['image', 'rm', '--force', IMAGE]);
  });

  test('runs as uid 10001 with iobench as its entrypoint; the layers iobench adds stay under 150 MB', async (t) => {
    const inspect = await sh('podman', [
      'image',
      'inspect',
      '--format',
      '{{.Config.User}} {{json .Config.Entrypoint}}',
      IMAGE,
    ]);
    assert.equal(inspect.stdout.trim(), '10001:10001 ["iobench"]');
    const history = await sh('podman', ['history', '--format', '{{.Size}}\t{{.CreatedBy}}', '--human=false', IMAGE]);
    const layers = history.stdout
      .trim()
      .split('\n')
      .map((l) => l.split('\t') as [string, string]);
    // The last layer (the slim base) is not iobench's.
    const bytes = (size: string) => {
      const m = /^([\d.]+)\s*([kMG]?B)?$/.exec(size.trim());
      assert.ok(m, `a layer size podman printed: ${size}`);
      return Number(m[1]) * ({ kB: 1e3, MB: 1e6, GB: 1e9 }[m[2] ?? 'B'] ?? 1);
    };
    const added = layers.slice(0, -1).reduce((sum, [size]) => sum + bytes(size), 0);
    t.diagnostic(`layers iobench adds: ${(added / 1e6).toFixed(1)} MB`);
    assert.ok(added < 150e6, `the layers iobench adds take ${(added / 1e6).toFixed(1)} MB`);
    const files = await run(['--entrypoint', 'sh', IMAGE, '-c', 'cd /app && ls -A; ls packages/cli']);
    assert.equal(files.code, 0, files.stderr);
    for (const absent of ['tsconfig.base.json', 'scripts', 'examples', 'benchmarks', 'src', 'obj.target', 'autocannon'])
      assert.doesNotMatch(files.stdout, new RegExp(`^${absent}$`, 'm'), `${absent} is in the runtime image`);
    const modules = await run([
      '--entrypoint',
      'sh',
      IMAGE,
      '-c',
      'ls /app/node_modules; ls -R /app/packages/syscalls/build',
    ]);
    assert.doesNotMatch(modules.stdout, /^(autocannon|@biomejs|oclif|lerna|fast-check)$/m);
    assert.doesNotMatch(modules.stdout, /\.o$/m, 'no gyp object files');
  });

  test('docker run --rm iobench --version, and doctor: the addon loads; io_uring explains the seccomp profile', async () => {
    const version = await run([IMAGE, '--version']);
    assert.equal(version.code, 0, version.stderr);
    assert.match(version.stdout, /^@iobench\/cli\/\d+\.\d+\.\d+ linux-\w+ node-v20\./);
    const doctor = await run([IMAGE, 'doctor', '--json']);
    const checks = JSON.parse(doctor.stdout) as Array<{ name: string; status: string; detail: string; fix?: string }>;
    assert.deepEqual(
      checks.filter((c) => c.status === 'fail'),
      [],
    );
    assert.equal(checks.find((c) => c.name === 'syscall addon')?.status, 'ok');
    const uring = checks.find((c) => c.name === 'io_uring')!;
    if (uring.status !== 'ok') assert.match(uring.fix ?? '', /--security-opt seccomp=unconfined/);
  });

  test('a 2 s run of the epoll server inside the container', async () => {
    const r = await run([IMAGE, 'run', '--server', 'epoll', '--duration', '2s', '--warmup', '0s'], 120_000);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /epoll/);
  });

  test('run --target a server on the host, results in a mounted directory owned by --user', async (t) => {
    const url = await hostServer(t);
    const results = await resultsDir();
    const r = await run(
      ['--network', 'host', '-v', `${results}:/results`, ...userFlag, IMAGE].concat([
        'run',
        '--target',
        url,
        '--duration',
        '1s',
        '--warmup',
        '0s',
        '--out',
        '/results/target',
      ]),
      120_000,
    );
    assert.equal(r.code, 0, r.stderr);
    const file = join(results, 'target', 'results.json');
    const written = JSON.parse(await readFile(file, 'utf8')) as ResultsFile;
    assert.ok(written.points[0]!.requests > 0);
    assert.equal((await stat(file)).uid, USER.uid, 'the results belong to the user, not to 10001');
  });

  test('two shard containers started together by --start-at, then merge', async (t) => {
    const url = await hostServer(t);
    const results = await resultsDir();
    const startAt = new Date(Date.now() + 15_000).toISOString();
    const shard = (i: number) =>
      run(
        ['--network', 'host', '-v', `${results}:/results`, ...userFlag, IMAGE, 'run', '--target', url]
          .concat(['--connections', '8', '--duration', '1s', '--warmup', '0s'])
          .concat(['--shard', `${i}/2`, '--start-at', startAt, '--out', `/results/s${i}`]),
        120_000,
      );
    const shards = await Promise.all([shard(0), shard(1)]);
    for (const [i, r] of shards.entries()) assert.equal(r.code, 0, `shard ${i}: ${r.stderr}`);
    const merge = await run(
      [
        '-v',
        `${results}:/results`,
        ...userFlag,
        IMAGE,
        'merge',
        '/results/s0/results.json',
        '/results/s1/results.json',
      ].concat(['--out', '/results/merged']),
    );
    assert.equal(merge.code, 0, merge.stderr);
    assert.match(merge.stdout, /merged 2 results files as 2 shards/);
    const merged = JSON.parse(await readFile(join(results, 'merged', 'results.json'), 'utf8')) as ResultsFile;
    const parts = await Promise.all(
      [0, 1].map(
        async (i) => JSON.parse(await readFile(join(results, `s${i}`, 'results.json'), 'utf8')) as ResultsFile,
      ),
    );
    assert.equal(merged.points[0]!.requests, parts[0]!.points[0]!.requests + parts[1]!.points[0]!.requests);
    assert.equal(merged.points[0]!.params.connections, 8);
  });
});
