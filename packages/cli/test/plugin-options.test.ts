// test-lane: unit (plugin options are validated; nothing is measured).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { createRegistry } from '@iobench/builtins';
import { validatePluginOptions } from '@iobench/core';
import { tempDir } from './helpers.js';

const builtins = await createRegistry().available();
const SCHEMA_SCRIPT = new URL('../../../scripts/write-config-schema.mjs', import.meta.url).pathname;

describe('built-in plugin options', () => {
  for (const { plugin } of builtins) {
    test(`${plugin.kind} plugin "${plugin.name}" refuses an option it does not have`, async () => {
      await assert.rejects(
        validatePluginOptions(plugin, { notAnOption: 1 }),
        new RegExp(`${plugin.kind} plugin "${plugin.name}": option "notAnOption" is not one of its options`),
      );
    });
  }
});

describe('the config JSON Schema (scripts/write-config-schema.mjs)', () => {
  test('holds every built-in plugin’s options under serverOptions / loadOptions / reporterOptions', async () => {
    const file = join(await tempDir(), 'iobench.schema.json');
    execFileSync(process.execPath, [SCHEMA_SCRIPT, file]);
    const schema = JSON.parse(readFileSync(file, 'utf8'));
    for (const { plugin } of builtins) {
      const options = schema.properties[`${plugin.kind}Options`].properties?.[plugin.name];
      assert.ok(options, `${plugin.kind}Options.${plugin.name} is missing`);
      assert.equal(options.additionalProperties, false, `${plugin.name}: unknown keys are errors in editors too`);
    }
    const epoll = schema.properties.serverOptions.properties.epoll.properties;
    assert.equal(epoll.edgeTriggered.type, 'boolean');
    assert.equal(epoll.bodySize.default, 13);
    assert.match(epoll.bodySize.description, /response body size in bytes/);
    assert.equal(schema.properties.loadOptions.properties.wrk.properties.binary.type, 'string');
    assert.equal(typeof schema.properties.serverOptions.additionalProperties, 'object', 'third-party names stay open');
  });
});
