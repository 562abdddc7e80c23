/**
 * Temp directories for tests that clean up after themselves: node --test runs each test file in a
 * process of its own, so whatever a file created is removed when that process exits — a failed
 * assertion included, which an `after` hook in every file would have to remember.
 */
import { rmSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const created: string[] = [];
let hooked = false;

/**
 * A fresh directory under the system temp dir named `<prefix>XXXXXX`, removed when the test
 * process exits, unless `keep` (for files a human is told to look at).
 */
export async function testTempDir(prefix = 'iobench-test-', options: { keep?: boolean } = {}): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  if (options.keep) return dir;
  created.push(dir);
  if (!hooked) {
    hooked = true;
    process.on('exit', () => {
      for (const d of created) rmSync(d, { recursive: true, force: true });
    });
  }
  return dir;
}
