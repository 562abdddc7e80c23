import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import net from 'node:net';
import { test } from 'node:test';
import { requireTool } from '@iobench/core/testing';
import { startChildServer } from '../../server-kit/test/support/child-server.js';
import { exchange, GET } from '../../server-kit/test/support/http-exchange.js';

const skip = requireTool('prlimit');

test('out of fds (EMFILE on accept), the epoll server refuses and counts connections and keeps serving', {
  skip,
}, async () => {
  const server = await startChildServer([], '@iobench/plugin-epoll-pool', 'epoll');
  // Lower the running server's fd limit to leave room for a couple of dozen connections only (module
  // loading at startup needs more, so the limit comes after).
  // (Node keeps one fd far above the rest; only the dense low range matters for the next accept.)
  const highestFd = Math.max(
    ...readdirSync(`/proc/${server.pid}/fd`)
      .map(Number)
      .filter((fd) => fd < 200),
  );
  spawnSync('prlimit', ['--pid', String(server.pid), `--nofile=${highestFd + 20}`]);
  const { port } = new URL(server.url);
  const sockets: net.Socket[] = [];
  try {
    const outcomes = Array.from({ length: 60 }, () => {
      const s = net.connect(Number(port), '127.0.0.1');
      sockets.push(s);
      return new Promise<'held' | 'refused'>((resolve) => {
        s.on('error', () => resolve('refused'));
        s.on('close', () => resolve('refused'));
        s.on('connect', () => setTimeout(() => resolve('held'), 500));
      });
    });
    const results = await Promise.all(outcomes);
    const refused = results.filter((r) => r === 'refused').length;
    assert.ok(refused > 0, 'some connections were refused');
    for (const s of sockets) s.destroy();
    await new Promise((resolve) => setTimeout(resolve, 200));
    const after = await exchange(server.url, GET, { responses: 1 });
    assert.equal(after.responses[0]?.status, 200, 'serving again once fds are free');
  } finally {
    for (const s of sockets) s.destroy();
    const stats = await server.stop();
    assert.ok(stats.refused > 0 && stats.errors.fdLimit === stats.refused, JSON.stringify(stats));
  }
});
