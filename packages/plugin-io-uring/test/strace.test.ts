import assert from 'node:assert/strict';
import { test } from 'node:test';
import { straceServer, straceUnavailable } from '@iobench/core/testing';

const skip = straceUnavailable();

for (const options of [{}, { multishot: false }]) {
  test(`under strace, io-uring ${JSON.stringify(options)} does its I/O through io_uring_enter: no epoll_wait, accept4, recvfrom or sendto`, {
    skip,
  }, async () => {
    const { counts, stats } = await straceServer(
      import.meta.resolve('@iobench/plugin-io-uring'),
      'io-uring',
      options,
      20,
    );
    const all = JSON.stringify(counts);
    assert.equal(stats.requests, 20);
    assert.ok((counts.io_uring_enter ?? 0) >= 2, all);
    assert.equal(stats.syscalls?.io_uring_setup, 1, all);
    // Node's own event loop waits in epoll_pwait; epoll_wait would be a readiness loop in the server.
    assert.equal(counts.epoll_wait ?? 0, 0, all);
    for (const name of ['accept4', 'accept', 'recvfrom', 'sendto', 'select', 'pselect6', 'poll']) {
      assert.equal(counts[name] ?? 0, 0, `${name}: ${all}`);
    }
    // What strace saw is what the server's own counters report, plus the few rounds of the stop's
    // cancel-and-reap (the stats are read just before the stop).
    const counted = stats.syscalls?.io_uring_enter ?? 0;
    const traced = counts.io_uring_enter ?? 0;
    assert.ok(traced >= counted && traced - counted <= 5, `${JSON.stringify(stats.syscalls)} vs ${all}`);
  });
}
