import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ConfigError } from '../errors.js';
import { withCommonOptions } from './common-options.js';
import { defineServerPlugin } from './contract.js';

const schema = { '~standard': { version: 1, vendor: 'test', validate: (value: unknown) => ({ value }) } } as const;
const start = async () => ({
  url: '',
  stop: async () => {},
  stats: () => ({ accepted: 0, refused: 0, requests: 0, errors: {} }),
});

test('common options are set over the configured ones on a server that declares them', () => {
  const plugin = defineServerPlugin<{ host: string; bodySize: number; x: number }>({
    name: 'declares',
    description: 'd',
    options: schema as never,
    commonOptions: ['host', 'bodySize'],
    start,
  });
  assert.deepEqual(
    withCommonOptions(plugin, { bodySize: 1, x: 2 }, [{ option: 'bodySize', value: 64, setting: '--body-size' }]),
    { bodySize: 64, x: 2 },
  );
});

test('a common option on a server that does not declare it is a ConfigError naming the setting', () => {
  const plugin = defineServerPlugin({ name: 'bare', description: 'd', options: schema, start });
  assert.throws(
    () => withCommonOptions(plugin, {}, [{ option: 'host', value: 'fe80::1%iob0', setting: '--netns' }]),
    (err: unknown) =>
      err instanceof ConfigError &&
      err.exitCode === 2 &&
      /--netns sets the common server option "host" \("fe80::1%iob0"\), which server "bare" does not declare \(its commonOptions: none\)/.test(
        err.message,
      ),
  );
});
