import assert from 'node:assert/strict';
import { test } from 'node:test';
import { helloServer, startServer } from '@iobench/core/testing';
import { runUndici } from './run-helper.js';

test('a generator sharing its thread with a fast server is flagged as generator-bound', async () => {
  // The server runs on this test's event loop, so the loop is busy all the time.
  const server = await helloServer();
  try {
    const result = await runUndici(server.url, { params: { connections: 16, durationMs: 800 } });
    assert.equal(result.generatorBound, true, JSON.stringify(result.extra));
    assert.ok(result.extra!.eventLoopUtilization! >= 0.9);
    for (const key of ['cpuUs', 'eventLoopDelayP99Us', 'eventLoopDelayMaxUs', 'cpuCoresPerThread']) {
      assert.equal(typeof result.extra![key], 'number', key);
    }
  } finally {
    await server.close();
  }
});

test('a generator waiting on a slow server is not generator-bound', async () => {
  const server = await startServer((socket, s) => {
    setTimeout(() => {
      s.answered++;
      socket.write('HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok');
    }, 20);
  });
  try {
    // Best of three: on a shared machine another process can hold this one off the CPU long enough
    // for its timers to run late, which rightly counts as generator-bound.
    const flagged: unknown[] = [];
    for (let attempt = 0; attempt < 3; attempt++) {
      const result = await runUndici(server.url, { params: { connections: 2, durationMs: 600 } });
      assert.ok(result.requests > 0);
      if (result.generatorBound === false) return;
      flagged.push(result.extra);
    }
    assert.fail(`flagged generator-bound against a 20 ms server every time: ${JSON.stringify(flagged)}`);
  } finally {
    await server.close();
  }
});
