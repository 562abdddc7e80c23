import assert from 'node:assert/strict';
import { test } from 'node:test';
import { getRequest, ipv6LoopbackUnavailable, rawRequest, startServerPlugin } from '@iobench/core/testing';
import { pollServer, selectServer } from '../src/index.js';

for (const plugin of [selectServer, pollServer]) {
  test(`${plugin.name} serves on IPv6 (::1)`, { skip: ipv6LoopbackUnavailable() ?? false }, async () => {
    const { handle, port } = await startServerPlugin(plugin, { host: '::1' });
    try {
      assert.match(handle.url, /^http:\/\/\[::1\]:\d+\/$/);
      const [response] = await rawRequest('::1', port, getRequest());
      assert.equal(response!.body.toString(), 'Hello, world!');
    } finally {
      await handle.stop();
    }
  });
}
