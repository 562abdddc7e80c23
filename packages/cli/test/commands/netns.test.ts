import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import type { ResultsFile } from '@iobench/core';
import { requireTool } from '@iobench/core/testing';
import { missingForNetns } from '@iobench/placement';
import { iobench, isRunning, serverHostsOf, tempDir } from '../helpers.js';

const missing = await missingForNetns();
const skip = missing.length > 0 ? `--netns needs ${missing.map((m) => m.what).join(', ')}` : false;

/** Namespaces of the iobench process `pid` still present. */
function namespacesOf(pid: number): string[] {
  return execFileSync('ip', ['netns', 'list'], { encoding: 'utf8' })
    .split('\n')
    .map((l) => l.split(' ')[0]!)
    .filter((name) => name.endsWith(`-${pid}`) && name.startsWith('iob-'));
}

describe('iobench run --netns', { skip }, () => {
  test('runs a benchmark across the veth pair (IPv6 link-local) and leaves no namespace behind', async () => {
    const out = await tempDir();
    const run = iobench([
      'run',
      '--server',
      'epoll',
      '--netns',
      '--duration',
      '1s',
      '--warmup',
      '200ms',
      '--connections',
      '4',
      '--out',
      out,
    ]);
    const r = await run;
    assert.equal(r.code, 0, r.stderr);
    const [point] = (JSON.parse(await readFile(join(out, 'results.json'), 'utf8')) as ResultsFile).points;
    assert.ok(point!.requests > 100, `requests: ${point!.requests}`);
    assert.equal(point!.errors.connect, 0);
    assert.deepEqual(point!.network && [point!.network.serverAddress, point!.network.loadAddress], [
      'fe80::1%iob0',
      'fe80::2%iob1',
    ]);
    assert.equal(point!.serverOptions.host, 'fe80::1%iob0');
    assert.match(point!.target, /^http:\/\/\[fe80::1%iob1\]:\d+\/$/);
    assert.deepEqual(namespacesOf(run.child.pid!), []);
  });

  test('idle connections reach the server over the zoned IPv6 link-local address', async () => {
    const out = await tempDir();
    const run = iobench([
      'run',
      '--server',
      'poll',
      '--netns',
      '--idle-connections',
      '4',
      '--duration',
      '1s',
      '--warmup',
      '200ms',
      '--connections',
      '2',
      '--out',
      out,
    ]);
    const r = await run;
    assert.equal(r.code, 0, r.stderr);
    const [point] = (JSON.parse(await readFile(join(out, 'results.json'), 'utf8')) as ResultsFile).points;
    assert.match(point!.target, /^http:\/\/\[fe80::1%iob1\]:\d+\/$/);
    assert.deepEqual(point!.idle, { requested: 4, held: 4 });
    assert.ok(point!.requests > 100, `requests: ${point!.requests}`);
    assert.deepEqual(namespacesOf(run.child.pid!), []);
  });

  test('IPv4 across the pair with wrk', { skip: requireTool('wrk') }, async () => {
    const out = await tempDir();
    const run = iobench([
      'run',
      '--server',
      'poll',
      '--netns-family',
      'ipv4',
      '--load',
      'wrk',
      '--duration',
      '1s',
      '--warmup',
      '200ms',
      '--connections',
      '4',
      '--out',
      out,
    ]);
    const r = await run;
    assert.equal(r.code, 0, r.stderr);
    const [point] = (JSON.parse(await readFile(join(out, 'results.json'), 'utf8')) as ResultsFile).points;
    assert.ok(point!.requests > 100);
    assert.equal(point!.target.replace(/:\d+\/$/, ''), 'http://10.77.0.1');
    assert.deepEqual(namespacesOf(run.child.pid!), []);
  });

  test('Ctrl-C mid-run removes the namespaces and the server host', async () => {
    const out = await tempDir();
    const run = iobench([
      'run',
      '--server',
      'epoll',
      '--netns',
      '--duration',
      '10s',
      '--warmup',
      '200ms',
      '--connections',
      '2',
      '--out',
      out,
    ]);
    const pid = run.child.pid!;
    for (let i = 0; i < 100 && namespacesOf(pid).length < 2; i++) await new Promise((r) => setTimeout(r, 100));
    assert.equal(namespacesOf(pid).length, 2, 'namespaces created');
    await new Promise((r) => setTimeout(r, 1500));
    // This run's hosts by parentage: other runs on the machine have hosts of their own.
    const hosts = serverHostsOf(pid);
    assert.equal(hosts.length, 1, 'the run has its server host');
    run.child.kill('SIGINT');
    const r = await run;
    assert.equal(r.code, 130, r.stderr);
    assert.deepEqual(namespacesOf(pid), []);
    assert.deepEqual(hosts.filter(isRunning), [], 'no server host of this run is left');
  });

  test('namespaces left by a killed run are removed by the next one', async () => {
    const out = await tempDir();
    const killed = iobench([
      'run',
      '--server',
      'epoll',
      '--netns',
      '--duration',
      '10s',
      '--warmup',
      '200ms',
      '--connections',
      '2',
      '--out',
      out,
    ]);
    const pid = killed.child.pid!;
    for (let i = 0; i < 100 && namespacesOf(pid).length < 2; i++) await new Promise((r) => setTimeout(r, 100));
    killed.child.kill('SIGKILL');
    await killed;
    assert.equal(namespacesOf(pid).length, 2, 'a SIGKILLed run cannot clean up');
    const next = await iobench([
      'run',
      '--server',
      'epoll',
      '--netns',
      '--duration',
      '500ms',
      '--warmup',
      '0s',
      '--connections',
      '2',
      '--out',
      await tempDir(),
    ]);
    assert.equal(next.code, 0, next.stderr);
    assert.deepEqual(namespacesOf(pid), []);
  });
});
