/**
 * `@iobench/server-kit/testing`: checks of the `loops` option (SO_REUSEPORT, one loop per thread) that any server having it registers:
 * connections spread over the loops and are counted per loop, and loops pin to a pinned CPU list.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ServerPlugin } from '@iobench/core';
import { getRequest, rawRequest, startServerPlugin } from '@iobench/core/testing';
import * as sys from '@iobench/syscalls';

/** Registers the loops tests for `plugin` (with `options` added to every start). */
export function describeLoops(plugin: ServerPlugin<any>, options: Record<string, unknown> = {}): void {
  test(`${plugin.name} loops: 2 — 40 connections spread over both loops' SO_REUSEPORT sockets, counted per loop and summed`, async () => {
    const { handle, host, port } = await startServerPlugin(plugin, { ...options, loops: 2 });
    try {
      const results = await Promise.all(
        Array.from({ length: 40 }, () => rawRequest(host, port, getRequest() + getRequest(), { responses: 2 })),
      );
      assert.ok(results.every((r) => r.length === 2 && r[1]!.status === 200));
      const stats = await handle.stats();
      const extra = stats.extra ?? {};
      assert.equal(stats.accepted, 40);
      assert.equal(stats.requests, 80);
      assert.equal(extra.loops, 2);
      const perLoop = [extra['loop0.accepted']!, extra['loop1.accepted']!];
      assert.equal(perLoop[0] + perLoop[1], 40, JSON.stringify(extra));
      // The kernel hashes each connection's 4-tuple to a socket: 40 on one loop has odds 2^-39.
      assert.ok(perLoop[0] > 0 && perLoop[1] > 0, `both loops accepted: ${JSON.stringify(extra)}`);
      assert.equal(extra['loop0.requests']! + extra['loop1.requests']!, 80);
    } finally {
      await handle.stop();
    }
  });

  test(`${plugin.name} loops: 3 in a process pinned to one CPU — every loop thread takes that CPU`, async (t) => {
    const allowed = sys.schedGetaffinity();
    if (allowed.length < 2) return t.skip('this process runs on one CPU only: pinning would not narrow it');
    const cpu = allowed.at(-1)!;
    // Pinning this (main) thread narrows what the server's threads inherit, as taskset on the host does.
    sys.schedSetaffinity([cpu]);
    try {
      const { handle, host, port } = await startServerPlugin(plugin, { ...options, loops: 3 });
      try {
        const extra = (await handle.stats()).extra ?? {};
        assert.deepEqual([extra['loop0.cpu'], extra['loop1.cpu'], extra['loop2.cpu']], [cpu, cpu, cpu]);
        assert.equal((await rawRequest(host, port, getRequest()))[0]?.status, 200);
      } finally {
        await handle.stop();
      }
    } finally {
      sys.schedSetaffinity(allowed);
    }
  });
}
