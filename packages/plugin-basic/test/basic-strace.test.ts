import assert from 'node:assert/strict';
import { test } from 'node:test';
import { straceServer, straceUnavailable } from '@iobench/core/testing';

test('under strace, the basic server blocks in accept4 and never waits for readiness', {
  skip: straceUnavailable(),
}, async () => {
  const { counts, stats } = await straceServer(import.meta.resolve('@iobench/plugin-basic'), 'basic', {}, 20);
  assert.equal(stats.requests, 20);
  assert.ok((counts.accept4 ?? 0) >= 20, JSON.stringify(counts));
  assert.equal(
    (counts.pselect6 ?? 0) + (counts.select ?? 0) + (counts.poll ?? 0) + (counts.epoll_wait ?? 0),
    0,
    JSON.stringify(counts),
  );
});
