import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fdLimitSkip, floodUnderFdLimit } from '@iobench/core/testing';

const PKG = import.meta.resolve('@iobench/plugin-epoll-pool');

// Issue 10: under EMFILE epoll-pool counted 447 refusals where clients saw 209 (the epoll server 319
// for 173, test/epoll-fd-limit.test.ts of @iobench/plugin-epoll). One refusal per connection actually refused.
for (const [name, options] of [['epoll-pool', { threads: 2 }]] as const) {
  test(`out of fds (EMFILE on accept), ${name} ${JSON.stringify(options)} refuses, counts each refused connection once, and keeps serving`, {
    skip: fdLimitSkip,
    timeout: 30_000,
  }, async () => {
    const outcome = await floodUnderFdLimit(PKG, name, options);
    const summary = JSON.stringify(outcome);
    assert.ok(outcome.served > 0 && outcome.refused > 0, `some served, some refused: ${summary}`);
    assert.equal(outcome.pending, 0, summary);
    assert.equal(outcome.stats.refused, outcome.refused, `stats().refused against what clients saw: ${summary}`);
    assert.equal(outcome.stats.errors.fdLimit, outcome.refused, summary);
    assert.ok(outcome.servesAfterwards, `serving again once fds are free: ${summary}`);
  });
}
