import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { z } from 'zod';
import { PluginOptionsError } from '../errors.js';
import { defineReporterPlugin, defineServerPlugin } from './contract.js';
import { validatePluginOptions } from './options.js';

/** A third-party server whose schema is a plain `z.object`, which drops unknown keys instead of refusing them. */
const looseServer = defineServerPlugin({
  name: 'loose',
  description: 'a server plugin declared with z.object',
  options: z.object({ greeting: z.string().default('hi'), port: z.number().default(0) }),
  start: () => Promise.reject(new Error('not started in these tests')),
});

describe('validatePluginOptions', () => {
  test('refuses a key that the plugin’s schema dropped, naming the plugin, the key and the known keys', async () => {
    await assert.rejects(validatePluginOptions(looseServer, { greting: 'hello', port: 8080 }), (err: unknown) => {
      assert.ok(err instanceof PluginOptionsError, String(err));
      assert.equal(err.exitCode, 2);
      assert.equal(err.plugin, 'loose');
      assert.equal(
        err.message,
        'server plugin "loose": option "greting" is not one of its options (did you mean "greeting"?) (known: greeting, port), received "hello"',
      );
      return true;
    });
  });

  test('keeps every key the schema knows, given or defaulted', async () => {
    assert.deepEqual(await validatePluginOptions(looseServer, { port: 8080 }), { greeting: 'hi', port: 8080 });
  });

  test('a schema that maps options to another shape is not taken for one that drops keys', async () => {
    const renaming = defineReporterPlugin({
      name: 'renaming',
      description: 'its schema turns `file` into `path`',
      options: z.strictObject({ file: z.string() }).transform(({ file }) => ({ path: `/tmp/${file}` })),
      create: () => ({}),
    });
    assert.deepEqual(await validatePluginOptions(renaming, { file: 'x' }), { path: '/tmp/x' });
  });
});
