import assert from 'node:assert/strict';
import { test } from 'node:test';
import { histogramCount, type LoadRequest, summariseHistogram } from '@iobench/core';
import {
  chunkedServer,
  closeDelimitedServer,
  echoServer,
  helloServer,
  oneAtATimeServer,
  spyServer,
  startServer,
} from '@iobench/core/testing';
import { runUndici } from './run-helper.js';

const NO_ERRORS = { connect: 0, read: 0, write: 0, timeout: 0, reset: 0, status: 0, parse: 0, tls: 0 };

test('a request limit sends exactly that many requests, each counted once by client and server', async () => {
  const server = await helloServer();
  try {
    const result = await runUndici(server.url, { params: { connections: 4, requests: 2000, durationMs: 5000 } });
    assert.equal(result.requests, 2000);
    assert.equal(server.answered, 2000);
    assert.equal(histogramCount(result.latency), 2000);
    assert.deepEqual(result.errors, NO_ERRORS);
    assert.equal(result.perConnection?.length, 4);
    assert.equal(
      result.perConnection?.reduce((a, b) => a + b, 0),
      2000,
    );
    assert.equal(result.connectionsOpened, 4);
    assert.equal(histogramCount(result.connectLatency!), 4);
    assert.equal(
      result.bytes,
      2000 * 'HTTP/1.1 200 OK\r\nContent-Length: 13\r\nContent-Type: text/plain\r\n\r\nHello, world!'.length,
    );
  } finally {
    await server.close();
  }
});

test('a duration-bound run counts what the server answered, less what was in flight at the end', async () => {
  const server = await helloServer();
  try {
    const progress: number[] = [];
    const result = await runUndici(server.url, {
      params: { connections: 4, durationMs: 1200 },
      onProgress: (p) => progress.push(p.requests),
    });
    assert.ok(result.requests > 100, `expected > 100 requests, got ${result.requests}`);
    assert.ok(server.answered - result.requests >= 0 && server.answered - result.requests <= 4);
    assert.equal(histogramCount(result.latency), result.requests);
    assert.ok(result.durationMs >= 1190 && result.durationMs < 1500, `durationMs ${result.durationMs}`);
    assert.equal(
      result.perSecond?.reduce((n, s) => n + s.requests, 0),
      result.requests,
    );
    assert.deepEqual(
      result.latencyPerSecond?.map(histogramCount),
      result.perSecond?.map((s) => s.requests),
      'a latency histogram per second, holding that second’s completions',
    );
    assert.ok(progress.length >= 1, 'onProgress called about once a second');
    const p50 = summariseHistogram(result.latency).p50;
    assert.ok(p50 > 0 && p50 < 100_000, `p50 ${p50} us is plausible for loopback`);
  } finally {
    await server.close();
  }
});

test('pipelining keeps several requests in flight per connection', async () => {
  let inFlight = 0;
  let maxInFlight = 0;
  const server = await startServer((socket, s) => {
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    // Answer on the next turn of the loop, so that pipelined requests can pile up meanwhile.
    setImmediate(() => {
      inFlight--;
      s.answered++;
      socket.write('HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok');
    });
  });
  try {
    const result = await runUndici(server.url, {
      params: { connections: 1, pipelining: 8, requests: 800, durationMs: 5000 },
    });
    assert.equal(result.requests, 800);
    assert.equal(server.answered, 800);
    assert.deepEqual(result.errors, NO_ERRORS);
    assert.ok(maxInFlight > 1 && maxInFlight <= 8, `max in flight ${maxInFlight}`);
  } finally {
    await server.close();
  }
});

test('chunked and close-delimited (HTTP/1.0) responses count as successes', async () => {
  for (const start of [chunkedServer, closeDelimitedServer]) {
    const server = await start();
    try {
      const result = await runUndici(server.url, { params: { connections: 2, requests: 200, durationMs: 5000 } });
      assert.deepEqual(result.errors, NO_ERRORS, start.name);
      assert.equal(result.requests, 200, start.name);
      assert.equal(server.answered, 200, start.name);
    } finally {
      await server.close();
    }
  }
});

test('the close-delimited server costs one connection per request, and connectionsOpened says so', async () => {
  const server = await closeDelimitedServer();
  try {
    const result = await runUndici(server.url, { params: { connections: 2, requests: 50, durationMs: 5000 } });
    assert.equal(result.connectionsOpened, 50);
    assert.equal(server.accepted, 50);
    assert.deepEqual(result.perConnection, [25, 25]);
  } finally {
    await server.close();
  }
});

test('per-connection counts show starved connections on a one-connection-at-a-time keep-alive server', async () => {
  const server = await oneAtATimeServer();
  try {
    const result = await runUndici(server.url, { params: { connections: 4, durationMs: 800, timeoutMs: 5000 } });
    const counts = result.perConnection!;
    assert.equal(counts.length, 4);
    assert.equal(counts.filter((n) => n === 0).length, 3, `counts ${counts.join(',')}`);
    assert.ok(
      counts.some((n) => n > 50),
      `counts ${counts.join(',')}`,
    );
    assert.deepEqual(result.errors, NO_ERRORS, 'starvation is silent: no errors within the timeout');
  } finally {
    await server.close();
  }
});

test('an abort ends the run early and resolves with what was measured so far', async () => {
  const server = await helloServer();
  try {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 300);
    const result = await runUndici(server.url, { params: { durationMs: 10_000 }, signal: controller.signal });
    assert.ok(result.durationMs < 1000, `durationMs ${result.durationMs}`);
    assert.ok(result.requests > 0);
    assert.equal(histogramCount(result.latency), result.requests);
  } finally {
    await server.close();
  }
});

test('an already-aborted signal resolves at once with an empty result', async () => {
  const server = await helloServer();
  try {
    const controller = new AbortController();
    controller.abort();
    const result = await runUndici(server.url, { params: { durationMs: 10_000 }, signal: controller.signal });
    assert.equal(result.requests, 0);
    assert.equal(histogramCount(result.latency), 0);
  } finally {
    await server.close();
  }
});

test('the request of LoadTarget.requests: method, path, headers and body', async () => {
  const server = await spyServer();
  try {
    const result = await runUndici(`${server.url}ignored?x=1`, {
      params: { connections: 1, requests: 1, durationMs: 2000 },
      requests: [{ method: 'POST', path: '/submit?y=2', headers: [['x-test', 'yes']], body: Buffer.from('abc') }],
    });
    assert.equal(result.requests, 1);
    const head = server.firstRequest();
    assert.match(head, /^POST \/submit\?y=2 HTTP\/1\.1\r\n/);
    assert.match(head, /\r\nx-test: yes\r\n/i);
    assert.match(head, /\r\ncontent-length: 3\r\n/i);
    assert.ok(head.endsWith('\r\n\r\nabc'));
  } finally {
    await server.close();
  }
});

test('a request list is cycled per connection, in order, pipelined', async () => {
  const server = await echoServer();
  const list: LoadRequest[] = [
    { method: 'GET', path: '/a', headers: [] },
    { method: 'POST', path: '/b', headers: [['content-type', 'text/plain']], body: Buffer.from('b'.repeat(2000)) },
    { method: 'DELETE', path: '/c?n=1', headers: [] },
  ];
  try {
    for (const pipelining of [1, 3]) {
      server.requests.length = 0;
      const result = await runUndici(server.url, {
        params: { connections: 2, requests: 60, pipelining, durationMs: 5000 },
        requests: list,
      });
      assert.equal(result.requests, 60);
      const connections = new Set(server.requests.map((r) => r.connection));
      assert.equal(connections.size, 2);
      for (const connection of connections) {
        const seen = server.requests.filter((r) => r.connection === connection);
        assert.ok(seen.length >= 3, `connection ${connection} sent ${seen.length}`);
        seen.forEach((r, i) => {
          const expected = list[i % 3]!;
          assert.equal(`${r.method} ${r.url}`, `${expected.method} ${expected.path}`, `request ${i}`);
          assert.equal(r.body, expected.body ? Buffer.from(expected.body).toString() : '');
        });
      }
    }
  } finally {
    await server.close();
  }
});

test("with no requests given, a GET of the target URL's path and query", async () => {
  const server = await spyServer();
  try {
    await runUndici(`${server.url}a/b?c=d`, { params: { connections: 1, requests: 1, durationMs: 2000 } });
    assert.equal(server.firstRequest().split('\r\n')[0], 'GET /a/b?c=d HTTP/1.1');
  } finally {
    await server.close();
  }
});
