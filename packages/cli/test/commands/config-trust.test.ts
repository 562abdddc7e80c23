// test-lane: unit (config files are refused or trusted; nothing is measured).
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { chmod, chown, mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { iobench, tempDir } from '../helpers.js';

const made: string[] = [];
after(async () => {
  for (const dir of made) await rm(dir, { recursive: true, force: true });
});

async function scratch(): Promise<string> {
  const dir = await tempDir();
  made.push(dir);
  return dir;
}

/** Module text that leaves `marker` behind when imported, and exports `exported`. */
function marking(marker: string, exported = '{}'): string {
  return `import { writeFileSync } from 'node:fs';\nwriteFileSync(${JSON.stringify(marker)}, 'ran');\nexport default ${exported};\n`;
}

describe('config and plugins from outside the project are never run', () => {
  test('iobench.config.mjs above the project root is not run (the issue: /tmp/x/iobench.config.mjs)', async () => {
    const x = await scratch();
    const marker = join(x, 'config-ran');
    await writeFile(join(x, 'iobench.config.mjs'), marking(marker));
    await mkdir(join(x, 'proj'));
    await writeFile(join(x, 'proj', 'package.json'), '{"name":"proj"}');
    const r = await iobench(['list', '--kind', 'reporter'], { cwd: join(x, 'proj') });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(existsSync(marker), false, 'the ancestor iobench.config.mjs ran');
  });

  test('a plugin named by an .iobenchrc above the project root is not run', async () => {
    const x = await scratch();
    const marker = join(x, 'plugin-ran');
    await writeFile(join(x, 'evil.mjs'), marking(marker));
    await writeFile(join(x, '.iobenchrc'), 'plugins: [./evil.mjs]\n');
    await mkdir(join(x, 'proj'));
    await writeFile(join(x, 'proj', 'package.json'), '{"name":"proj"}');
    const r = await iobench(['list', '--kind', 'reporter'], { cwd: join(x, 'proj') });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(existsSync(marker), false, 'the plugin named by the ancestor .iobenchrc ran');
  });

  test('.config/config.js in the working directory (a cosmiconfig "meta config") is not run', async () => {
    const dir = await scratch();
    const marker = join(dir, 'meta-ran');
    await mkdir(join(dir, '.config'));
    await writeFile(join(dir, '.config', 'config.js'), marking(marker));
    const r = await iobench(['list', '--kind', 'reporter'], { cwd: dir });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(existsSync(marker), false, '.config/config.js ran');
  });

  test('a plugin package in node_modules above the project root is not found by name', async () => {
    const x = await scratch();
    const marker = join(x, 'package-ran');
    const pkg = join(x, 'node_modules', 'iobench-plugin-planted');
    await mkdir(pkg, { recursive: true });
    await writeFile(join(pkg, 'package.json'), '{"name":"iobench-plugin-planted","main":"index.mjs"}');
    await writeFile(join(pkg, 'index.mjs'), marking(marker));
    await mkdir(join(x, 'proj'));
    await writeFile(join(x, 'proj', 'package.json'), '{"name":"proj"}');
    const r = await iobench(['serve', '--server', 'planted'], { cwd: join(x, 'proj') });
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /unknown server plugin "planted"/);
    assert.equal(existsSync(marker), false, 'the package above the project ran');
  });
});

describe('config in a world-writable directory of another user', {
  skip: process.getuid?.() === 0 ? false : 'needs root to chown the directory to another user',
}, () => {
  test('is skipped with a warning that says why; --config reads it on purpose', async () => {
    const base = await scratch();
    const shared = join(base, 'shared');
    const marker = join(base, 'config-ran');
    await mkdir(shared);
    await writeFile(join(shared, 'iobench.config.mjs'), marking(marker, "{ reporter: ['json'] }"));
    await chown(shared, 65534, 65534);
    await chmod(shared, 0o777);

    const r = await iobench(['list', '--kind', 'reporter'], { cwd: shared });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(existsSync(marker), false, 'the planted config ran');
    assert.match(
      r.stderr,
      new RegExp(
        `warning: ignored config file ${join(shared, 'iobench.config.mjs')}: ${shared} is writable by every user and owned by uid 65534`,
      ),
    );
    assert.match(r.stderr, /--config/);

    const explicit = await iobench(['list', '--kind', 'reporter', '--config', join(shared, 'iobench.config.mjs')], {
      cwd: shared,
    });
    assert.equal(explicit.code, 0, explicit.stderr);
    assert.equal(existsSync(marker), true, '--config reads the file it names');
    assert.doesNotMatch(explicit.stderr, /ignored/);
  });
});
