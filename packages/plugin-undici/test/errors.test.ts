import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ERROR_CLASSES, type ErrorCounts, histogramCount } from '@iobench/core';
import { helloServer, refusedUrl, resettingServer, silentServer, startServer } from '@iobench/core/testing';
import { runUndici } from './run-helper.js';

/** Error classes with a non-zero count. */
function nonZero(errors: ErrorCounts): string[] {
  return ERROR_CLASSES.filter((c) => errors[c] > 0);
}

test('connection refused counts as connect errors, and the run still ends on time', async () => {
  const url = await refusedUrl();
  const result = await runUndici(url, { params: { connections: 2, durationMs: 300 } });
  assert.deepEqual(nonZero(result.errors), ['connect']);
  assert.ok(result.errors.connect >= 2);
  assert.equal(result.requests, 0);
  assert.equal(result.connectionsOpened, 0);
  assert.deepEqual(result.perConnection, [0, 0]);
});

test('a 500 response is a completed request and a status error', async () => {
  const server = await helloServer(500);
  try {
    const result = await runUndici(server.url, { params: { connections: 2, requests: 100, durationMs: 5000 } });
    assert.equal(result.requests, 100);
    assert.equal(histogramCount(result.latency), 100);
    assert.deepEqual(nonZero(result.errors), ['status']);
    assert.equal(result.errors.status, 100);
    assert.equal(
      result.perSecond?.reduce((n, s) => n + s.errors, 0),
      100,
    );
  } finally {
    await server.close();
  }
});

test('a server that never answers produces timeouts', async () => {
  const server = await silentServer();
  try {
    const result = await runUndici(server.url, { params: { connections: 2, durationMs: 900, timeoutMs: 200 } });
    assert.deepEqual(nonZero(result.errors), ['timeout']);
    assert.ok(result.errors.timeout >= 2, `timeouts ${result.errors.timeout}`);
    assert.equal(result.requests, 0);
  } finally {
    await server.close();
  }
});

test('a server that resets connections produces reset errors', async () => {
  const server = await resettingServer();
  try {
    const result = await runUndici(server.url, { params: { connections: 2, durationMs: 300 } });
    assert.deepEqual(nonZero(result.errors), ['reset']);
    assert.equal(result.requests, 0);
  } finally {
    await server.close();
  }
});

test('a server that closes without answering produces reset errors', async () => {
  const server = await startServer((socket) => socket.end());
  try {
    const result = await runUndici(server.url, { params: { connections: 2, durationMs: 300 } });
    assert.deepEqual(nonZero(result.errors), ['reset']);
  } finally {
    await server.close();
  }
});

test('a response that is not HTTP is a parse error', async () => {
  const server = await startServer((socket) => socket.write('SSH-2.0-OpenSSH_9.6\r\n\r\n'));
  try {
    const result = await runUndici(server.url, { params: { connections: 1, durationMs: 300 } });
    assert.deepEqual(nonZero(result.errors), ['parse']);
    assert.equal(result.requests, 0);
  } finally {
    await server.close();
  }
});

test('a header undici refuses to send fails the run with a clear error instead of spinning', async () => {
  const server = await helloServer();
  try {
    // A valid header line, refused by undici (it manages Transfer-Encoding itself).
    await assert.rejects(
      runUndici(server.url, {
        params: { connections: 2, durationMs: 2000 },
        requests: [{ method: 'GET', path: '/', headers: [['transfer-encoding', 'chunked']] }],
      }),
      (err: Error & { code?: string }) =>
        err.code === 'IOBENCH_PLUGIN_OPTIONS_INVALID' && /transfer-encoding/i.test(err.message),
    );
    assert.equal(server.answered, 0);
  } finally {
    await server.close();
  }
});
