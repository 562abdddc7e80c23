import assert from 'node:assert/strict';
import { readdir, readFile, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { validatePluginOptions } from '@iobench/core/plugin';
import reporters, { renderCsv } from '../src/index.js';
import { buildResults } from './support/results-fixture.js';
import { removeOutDirs, runReporter, tempOutDir } from './support/run-reporter.js';

after(removeOutDirs);

test('the package default-exports its reporters, by name', () => {
  assert.deepEqual(
    reporters.map((r) => r.name),
    ['csv', 'markdown', 'html', 'plots', 'hlog'],
  );
  for (const r of reporters) {
    assert.equal(r.kind, 'reporter');
  }
});

test('reporter options have defaults and reject unknown or bad values with the option named', async () => {
  const plots = reporters.find((r) => r.name === 'plots')!;
  assert.deepEqual(await validatePluginOptions(plots, {}), {
    dir: 'plots',
    formats: ['svg', 'png'],
    scale: 2,
    width: 600,
    height: 340,
  });
  await assert.rejects(
    validatePluginOptions(plots, { formats: ['gif'] }),
    /reporter plugin "plots": option "formats\.0"/,
  );
  await assert.rejects(validatePluginOptions(plots, { colour: 'red' }), /reporter plugin "plots"/);
  const csv = reporters.find((r) => r.name === 'csv')!;
  assert.deepEqual(await validatePluginOptions(csv, {}), { file: 'results.csv', capacityFile: 'capacity.csv' });
});

test('file and directory options cannot leave the output directory: the option, expected and received are named', async () => {
  const pathOptions = { csv: 'file', markdown: 'file', html: 'file', plots: 'dir', hlog: 'dir' } as const;
  for (const [name, option] of Object.entries(pathOptions)) {
    const plugin = reporters.find((r) => r.name === name)!;
    for (const outside of ['../../etc/x', '/etc/x', 'a/../../x']) {
      await assert.rejects(
        validatePluginOptions(plugin, { [option]: outside }),
        new RegExp(
          `reporter plugin "${name}": option "${option}": expected a relative path inside the output directory.*received "${outside.replace(/\./g, '\\.')}"`,
        ),
      );
    }
    assert.equal((await validatePluginOptions(plugin, { [option]: 'sub/../inside' }))[option], 'sub/../inside');
  }
});

test('a report file is written through a new temporary file: a link planted at the old guessable name is not followed', async () => {
  const outDir = await tempOutDir();
  const victim = join(outDir, 'victim.txt');
  await writeFile(victim, 'not yours to overwrite');
  await symlink(victim, join(outDir, `results.csv.${process.pid}.tmp`));
  const results = buildResults();
  await runReporter('csv', results, {}, { outDir, json: true });
  assert.equal(await readFile(victim, 'utf8'), 'not yours to overwrite');
  assert.equal(await readFile(join(outDir, 'results.csv'), 'utf8'), renderCsv(results));
  assert.deepEqual((await readdir(outDir)).sort(), ['results.csv', `results.csv.${process.pid}.tmp`, 'victim.txt']);
});
