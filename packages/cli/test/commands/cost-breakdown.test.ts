/**
 * Where a request's CPU goes, as a user reads it: a real short run, pinned server CPU 0 and
 * generator CPU 1, whose results.json carries each side's user/system split, context switches,
 * syscalls and softirq per request, and whose html report shows them side by side. No timing: the
 * figures are checked for consistency (user + system = total, per-request = total / requests), not size.
 */
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import type { PointResult, ResultsFile } from '@iobench/core';
import { requireTool } from '@iobench/core/testing';
import { iobench, tempDir } from '../helpers.js';

const skip = availableParallelism() < 2 ? 'pinning server and generator apart needs two CPUs' : requireTool('taskset');

/** `part` split into user and system adds up to its total, and each per-request figure is total / requests. */
function assertSplit(
  stats: { cpuUs: number; userCpuUs?: number; systemCpuUs?: number; userCpuUsPerRequest?: number },
  requests: number,
  label: string,
): void {
  assert.ok(stats.userCpuUs !== undefined && stats.systemCpuUs !== undefined, `${label}: user/system split`);
  assert.ok(Math.abs(stats.userCpuUs + stats.systemCpuUs - stats.cpuUs) <= 1, `${label}: user + system = CPU`);
  assert.ok(Math.abs(stats.userCpuUsPerRequest! - stats.userCpuUs / requests) < 0.001, `${label}: user per request`);
}

describe('the per-request breakdown of server and generator', { skip }, () => {
  test('a pinned run records user, system, switches, syscalls and softirq per side, and html shows them', async () => {
    const out = join(await tempDir(), 'out');
    const loads = requireTool('wrk') ? 'native' : 'native,wrk';
    const run = await iobench([
      'run',
      '-s',
      'epoll',
      '-l',
      loads,
      '--connections',
      '4',
      '-d',
      '1s',
      '--warmup',
      '0',
      '--server-cpus',
      '0',
      '--load-cpus',
      '1',
      '-r',
      'json,html',
      '-o',
      out,
      '-q',
    ]);
    assert.equal(run.code, 0, run.stderr);
    const results = JSON.parse(await readFile(join(out, 'results.json'), 'utf8')) as ResultsFile;
    const point = (load: string) => results.points.find((p) => p.load === load && p.status === 'ok') as PointResult;

    const native = point('native');
    assert.ok(native, 'the native point measured');
    const { loadStats, serverStats, interruptTime } = native;
    assertSplit(loadStats, native.requests, 'generator');
    assertSplit(serverStats!, native.requests, 'server');
    assert.ok(Number.isInteger(loadStats.voluntaryCtxSwitches) && loadStats.voluntaryCtxSwitches! >= 0);
    assert.ok(Number.isInteger(loadStats.involuntaryCtxSwitches) && loadStats.involuntaryCtxSwitches! >= 0);
    if (loadStats.ioEngine === 'io_uring') {
      // Sends and receives are SQEs: the generator's syscalls are its rounds (and a socket per connection).
      assert.ok(loadStats.syscalls!.io_uring_enter! > 0, JSON.stringify(loadStats.syscalls));
      assert.equal(loadStats.syscalls!.recv, undefined, JSON.stringify(loadStats.syscalls));
      assert.ok(loadStats.syscallsPerRequest!.io_uring_enter! > 0);
    } else {
      assert.equal(loadStats.ioEngine, 'epoll');
      // Every response takes at least one recv and every request one send, on one pinned thread.
      assert.ok(loadStats.syscalls!.recv! >= native.requests, JSON.stringify(loadStats.syscalls));
      assert.ok(loadStats.syscalls!.send! >= native.requests, JSON.stringify(loadStats.syscalls));
      assert.ok(loadStats.syscalls!.epoll_pwait2! > 0 || loadStats.syscalls!.epoll_wait! > 0);
      assert.ok(loadStats.syscallsPerRequest!.recv! >= 1);
    }

    assert.ok(interruptTime, 'interrupt time from /proc/stat');
    assert.equal(interruptTime.attribution, 'pinned');
    assert.equal(interruptTime.server?.cpus, '0');
    assert.equal(interruptTime.generator?.cpus, '1');
    assert.ok(interruptTime.softirqUs >= 0 && interruptTime.irqUs >= 0);
    assert.ok(interruptTime.server!.softirqUs + interruptTime.generator!.softirqUs <= interruptTime.softirqUs);
    assert.ok(interruptTime.perCpu.every((c) => c.softirqUs + c.irqUs > 0));

    if (loads.includes('wrk')) {
      const wrk = point('wrk');
      assertSplit(wrk.loadStats, wrk.requests, 'wrk');
      assert.ok(wrk.loadStats.voluntaryCtxSwitches !== undefined, "wrk's getrusage through LuaJIT's FFI");
      assert.equal(wrk.loadStats.syscalls, undefined, 'wrk counts no syscalls');
    }

    const html = await readFile(join(out, 'report.html'), 'utf8');
    const title = /<h3>Where a request(?:'|&#39;|&#x27;)s CPU goes, server and generator<\/h3>/.exec(html);
    assert.ok(title, 'the breakdown table is in the html report');
    const table = html.slice(title.index, html.indexOf('</table>', title.index));
    const headers = [...table.matchAll(/<th[^>]*>([^<]*)<\/th>/g)].map((m) => m[1]);
    for (const column of ['server user µs', 'server sys µs', 'server softirq µs', 'server syscalls', 'server switches'])
      assert.ok(headers.includes(column) && headers.includes(column.replace('server', 'generator')), column);
    const nativeRow = [...table.matchAll(/<tr>(.*?)<\/tr>/g)].find((m) => m[1]!.includes('<td>native</td>'));
    assert.ok(nativeRow, 'a row for the native generator');
    // Pinned apart, each side has a softirq figure of its own: no cell of the row reads "-".
    assert.ok(!nativeRow[1]!.includes('>-</td>'), nativeRow[1]);
  });
});
