import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import type { ResultsFile } from '@iobench/core';
import { requireTool } from '@iobench/core/testing';
import { iobench, tempDir } from '../helpers.js';

const root = process.getuid?.() === 0;
const perfMissing =
  requireTool('perf') ??
  (!root
    ? 'perf needs root for kernel stacks'
    : !perfCanSample()
      ? 'perf cannot sample the cpu-clock event on this machine (perf stat -e cpu-clock true fails)'
      : undefined);
const straceMissing = requireTool('strace') ?? (!root ? 'strace -p needs root (ptrace)' : undefined);

async function results(dir: string): Promise<ResultsFile> {
  return JSON.parse(await readFile(join(dir, 'results.json'), 'utf8'));
}

describe('iobench run --profile', () => {
  test('perf: a flame graph of the measured phase shows the kernel accept path and the server’s JS functions', {
    skip: perfMissing,
  }, async () => {
    const out = await tempDir();
    const r = await iobench([
      'run',
      '--server',
      'basic',
      '--profile',
      'perf',
      '--duration',
      '1s',
      '--warmup',
      '200ms',
      '--connections',
      '4',
      '--out',
      out,
    ]);
    assert.equal(r.code, 0, r.stderr);
    const [point] = (await results(out)).points;
    const perf = point!.profiles?.perf;
    assert.ok(perf && perf.samples > 0, JSON.stringify(point!.profiles));
    assert.equal(perf.svg, 'profiles/basic-native-c4-r0.svg');
    const svg = await readFile(join(out, perf.svg), 'utf8');
    assert.match(svg, /<svg /);
    assert.match(svg, /accept/, 'kernel/libc accept frames');
    assert.match(svg, /runBasicLoop/, "the basic server's own loop, named through Node's perf map");
    const folded = await readFile(join(out, perf.folded), 'utf8');
    assert.match(folded, /^node;.* \d+$/m);
    assert.ok(!existsSync(join(out, 'profiles/basic-native-c4-r0.perf.data')), 'perf.data removed once folded');
  });

  test('strace: per-syscall counts of the measured phase match the syscall layer’s counters', {
    skip: straceMissing,
  }, async () => {
    const out = await tempDir();
    const r = await iobench([
      'run',
      '--server',
      'epoll',
      '--profile',
      'strace',
      '--duration',
      '1s',
      '--warmup',
      '200ms',
      '--connections',
      '4',
      '--out',
      out,
    ]);
    assert.equal(r.code, 0, r.stderr);
    const [point] = (await results(out)).points;
    const strace = point!.profiles?.strace;
    assert.ok(strace, 'profiles.strace recorded');
    const counters = point!.serverStats!.syscalls!;
    assert.ok(strace.syscalls.epoll_wait!.calls > 0, JSON.stringify(strace.syscalls));
    // The addon's recv/send are recvfrom/sendto underneath; strace attaches just after the
    // counters' first snapshot, so its counts may be slightly lower, never higher.
    for (const [counter, syscall] of [
      ['recv', 'recvfrom'],
      ['send', 'sendto'],
      ['epoll_wait', 'epoll_wait'],
    ] as const) {
      const traced = strace.syscalls[syscall]?.calls ?? 0;
      assert.ok(
        traced <= counters[counter]! && traced >= 0.8 * counters[counter]!,
        `${syscall}: strace ${traced}, counters ${counters[counter]}`,
      );
    }
    assert.ok(strace.callsPerRequest.sendto! > 0.9 && strace.callsPerRequest.sendto! < 1.1, 'one send per request');
    assert.ok(point!.serverStats!.userCpuUsPerRequest! >= 0 && point!.serverStats!.systemCpuUsPerRequest! > 0);
    assert.ok(point!.serverStats!.voluntaryCtxSwitchesPerRequest !== undefined);
  });

  test('--profile against --target stops before starting', async () => {
    const r = await iobench(['run', '--target', 'http://127.0.0.1:9/', '--profile', 'perf', '--duration', '1s']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /--profile perf records the server processes iobench starts/);
  });
});

/** perf is present but may still be refused by the kernel or the container: ask it once. */
function perfCanSample(): boolean {
  try {
    execFileSync('perf', ['stat', '-e', 'cpu-clock', 'true'], { stdio: 'ignore', timeout: 10_000 });
    return true;
  } catch {
    return false;
  }
}
