import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { createWrkDir, removeStaleWrkDirs, wrkDirPath } from './wrk-dir.js';

test('removes only the wrk directories whose iobench process is gone, never following a symlink', async () => {
  const parent = await mkdtemp(join(tmpdir(), 'iobench-wrk-dir-test-'));
  try {
    const deadPid = spawnSync('true').pid!;
    const ours = wrkDirPath(parent);
    await createWrkDir(ours);
    const stale = join(parent, `iobench-wrk-${deadPid}-0a1b2c`);
    await mkdir(stale);
    const target = join(parent, 'not-wrk');
    await mkdir(target);
    const planted = join(parent, `iobench-wrk-${deadPid}-3d4e5f`);
    await symlink(target, planted);
    const other = join(parent, 'iobench-wrk-test-abc');
    await mkdir(other);

    assert.deepEqual(await removeStaleWrkDirs(parent), [stale]);
    assert.deepEqual([ours, target, planted, other].map(existsSync), [true, true, true, true]);
    await assert.rejects(createWrkDir(ours), { code: 'EEXIST' }, 'created exclusively');
  } finally {
    await rm(parent, { recursive: true, force: true });
  }
});
