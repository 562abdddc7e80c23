import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { testTempDir } from '@iobench/core/testing';
import { readStartAtFile } from './start-at.js';

test('--start-at-file waits for a missing or empty file to hold the instant', async () => {
  const file = join(await testTempDir('iobench-start-'), 'start-at');
  const at = new Date(Date.now() + 60_000).toISOString();
  setTimeout(() => void writeFile(file, ''), 100);
  setTimeout(() => void writeFile(file, `${at}\n`), 400);
  assert.equal((await readStartAtFile(file, 5000)).toISOString(), at);
});

test('--start-at-file: an instant that arrived too late, or none within the timeout, is an error naming the file', async () => {
  const dir = await testTempDir('iobench-start-');
  await writeFile(join(dir, 'late'), '2020-01-01T00:00:00Z');
  await assert.rejects(readStartAtFile(join(dir, 'late'), 1000), (error: Error & { suggestions: string[] }) => {
    assert.match(error.message, /--start-at-file \S+late: --start-at 2020-01-01T00:00:00Z is in the past/);
    assert.match(error.suggestions[0]!, /--start-margin/);
    return true;
  });
  await writeFile(join(dir, 'empty'), ' \n');
  await assert.rejects(
    readStartAtFile(join(dir, 'empty'), 300),
    /held no start instant after 300ms \(--start-at-timeout\)/,
  );
});
