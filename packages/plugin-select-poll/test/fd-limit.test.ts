import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fdLimitSkip, floodUnderFdLimit } from '@iobench/core/testing';

// Issue 10: refusals under EMFILE were counted per failed accept, not per connection refused.
for (const name of ['select', 'poll']) {
  test(`out of fds (EMFILE on accept), ${name} refuses, counts each refused connection once, and keeps serving`, {
    skip: fdLimitSkip,
    timeout: 30_000,
  }, async () => {
    const outcome = await floodUnderFdLimit(import.meta.resolve('@iobench/plugin-select-poll'), name);
    const summary = JSON.stringify(outcome);
    assert.ok(outcome.served > 0 && outcome.refused > 0, `some served, some refused: ${summary}`);
    assert.equal(outcome.pending, 0, summary);
    assert.equal(outcome.stats.refused, outcome.refused, `stats().refused against what clients saw: ${summary}`);
    assert.equal(outcome.stats.errors.fdLimit, outcome.refused, summary);
    assert.ok(outcome.servesAfterwards, `serving again once fds are free: ${summary}`);
  });
}
