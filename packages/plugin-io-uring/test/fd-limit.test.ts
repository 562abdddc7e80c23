import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fdLimitSkip, floodUnderFdLimit } from '@iobench/core/testing';

// An accept completion with -EMFILE: refuse one pending connection on the spare fd's room, and when
// none is pending wait for the backlog with a poll (re-arming the accept would fail again at once).
// A multishot accept takes RLIMIT_NOFILE when it is submitted, so lowering the limit of a running
// server does not reach it: that case starts the server under the limit (160 fds: ~40 for start-up).
for (const [options, flood] of [
  [{}, { startLimit: 160, connections: 200 }],
  [{ multishot: false, providedBuffers: false }, {}],
] as const) {
  test(`out of fds (-EMFILE accept completions), io-uring ${JSON.stringify(options)} refuses, counts each refused connection once, and keeps serving`, {
    skip: fdLimitSkip,
    timeout: 30_000,
  }, async () => {
    const outcome = await floodUnderFdLimit(
      import.meta.resolve('@iobench/plugin-io-uring'),
      'io-uring',
      options,
      flood,
    );
    const summary = JSON.stringify(outcome);
    assert.ok(outcome.served > 0 && outcome.refused > 0, `some served, some refused: ${summary}`);
    assert.equal(outcome.pending, 0, summary);
    assert.equal(outcome.stats.refused, outcome.refused, `stats().refused against what clients saw: ${summary}`);
    assert.equal(outcome.stats.errors.fdLimit, outcome.refused, summary);
    assert.ok(outcome.servesAfterwards, `serving again once fds are free: ${summary}`);
  });
}
