import assert from 'node:assert/strict';
import { once } from 'node:events';
import net from 'node:net';
import { test } from 'node:test';
import { exchange, GET } from '../../server-kit/test/support/http-exchange.js';
import { describeServerBehaviour, startPlugin } from '../../server-kit/test/support/server-behaviour.js';
import { basicServer } from '../src/index.js';

// With keep-alive on, basic passes the same behaviour tests as the other servers, minus concurrency.
describeServerBehaviour(basicServer, { keepAlive: true }, { iterative: true });

test('basic by default answers one request per connection, then closes (like the seed)', async () => {
  const server = await startPlugin(basicServer);
  try {
    const result = await exchange(server.url, GET + GET);
    assert.equal(result.responses.length, 1);
    assert.equal(result.responses[0]?.headers.connection, 'close');
    assert.equal(result.closed, true);
  } finally {
    await server.stop();
  }
});

test('basic with keepAlive starves a second client until the first one closes', async () => {
  const server = await startPlugin(basicServer, { keepAlive: true });
  const { port } = new URL(server.url);
  const holder = net.connect(Number(port), '127.0.0.1');
  try {
    holder.write(GET);
    await once(holder, 'data');
    const waiting = exchange(server.url, GET, { responses: 1, timeoutMs: 5000 });
    const early = await Promise.race([waiting, new Promise((resolve) => setTimeout(() => resolve('starved'), 300))]);
    assert.equal(early, 'starved', 'the second client is not served while the first keeps its connection');
    holder.end();
    const late = await waiting;
    assert.equal(late.responses[0]?.status, 200, 'served once the first client left');
  } finally {
    holder.destroy();
    await server.stop();
  }
});
