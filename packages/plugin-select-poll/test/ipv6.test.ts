import assert from 'node:assert/strict';
import { test } from 'node:test';
import { exchange, GET } from '../../server-kit/test/support/http-exchange.js';
import { startPlugin } from '../../server-kit/test/support/server-behaviour.js';
import { pollServer, selectServer } from '../src/index.js';

for (const plugin of [selectServer, pollServer]) {
  test(`${plugin.name} serves on IPv6 (::1)`, async () => {
    const server = await startPlugin(plugin, { host: '::1' });
    try {
      assert.match(server.url, /^http:\/\/\[::1\]:\d+\/$/);
      const result = await exchange(server.url, GET, { responses: 1 });
      assert.equal(result.responses[0]?.body, 'Hello, world!');
    } finally {
      await server.stop();
    }
  });
}
