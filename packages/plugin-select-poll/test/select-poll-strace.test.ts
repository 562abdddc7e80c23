import assert from 'node:assert/strict';
import { test } from 'node:test';
import { straceServer, straceUnavailable } from '@iobench/core/testing';

const skip = straceUnavailable();

test('under strace, the select server waits in select (pselect6 on x86-64 glibc)', { skip }, async () => {
  const { counts, stats } = await straceServer(import.meta.resolve('@iobench/plugin-select-poll'), 'select', {}, 20);
  assert.equal(stats.requests, 20);
  assert.ok((counts.pselect6 ?? 0) + (counts.select ?? 0) >= 20, JSON.stringify(counts));
  assert.ok((counts.accept4 ?? 0) >= 20);
  assert.equal(counts.epoll_wait ?? 0, 0, 'no epoll_wait from the server loop');
});

test('under strace, the poll server waits in poll (or ppoll)', { skip }, async () => {
  const { counts, stats } = await straceServer(import.meta.resolve('@iobench/plugin-select-poll'), 'poll', {}, 20);
  assert.equal(stats.requests, 20);
  assert.ok((counts.poll ?? 0) + (counts.ppoll ?? 0) >= 20, JSON.stringify(counts));
  assert.ok((counts.accept4 ?? 0) >= 20);
  assert.equal((counts.pselect6 ?? 0) + (counts.select ?? 0), 0);
});
