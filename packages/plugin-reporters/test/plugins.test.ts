import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BUILTIN_PLUGIN_MODULES, validatePluginOptions } from '@iobench/core';
import reporters from '../src/index.js';

test('the package default-exports the reporters core maps to it, by name', () => {
  assert.deepEqual(
    reporters.map((r) => r.name),
    ['csv', 'markdown', 'html', 'plots', 'hlog'],
  );
  for (const r of reporters) {
    assert.equal(r.kind, 'reporter');
    assert.equal(BUILTIN_PLUGIN_MODULES[r.name as keyof typeof BUILTIN_PLUGIN_MODULES], '@iobench/plugin-reporters');
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
  assert.deepEqual(await validatePluginOptions(csv, {}), { file: 'results.csv' });
});
