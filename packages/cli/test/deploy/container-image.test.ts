/**
 * The container image cannot be built here (no container engine): the Dockerfile is checked as a
 * parsed file, and the entrypoint is run the way the image runs it — `iobench` on PATH as a symlink
 * to bin/iobench, as the image's non-root user, in its home directory.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { chown, mkdir, readFile, symlink } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { describe, test } from 'node:test';
import { testTempDir } from '@iobench/core/testing';
import { DockerfileParser, type Instruction } from 'dockerfile-ast';
import { IMAGE_UID } from '../../src/kube/manifests.js';
import { BIN, type CliResult } from '../helpers.js';

const ROOT = new URL('../../../../', import.meta.url).pathname;

async function dockerfile() {
  const parsed = DockerfileParser.parse(await readFile(join(ROOT, 'Dockerfile'), 'utf8'));
  const froms = parsed.getFROMs();
  const stage = (name: string) => {
    const from = froms.find((f) => f.getBuildStage() === name);
    assert.ok(from, `the Dockerfile has no stage "${name}"`);
    const next = froms[froms.indexOf(from) + 1];
    const end = next ? next.getRange().start.line : Number.POSITIVE_INFINITY;
    const instructions = parsed
      .getInstructions()
      .filter((i) => i.getRange().start.line > from.getRange().start.line && i.getRange().start.line < end);
    return { image: `${from.getImageName()}:${from.getImageTag()}`, instructions };
  };
  return { froms, stage };
}

const args = (i: Instruction) => i.getArgumentsContent() ?? '';
const runs = (instructions: Instruction[]) =>
  instructions.filter((i) => i.getKeyword() === 'RUN').map((i) => args(i).replace(/\s+/g, ' '));
/** The packages an `apt-get install` of these RUN lines names. */
const aptPackages = (lines: string[]) =>
  lines.flatMap((line) =>
    [...line.matchAll(/apt-get install ([^&;]+)/g)].flatMap((m) =>
      m[1]!.split(' ').filter((w) => w && !w.startsWith('-')),
    ),
  );

describe('the Dockerfile', () => {
  test('builds on node:20-bookworm as it comes (g++, make, python3), installing before the sources arrive', async () => {
    const { froms, stage } = await dockerfile();
    const text = await readFile(join(ROOT, 'Dockerfile'), 'utf8');
    assert.doesNotMatch(text, /^# *syntax=/m, 'a BuildKit frontend image would be fetched (offline builds fail)');
    assert.deepEqual(
      froms.map((f) => f.getBuildStage()),
      ['manifests', 'build', 'run'],
    );
    const build = stage('build');
    assert.equal(build.image, 'node:20-bookworm');
    assert.deepEqual(aptPackages(runs(build.instructions)), [], 'node:20-bookworm has the build tools');
    assert.ok(
      build.instructions.some((i) => i.getKeyword() === 'ENV' && /npm_config_nodedir=\/usr\/local/.test(args(i))),
      'node-gyp uses the image’s headers',
    );
    const keywords = build.instructions.map((i) => `${i.getKeyword()} ${args(i).replace(/\s+/g, ' ')}`);
    const install = keywords.findIndex((k) => /^RUN npm ci --ignore-scripts/.test(k));
    const sources = keywords.indexOf('COPY . .');
    assert.ok(install >= 0 && sources > install, 'npm ci runs on the manifests alone, before COPY . .');
    assert.ok(keywords.some((k) => /npm ci .*--omit=dev .*--workspace @iobench\/cli/.test(k)));
  });

  test('runs on node:20-bookworm-slim with wrk and perf, as a numeric non-root user, with iobench as the entrypoint', async () => {
    const { stage } = await dockerfile();
    const run = stage('run');
    assert.equal(run.image, 'node:20-bookworm-slim');
    assert.deepEqual(aptPackages(runs(run.instructions)).sort(), ['linux-perf', 'wrk']);
    const copy = run.instructions.find((i) => i.getKeyword() === 'COPY');
    assert.match(
      (copy as unknown as { getFlags(): { getName(): string; getValue(): string }[] } | undefined)
        ?.getFlags()
        .map((f) => `--${f.getName()}=${f.getValue()}`)
        .join(' ') ?? '',
      /--from=build/,
    );
    const users = run.instructions.filter((i) => i.getKeyword() === 'USER');
    const user = args(users.at(-1)!).split(':')[0]!;
    assert.ok(user !== 'root' && user !== '0', `the image runs as ${user}`);
    assert.equal(Number(user), IMAGE_UID, 'the pods’ runAsUser is the image’s user');
    const entrypoint = run.instructions.find((i) => i.getKeyword() === 'ENTRYPOINT')!;
    assert.deepEqual(JSON.parse(args(entrypoint)), ['iobench'], 'exec form, so signals reach iobench');
    assert.ok(runs(run.instructions).some((r) => r.includes('ln -s /app/bin/iobench /usr/local/bin/iobench')));
  });

  test('.dockerignore keeps what the host built or installed out of the image', async () => {
    const ignored = (await readFile(join(ROOT, '.dockerignore'), 'utf8')).split('\n').map((l) => l.trim());
    for (const pattern of [
      '**/node_modules',
      '**/dist',
      'packages/syscalls/build',
      '.git',
      '**/*.log',
      '**/perf.data*',
      '**/coverage',
    ]) {
      assert.ok(ignored.includes(pattern), `.dockerignore misses ${pattern}`);
    }
  });
});

/**
 * A non-root user with a passwd entry, as the image's `useradd` gives uid 10001 (Node asks the
 * passwd database about the user it runs as): `nobody` here.
 */
async function nonRootUser(): Promise<{ uid: number; gid: number } | undefined> {
  if (process.getuid?.() !== 0) return undefined; // already not root
  const entry = (await readFile('/etc/passwd', 'utf8')).split('\n').find((l) => l.startsWith('nobody:'));
  const [, , uid, gid] = entry?.split(':') ?? [];
  assert.ok(uid && gid, 'this machine has no "nobody" user to run the entrypoint as');
  return { uid: Number(uid), gid: Number(gid) };
}

/** `iobench ...args` as the image runs it: found on PATH, as a non-root user, in its home directory. */
async function asImage(argv: string[]): Promise<CliResult> {
  const home = await testTempDir('iobench-home-');
  const bin = join(home, 'bin');
  await mkdir(bin);
  await symlink(BIN, join(bin, 'iobench'));
  const user = await nonRootUser();
  if (user) await chown(home, user.uid, user.gid);
  const child = spawn('iobench', argv, {
    cwd: home,
    env: { PATH: `${bin}:${dirname(process.execPath)}:/usr/bin:/bin:/usr/sbin:/sbin`, HOME: home },
    ...user,
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (d) => (stdout += d));
  child.stderr.setEncoding('utf8').on('data', (d) => (stderr += d));
  const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
  return new Promise((resolve) =>
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    }),
  );
}

describe('the entrypoint, as the image runs it (non-root, iobench on PATH)', () => {
  test('iobench --version and iobench --help (the image’s CMD) answer and exit 0', async () => {
    const version = await asImage(['--version']);
    assert.equal(version.code, 0, version.stderr);
    assert.match(version.stdout, /^@iobench\/cli\/\d+\.\d+\.\d+ linux-\w+ node-v20\./);
    const help = await asImage(['--help']);
    assert.equal(help.code, 0, help.stderr);
    for (const command of ['run', 'serve', 'merge', 'kube', 'doctor'])
      assert.match(help.stdout, new RegExp(`\\b${command}\\b`));
  });

  test('iobench doctor --json reports every check and exits 0 without a failed one (1 with)', async () => {
    const r = await asImage(['doctor', '--json']);
    const checks = JSON.parse(r.stdout) as Array<{ name: string; status: string }>;
    const failed = checks.filter((c) => c.status === 'fail');
    assert.equal(r.code, failed.length > 0 ? 1 : 0, r.stderr);
    assert.deepEqual(failed, [], 'nothing every run needs is missing for a non-root user');
    assert.equal(checks.find((c) => c.name === 'syscall addon')?.status, 'ok');
  });
});
