/**
 * Temp directories for tests that clean up after themselves: node --test runs each test file in a
 * process of its own, so whatever a file created is removed when that process exits — a failed
 * assertion included, which an `after` hook in every file would have to remember.
 */
import { rmSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const created: string[] = [];
let hooked = false;

/**
 * A fresh directory under the system temp dir named `<prefix>XXXXXX`, removed when the test
 * process exits. Files a human should look at afterwards go to `testOutputDir` instead.
 */
export async function testTempDir(prefix = 'iobench-test-'): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  created.push(dir);
  if (!hooked) {
    hooked = true;
    process.on('exit', () => {
      for (const d of created) rmSync(d, { recursive: true, force: true });
    });
  }
  return dir;
}

/**
 * Where a test puts files a human should look at (screenshots, a flame graph), kept after the run:
 * `IOBENCH_TEST_OUTPUT` (CI may upload it), else `iobench-test-output` under the system temp dir;
 * with `name`, an emptied subdirectory of it, so that each run replaces the last one's files
 * instead of adding a directory.
 */
export async function testOutputDir(name?: string): Promise<string> {
  const base = process.env.IOBENCH_TEST_OUTPUT ?? join(tmpdir(), 'iobench-test-output');
  const dir = name === undefined ? base : join(base, name);
  if (name !== undefined) await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  return dir;
}
