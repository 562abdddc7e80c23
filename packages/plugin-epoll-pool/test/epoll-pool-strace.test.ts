import assert from 'node:assert/strict';
import { test } from 'node:test';
import { straceServer, straceUnavailable } from '@iobench/core/testing';

const skip = straceUnavailable();

test('under strace, epoll-pool runs its rounds in epoll_wait, accepts with accept4, and hands work to pool threads', {
  skip,
  timeout: 60_000,
}, async () => {
  // Two pool threads: under `strace -f` every thread's start-up is traced too.
  const { counts, stats } = await straceServer(
    import.meta.resolve('@iobench/plugin-epoll-pool'),
    'epoll-pool',
    { threads: 2, work: 'wait:100' },
    20,
  );
  assert.equal(stats.requests, 20);
  // Node's own event loop waits in epoll_pwait; the server's rounds are epoll_wait(epfd, ..., 0).
  assert.ok((counts.epoll_wait ?? 0) >= 1, JSON.stringify(counts));
  assert.ok((counts.accept4 ?? 0) >= 20, JSON.stringify(counts));
  // The hand-off to the pool threads and back: futex wake-ups (Atomics.wait / notify).
  assert.ok((counts.futex ?? 0) >= 20, JSON.stringify(counts));
  assert.equal(counts.select ?? counts.pselect6 ?? 0, 0);
  // The syscall layer's own counters agree that the loop, not the pool, did the socket I/O.
  assert.ok((stats.syscalls?.epoll_wait ?? 0) >= 1, JSON.stringify(stats.syscalls));
  assert.equal(stats.extra?.poolRequests, 20);
});
