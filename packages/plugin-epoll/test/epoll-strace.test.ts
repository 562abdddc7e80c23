import assert from 'node:assert/strict';
import { test } from 'node:test';
import { straceServer, straceUnavailable } from '@iobench/core/testing';

const skip = straceUnavailable();

for (const edgeTriggered of [false, true]) {
  test(`under strace, the epoll server (edgeTriggered: ${edgeTriggered}) waits in epoll_wait and accepts with accept4`, {
    skip,
  }, async () => {
    const { counts, stats } = await straceServer(
      import.meta.resolve('@iobench/plugin-epoll'),
      'epoll',
      { edgeTriggered },
      20,
    );
    assert.equal(stats.requests, 20);
    // Node's own event loop uses epoll_pwait; the server's loop thread is the one calling epoll_wait.
    assert.ok((counts.epoll_wait ?? 0) >= 20, JSON.stringify(counts));
    assert.ok((counts.accept4 ?? 0) >= 20, JSON.stringify(counts));
    assert.equal(counts.select ?? counts.pselect6 ?? 0, 0);
  });
}
