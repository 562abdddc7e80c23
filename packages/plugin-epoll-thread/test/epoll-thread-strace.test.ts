import assert from 'node:assert/strict';
import { test } from 'node:test';
import { straceServer, straceUnavailable } from '@iobench/core/testing';

const skip = straceUnavailable();

test('under strace, epoll-thread creates one thread per request (clone3), waits in epoll_wait and accepts with accept4', {
  skip,
  timeout: 60_000,
}, async () => {
  const { counts, stats } = await straceServer(
    import.meta.resolve('@iobench/plugin-epoll-thread'),
    'epoll-thread',
    { work: 'wait:100' },
    20,
  );
  assert.equal(stats.requests, 20);
  // glibc 2.34+ creates threads with clone3, older ones with clone. Node's own start-up threads
  // (libuv, V8 platform workers) come on top, so at least one per request.
  const clones = (counts.clone3 ?? 0) + (counts.clone ?? 0);
  assert.ok(clones >= 20, JSON.stringify(counts));
  // The threads' handler wait and their sends.
  assert.ok((counts.ppoll ?? 0) >= 20, JSON.stringify(counts));
  assert.ok((counts.sendto ?? 0) >= 20, JSON.stringify(counts));
  // Node's own event loop waits in epoll_pwait; the server's rounds are epoll_wait(epfd, ..., 0).
  assert.ok((counts.epoll_wait ?? 0) >= 1, JSON.stringify(counts));
  assert.ok((counts.accept4 ?? 0) >= 20, JSON.stringify(counts));
  assert.equal(counts.select ?? counts.pselect6 ?? 0, 0);
  // The syscall layer's own counters: exactly one pthread_create per request.
  assert.equal(stats.syscalls?.clone, 20, JSON.stringify(stats.syscalls));
  assert.equal(stats.extra?.threadsCreated, 20, JSON.stringify(stats.extra));
});
