import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { chmod, chown, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { type LoadConfigOptions, loadConfig as loadWith } from '@iobench/engine/config';

const loadConfig = (options: Omit<LoadConfigOptions, 'defaults'>) =>
  loadWith({ ...options, defaults: { server: ['server-a'], load: 'load-a' } });

const NOBODY = 65534;
const isRoot = process.getuid?.() === 0;
const made: string[] = [];

after(async () => {
  for (const dir of made) await rm(dir, { recursive: true, force: true });
});

/** A temp directory tree: `files` maps relative paths to contents (directories are created). */
async function tree(files: Record<string, string>): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), 'iobench-search-'));
  made.push(root);
  for (const [path, text] of Object.entries(files)) {
    await mkdir(join(root, path, '..'), { recursive: true });
    await writeFile(join(root, path), text);
  }
  return root;
}

/** A JavaScript config that leaves `marker` behind if anything ever runs it. */
function configThatMarks(marker: string): string {
  return `import { writeFileSync } from 'node:fs';\nwriteFileSync(${JSON.stringify(marker)}, 'ran');\nexport default { load: 'planted' };\n`;
}

describe('config search stops at the project root', () => {
  test('a config above the directory holding package.json is neither read nor run', async () => {
    const root = await tree({ 'proj/package.json': '{"name":"proj"}' });
    const marker = join(root, 'ran');
    await writeFile(join(root, 'iobench.config.mjs'), configThatMarks(marker));
    const loaded = await loadConfig({ cwd: join(root, 'proj'), env: {} });
    assert.equal(loaded.filePath, undefined);
    assert.deepEqual(loaded.config.load, ['load-a']);
    assert.equal(existsSync(marker), false, 'the ancestor config was run');
  });

  test('a .git directory marks the project root too', async () => {
    const root = await tree({ 'proj/.git/HEAD': 'ref: refs/heads/main\n', '.iobenchrc': 'load: planted\n' });
    const loaded = await loadConfig({ cwd: join(root, 'proj'), env: {} });
    assert.equal(loaded.filePath, undefined);
  });

  test('a config between the working directory and the project root is found', async () => {
    const root = await tree({ 'package.json': '{"name":"proj"}', '.iobenchrc': 'load: wrk\n', 'sub/dir/x': '' });
    const loaded = await loadConfig({ cwd: join(root, 'sub', 'dir'), env: {} });
    assert.equal(loaded.filePath, join(root, '.iobenchrc'));
    assert.deepEqual(loaded.config.load, ['wrk']);
  });

  test('outside any project only the working directory is searched', async () => {
    const root = await tree({ '.iobenchrc': 'load: planted\n', 'work/x': '' });
    assert.equal((await loadConfig({ cwd: join(root, 'work'), env: {} })).filePath, undefined);
    assert.equal((await loadConfig({ cwd: root, env: {} })).filePath, join(root, '.iobenchrc'));
  });
});

describe('config in directories other users can write', { skip: isRoot ? false : 'needs root to chown' }, () => {
  test('a world-writable directory owned by another user is skipped, and the skipped file reported', async () => {
    const root = await tree({});
    const shared = join(root, 'shared');
    const marker = join(root, 'ran');
    await mkdir(shared);
    await writeFile(join(shared, 'iobench.config.mjs'), configThatMarks(marker));
    await chown(shared, NOBODY, NOBODY);
    await chmod(shared, 0o777);
    const loaded = await loadConfig({ cwd: shared, env: {} });
    assert.equal(loaded.filePath, undefined);
    assert.equal(existsSync(marker), false, 'the planted config was run');
    assert.equal(loaded.ignored.length, 1);
    assert.equal(loaded.ignored[0]?.filePath, join(shared, 'iobench.config.mjs'));
    assert.match(loaded.ignored[0]?.reason ?? '', /writable by every user and owned by uid 65534/);
  });

  test('in a world-writable directory of our own (like /tmp), a file another user owns is skipped', async () => {
    const root = await tree({ 'sticky/.iobenchrc': 'load: planted\n' });
    const sticky = join(root, 'sticky');
    await chmod(sticky, 0o1777);
    await chown(join(sticky, '.iobenchrc'), NOBODY, NOBODY);
    const loaded = await loadConfig({ cwd: sticky, env: {} });
    assert.deepEqual(loaded.config.load, ['load-a']);
    assert.match(loaded.ignored[0]?.reason ?? '', /owned by uid 65534/);
  });

  test('an explicit config path is read from anywhere', async () => {
    const root = await tree({});
    const shared = join(root, 'shared');
    const marker = join(root, 'ran');
    await mkdir(shared);
    await writeFile(join(shared, 'iobench.config.mjs'), configThatMarks(marker));
    await chown(shared, NOBODY, NOBODY);
    await chmod(shared, 0o777);
    const loaded = await loadConfig({ configPath: join(shared, 'iobench.config.mjs'), env: {} });
    assert.deepEqual(loaded.config.load, ['planted']);
    assert.equal(existsSync(marker), true);
  });
});
