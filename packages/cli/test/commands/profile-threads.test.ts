/**
 * `--profile perf` sees every server's threads, short-lived ones included, with stacks perf could
 * resolve; `--profile offcpu` shows where they wait. Loads are 1 s on loopback, 4 connections.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import type { ResultsFile } from '@iobench/core';
import { parseFolded } from '@iobench/core';
import { requireTool, testOutputDir } from '@iobench/core/testing';
import { schedTracepointsMissing, unresolvedShare } from '@iobench/placement/profile';
import { iobench, tempDir } from '../helpers.js';

const root = process.getuid?.() === 0;
const perfMissing = requireTool('perf') ?? (!root ? 'perf -a needs root for kernel stacks' : undefined);
const offCpuMissing = perfMissing ?? schedTracepointsMissing();
const SERVERS = ['basic', 'select', 'poll', 'epoll', 'epoll-pool', 'epoll-thread', 'io-uring', 'node'];
/** Most samples must say what code ran: an unresolved leaf-side chain on at most this share of them. */
const MAX_UNRESOLVED_SHARE = 0.1;

/** One `iobench run --profile KIND` of the servers (a point each); the results, or the CLI's stderr. */
async function profiled(
  servers: string[],
  kind: 'perf' | 'offcpu',
): Promise<{ out: string; results?: ResultsFile; stderr: string }> {
  // The epoll-thread flame graph and its screenshot stay for a human to look at (their paths are
  // printed), in one directory each run replaces.
  const kept = servers.includes('epoll-thread') && kind === 'perf';
  const out = kept ? await testOutputDir('profile-perf') : await tempDir();
  const r = await iobench(
    [
      'run',
      '--server',
      servers.join(','),
      '--profile',
      kind,
      '--duration',
      '1s',
      '--warmup',
      '200ms',
      '--connections',
      '4',
      '--reporter',
      'json',
      '--out',
      out,
    ],
    { timeoutMs: 180_000 },
  );
  if (r.code !== 0) return { out, stderr: r.stderr };
  return { out, results: JSON.parse(await readFile(join(out, 'results.json'), 'utf8')), stderr: r.stderr };
}

describe('iobench run --profile perf: every thread, resolved stacks', { skip: perfMissing }, () => {
  // One run for the servers that run everywhere (a point each: one CLI and perf set-up, not seven);
  // io-uring on its own, as a kernel without io_uring refuses it.
  let shared: ReturnType<typeof profiled> | undefined;
  const runOf = (server: string) => {
    if (server === 'io-uring') return profiled([server], 'perf');
    shared ??= profiled(
      SERVERS.filter((s) => s !== 'io-uring'),
      'perf',
    );
    return shared;
  };
  for (const server of SERVERS) {
    test(`${server}: at most ${MAX_UNRESOLVED_SHARE * 100}% of samples end in unresolved frames`, async (t) => {
      const { out, results, stderr } = await runOf(server);
      if (!results && server === 'io-uring' && /io_uring|uring/i.test(stderr))
        return t.skip(`io-uring unavailable: ${stderr.trim().split('\n')[0]}`);
      assert.ok(results, stderr);
      const point = results.points.find((p) => p.server === server);
      assert.ok(point, `a point of ${server}`);
      const perf = point.profiles!.perf!;
      const folded = parseFolded(await readFile(join(out, perf.folded), 'utf8'));
      const share = unresolvedShare(folded);
      t.diagnostic(
        `${server}: ${perf.samples} samples, ${(share.leafShare * 100).toFixed(1)}% end unresolved, ${(share.anyShare * 100).toFixed(1)}% hold an [unresolved] frame`,
      );
      assert.ok(share.leafShare <= MAX_UNRESOLVED_SHARE, JSON.stringify(share));
      assert.ok(![...folded.keys()].some((s) => s.includes('[unknown]')), 'runs of unknown frames are folded');
      if (server !== 'epoll-thread') return;
      // The thread-per-request server: the parent's clone3, each child's birth, work and exit.
      const stacks = [...folded.keys()];
      const weight = (re: RegExp) => stacks.filter((s) => re.test(s)).reduce((n, s) => n + folded.get(s)!, 0);
      assert.ok(weight(/;clone3;entry_SYSCALL_64_after_hwframe_\[k\];.*kernel_clone_\[k\]/) > 0, 'parent in clone3');
      assert.ok(weight(/;ret_from_fork_\[k\]/) > 0, 'children start in ret_from_fork');
      assert.ok(weight(/;start_thread;.*sendto_\[k\]/) > 0, 'children send the answer');
      assert.ok(weight(/__x64_sys_exit_\[k\]/) > 0, 'children exit');
      t.diagnostic(`epoll-thread flame graph: ${join(out, perf.svg)}${screenshot(join(out, perf.svg))}`);
    });
  }
});

describe('iobench run --profile offcpu: where the threads wait', { skip: offCpuMissing }, () => {
  const expectations: Record<string, RegExp[]> = {
    basic: [/__x64_sys_accept4_\[k\]/, /__x64_sys_recvfrom_\[k\]/],
    'epoll-thread': [/;clone3;.*\[new thread: waiting for its first run\]$/],
    epoll: [/__x64_sys_epoll_wait_\[k\]|__x64_sys_epoll_pwait_\[k\]/],
  };
  // One run, a point per server (one CLI and perf set-up, not three).
  let shared: ReturnType<typeof profiled> | undefined;
  for (const [server, patterns] of Object.entries(expectations)) {
    test(`${server}: an off-CPU flame graph in µs, with the waits of this I/O model`, async (t) => {
      shared ??= profiled(Object.keys(expectations), 'offcpu');
      const { out, results, stderr } = await shared;
      assert.ok(results, stderr);
      const point = results.points.find((p) => p.server === server);
      assert.ok(point, `a point of ${server}`);
      const offcpu = point.profiles!.offcpu!;
      assert.ok(offcpu.offCpuUs > 0 && offcpu.switches > 0, JSON.stringify(offcpu));
      assert.match(await readFile(join(out, offcpu.svg), 'utf8'), /µs off CPU/);
      const folded = parseFolded(await readFile(join(out, offcpu.folded), 'utf8'));
      for (const pattern of patterns) {
        const us = [...folded].filter(([s]) => pattern.test(s)).reduce((n, [, v]) => n + v, 0);
        t.diagnostic(`${server}: ${(us / 1e3).toFixed(1)} ms off CPU under ${pattern}`);
        assert.ok(us > 0, `${pattern} in ${offcpu.folded}`);
      }
    });
  }
});

/** A PNG of the SVG by headless Chromium, when it is installed: ` (screenshot: path)`. */
function screenshot(svgPath: string): string {
  if (requireTool('chromium')) return ' (no chromium: no screenshot)';
  const png = svgPath.replace(/\.svg$/, '.png');
  try {
    execFileSync(
      'chromium',
      [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        `--screenshot=${png}`,
        '--window-size=1200,900',
        `file://${svgPath}`,
      ],
      { stdio: 'ignore', timeout: 60_000 },
    );
    return ` (screenshot: ${png})`;
  } catch (error) {
    return ` (screenshot failed: ${(error as Error).message})`;
  }
}
