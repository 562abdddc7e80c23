/**
 * `iobench kube run` against a simulated cluster: a fake kubectl on PATH (fixtures/fake-kubectl)
 * records every call and answers from a scenario. The shards' logs it serves are real: two shards
 * of the rendered Job run here as processes against one `iobench serve`, waiting at the barrier
 * (`--start-at-file`) until the test writes the instant, as `kube run` does through the ConfigMap.
 */
import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ResultsFile } from '@iobench/core';
import { RESULTS_MOUNT, START_MOUNT } from '../../src/kube/manifests.js';
import { FIXTURES, iobench, tempDir } from '../helpers.js';
import { parseManifest, validate } from '../kube-schemas.js';

const FAKE_BIN = join(FIXTURES, 'fake-kubectl');

interface Call {
  args: string[];
  stdin: string;
  at: number;
  files: Record<string, string>;
}

interface Scenario {
  readyAfter?: number;
  completeAfter?: number;
  jobFails?: boolean;
  failServerWait?: boolean;
}

/** Each shard's log as `kubectl logs` shows it: its stderr lines, then its results.json (`run --json`). */
let logs: string[] = [];
let shardResults: ResultsFile[] = [];
let url = '';
let stopServer = () => {};

/** A container's args as the kubelet passes them: $(VAR) expanded, each mount path mapped to a directory here. */
function asKubelet(args: string[], env: Record<string, string>, mounts: Record<string, string>): string[] {
  return args
    .map((a) => a.replace(/\$\((\w+)\)/g, (ref, name: string) => env[name] ?? ref))
    .map((a) => {
      const mount = Object.keys(mounts).find((m) => a.startsWith(`${m}/`));
      return mount ? join(mounts[mount]!, a.slice(mount.length)) : a;
    });
}

before(async () => {
  const server = iobench(['serve', '--server', 'epoll', '--host', '127.0.0.1', '--port', '0'], { timeoutMs: 120_000 });
  stopServer = () => server.child.kill('SIGINT');
  url = await new Promise<string>((resolve, reject) => {
    let out = '';
    server.child.stdout!.on('data', (d: Buffer) => {
      out += d;
      const m = /serving at (http:\/\/\S+)/.exec(out);
      if (m) resolve(m[1]!);
    });
    void server.then((r) => reject(new Error(`iobench serve exited ${r.code}: ${r.stderr}`)));
  });

  // The load Job's pods, run here: both wait at the barrier until the instant is written.
  const dir = await tempDir();
  const k8s = join(dir, 'k8s');
  const render = await iobench(
    ['kube', 'render', '--shards', '2', '--target', url, '--start-barrier', '--results-in-logs'].concat([
      '--duration',
      '1s',
      '--out-dir',
      k8s,
    ]),
  );
  assert.equal(render.code, 0, render.stderr);
  const [, job] = parseManifest('load-job.yaml', await readFile(join(k8s, 'load-job.yaml'), 'utf8'));
  const args: string[] = job!.spec.template.spec.containers[0].args;
  await mkdir(join(dir, 'start'));
  await writeFile(join(dir, 'start', 'start-at'), ''); // the ConfigMap's key as rendered: empty
  const shards = [0, 1].map((i) => {
    const env = { JOB_COMPLETION_INDEX: String(i) };
    // One start ConfigMap for all pods; an emptyDir of its own for each.
    const mounts = { [START_MOUNT]: join(dir, 'start'), [RESULTS_MOUNT]: join(dir, `emptydir-${i}`) };
    return iobench(asKubelet(args, env, mounts), { env, timeoutMs: 60_000 });
  });
  // Both are waiting (they say so on stderr) before the instant exists.
  const waiting = shards.map(
    (shard) =>
      new Promise<void>((resolve) => {
        let err = '';
        shard.child.stderr!.on('data', (d: Buffer) => {
          err += d;
          if (/waiting up to 30m for the start instant/.test(err)) resolve();
        });
      }),
  );
  let opened = false;
  await Promise.race([
    Promise.all(waiting),
    Promise.all(shards).then((r) => {
      if (!opened) assert.fail(`a shard exited before the barrier opened: ${r.map((x) => x.stderr).join('\n')}`);
    }),
  ]);
  opened = true;
  await sleep(500); // the barrier holds: nothing measured yet
  const startAt = new Date(Date.now() + 3000).toISOString();
  await writeFile(join(dir, 'start', 'start-at'), `${startAt}\n`);
  const done = await Promise.all(shards);
  for (const [i, r] of done.entries()) assert.equal(r.code, 0, `shard ${i}: ${r.stderr}`);
  logs = done.map((r) => r.stderr + r.stdout);
  shardResults = done.map((r) => JSON.parse(r.stdout) as ResultsFile);
  for (const r of shardResults) {
    assert.equal(r.points[0]!.measuredStart?.intendedAt, startAt, 'each shard measured from the instant in the file');
  }
});

after(() => stopServer());

/** Runs `iobench kube run` with the fake kubectl; returns its result and the calls kubectl received. */
async function kubeRun(
  scenario: Scenario,
  extra: string[],
  options: { onCalls?: (calls: Call[], child: ChildProcess) => boolean } = {},
) {
  const dir = await tempDir();
  const fake = join(dir, 'kubectl');
  await mkdir(fake);
  await writeFile(
    join(fake, 'scenario.json'),
    JSON.stringify({
      name: 'iobench',
      shards: 2,
      readyAfter: 0,
      completeAfter: 0,
      logs,
      files: Object.fromEntries(
        logs.map((_, i) => [`/results/shard-${i}/results.json`, JSON.stringify(shardResults[i])]),
      ),
      ...scenario,
    }),
  );
  const out = join(dir, 'out');
  const manifests = join(dir, 'manifests');
  const args = ['kube', 'run', '--shards', '2', '--duration', '1s', '--out', out, '--manifests-dir', manifests];
  const run = iobench([...args, '--start-margin', '5s', '--poll-interval', '50ms', ...extra], {
    env: { PATH: `${FAKE_BIN}:${process.env.PATH}`, FAKE_KUBECTL_DIR: fake },
    timeoutMs: 60_000,
  });
  const calls = async (): Promise<Call[]> =>
    existsSync(join(fake, 'calls.jsonl'))
      ? (await readFile(join(fake, 'calls.jsonl'), 'utf8'))
          .trim()
          .split('\n')
          .map((l) => JSON.parse(l) as Call)
      : [];
  if (options.onCalls) {
    while (!options.onCalls(await calls(), run.child)) await sleep(50);
  }
  const result = await run;
  return { result, calls: await calls(), out, manifests };
}

/** A call as a short line: `get pods`, `patch configmap`, `wait deployment/iobench-server`. */
function verb(call: Call): string {
  const args = call.args[0] === '--namespace' ? call.args.slice(2) : call.args;
  if (args[0] === 'get') return `get ${args[1]}`;
  if (args[0] === 'wait') return `wait ${args.find((a) => a.includes('/'))}`;
  if (args[0] === 'patch') return `patch ${args[1]}`;
  if (args[0] === 'logs') return 'logs';
  if (args[0] === 'exec') return 'exec';
  const files = args.filter((_, i) => args[i - 1] === '-f').map((f) => f.split('/').pop());
  return `${args[0]} ${files.join(' ')}`;
}

/** Collapses repeats: get pods ×4. */
function sequence(calls: Call[]): string[] {
  const out: string[] = [];
  for (const v of calls.map(verb)) {
    const last = out.at(-1);
    if (last === v || last?.startsWith(`${v} ×`)) out[out.length - 1] = `${v} ×${Number(last.split('×')[1] ?? 1) + 1}`;
    else out.push(v);
  }
  return out;
}

describe('iobench kube run (simulated kubectl)', () => {
  test('a late shard delays the start instead of failing it: the instant is written only once every shard runs; logs merged into --out; cleaned up', async () => {
    const { result, calls, out, manifests } = await kubeRun({ readyAfter: 3, completeAfter: 2 }, [
      '--target',
      url,
      '--results-in-logs',
      '--namespace',
      'bench',
    ]);
    assert.equal(result.code, 0, result.stderr);
    assert.deepEqual(sequence(calls), [
      'apply load-job.yaml',
      'get pods ×4',
      'patch configmap',
      'get job ×3',
      'get pods',
      'logs ×2',
      'delete load-job.yaml',
    ]);
    for (const c of calls)
      assert.deepEqual(c.args.slice(0, 2), ['--namespace', 'bench'], 'every call in the namespace');

    // What was applied holds no instant, so applying it late is harmless, and it passes the API schemas.
    const applied = Object.entries(calls[0]!.files);
    assert.equal(applied.length, 1);
    for (const [file, text] of applied) {
      const objects = parseManifest(file, text);
      for (const o of objects) validate(file, o);
      assert.doesNotMatch(text, /--start-at\n|\d{4}-\d{2}-\d{2}T\d{2}:/, 'no baked start instant');
      assert.match(text, /- --start-at-file\n/);
    }
    assert.ok(existsSync(join(manifests, 'load-job.yaml')), '--manifests-dir keeps the manifests');

    // The instant: written after the first listing where both shards were Running, a margin later.
    const patch = calls.find((c) => c.args.includes('patch'))!;
    const firstAllRunning = calls.filter((c) => c.args.includes('pods'))[3]!;
    assert.ok(patch.at >= firstAllRunning.at);
    const startAt = JSON.parse(patch.args.at(-1)!).data['start-at'] as string;
    const leadMs = Date.parse(startAt) - patch.at;
    assert.ok(leadMs >= 4000 && leadMs <= 6000, `the instant is --start-margin (5s) after writing it (${leadMs} ms)`);
    assert.deepEqual(patch.args.slice(2, 7), ['patch', 'configmap', 'iobench-start', '--type', 'merge']);
    assert.match(result.stderr, new RegExp(`all 2 shards Running; they start measuring at ${startAt}`));

    // The shards' logs (stderr lines, then results.json) merged exactly into --out.
    const merged = JSON.parse(await readFile(join(out, 'results.json'), 'utf8')) as ResultsFile;
    const sum = shardResults.reduce((a, r) => a + r.points[0]!.requests, 0);
    assert.equal(merged.points[0]!.requests, sum);
    assert.deepEqual(JSON.parse(await readFile(join(out, 'shards', 'shard-1.json'), 'utf8')), shardResults[1]);
    assert.match(result.stdout, /merged 2 results files as 2 shards/);

    const del = calls.at(-1)!;
    assert.deepEqual(del.args.slice(2, 5), ['delete', '--ignore-not-found', '--wait=false']);
  });

  test('a rendered server and a results volume: wait for the Deployment, read results through a collect pod, delete it all', async () => {
    const { result, calls, out } = await kubeRun({ completeAfter: 1 }, []);
    assert.equal(result.code, 0, result.stderr);
    const merged = JSON.parse(await readFile(join(out, 'results.json'), 'utf8')) as ResultsFile;
    assert.equal(
      merged.points[0]!.requests,
      shardResults[0]!.points[0]!.requests + shardResults[1]!.points[0]!.requests,
    );
    assert.deepEqual(sequence(calls), [
      'apply server.yaml results-volume.yaml load-job.yaml',
      'wait deployment/iobench-server',
      'get pods',
      'patch configmap',
      'get job ×2',
      'apply collect-pod.yaml',
      'wait pod/iobench-collect',
      'exec ×2',
      'delete collect-pod.yaml load-job.yaml results-volume.yaml server.yaml',
    ]);
    for (const [file, text] of Object.entries(calls[0]!.files).concat(Object.entries(calls.at(-5)!.files))) {
      for (const o of parseManifest(file, text)) validate(file, o);
    }
    const exec = calls
      .filter((c) => c.args[0] === 'exec')
      .map((c) => c.args.join(' '))
      .sort(); // read in parallel
    assert.deepEqual(exec, [
      'exec iobench-collect -c collect -- cat /results/shard-0/results.json',
      'exec iobench-collect -c collect -- cat /results/shard-1/results.json',
    ]);
  });

  test('a failed step names itself, the kubectl command and its stderr, and still deletes what was applied', async () => {
    const server = await kubeRun({ failServerWait: true }, []);
    assert.equal(server.result.code, 1);
    assert.match(
      server.result.stderr,
      /waiting for the server Deployment to be available: `kubectl wait --for=condition=available deployment\/iobench-server --timeout=600s` exited 1: error: timed out waiting for the condition on deployments\/iobench-server/,
    );
    assert.deepEqual(sequence(server.calls), [
      'apply server.yaml results-volume.yaml load-job.yaml',
      'wait deployment/iobench-server',
      'delete load-job.yaml results-volume.yaml server.yaml',
    ]);

    const job = await kubeRun({ jobFails: true }, ['--target', url, '--results-in-logs', '--keep']);
    assert.equal(job.result.code, 1);
    assert.match(job.result.stderr, /waiting for the load Job: job\/iobench-load failed \(BackoffLimitExceeded\)/);
    assert.match(job.result.stderr, /iobench-load-0-x0k2:\n {2}iobench: shard 0\/2/, 'the failed pods’ logs');
    assert.ok(!job.calls.some((c) => c.args[0] === 'delete'), '--keep leaves the objects after a failure');
    assert.match(job.result.stderr, /kept what was applied \(--keep\): kubectl delete -f \S+load-job\.yaml/);
  });

  test('Ctrl-C while waiting for the shards deletes what was applied (even with --keep), writes no instant, exits 130', async () => {
    const { result, calls } = await kubeRun({ readyAfter: -1 }, ['--target', url, '--results-in-logs', '--keep'], {
      onCalls: (seen, child) => {
        if (seen.filter((c) => c.args[0] === 'get').length < 2) return false;
        child.kill('SIGINT');
        return true;
      },
    });
    assert.equal(result.code, 130, result.stderr);
    assert.ok(!calls.some((c) => c.args[0] === 'patch'), 'no instant written');
    assert.equal(calls.at(-1)!.args[0], 'delete');
    assert.match(result.stderr, /interrupted/);
  });
});
