import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { parseStraceSummary } from './strace-recorder.js';

test('parses the strace -c table, with and without an errors column, skipping the total', () => {
  const text = readFileSync(new URL('./fixtures/strace-summary.txt', import.meta.url), 'utf8');
  assert.deepEqual(parseStraceSummary(text), {
    epoll_pwait: { calls: 353, errors: 0, seconds: 0.004788 },
    statx: { calls: 177, errors: 0, seconds: 0.001805 },
  });
  const withErrors =
    ' 10.00    0.000100           1       100        40 accept4\n100.00    0.001000           1       140        40 total\n';
  assert.deepEqual(parseStraceSummary(withErrors), { accept4: { calls: 100, errors: 40, seconds: 0.0001 } });
});
