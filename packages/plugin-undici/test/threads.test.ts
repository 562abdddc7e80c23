import assert from 'node:assert/strict';
import { test } from 'node:test';
import { histogramCount, type LoadProgress } from '@iobench/core';
import { helloServer, oneAtATimeServer } from '@iobench/core/testing';
import { runUndici } from './run-helper.js';

test('threads=2 splits the connections over two workers and merges their results exactly', async () => {
  const server = await helloServer();
  try {
    const result = await runUndici(server.url, {
      params: { threads: 2, connections: 4, requests: 3000, durationMs: 10_000 },
    });
    assert.equal(result.requests, 3000);
    assert.equal(server.answered, 3000);
    assert.equal(histogramCount(result.latency), 3000);
    assert.equal(result.perConnection?.length, 4);
    assert.equal(
      result.perConnection?.reduce((a, b) => a + b, 0),
      3000,
    );
    assert.equal(result.connectionsOpened, 4);
    assert.equal(histogramCount(result.connectLatency!), 4);
    assert.equal(result.extra?.threads, 2);
  } finally {
    await server.close();
  }
});

test('threads=2 on a duration: histogram count equals requests, progress sums both threads', async () => {
  const server = await helloServer();
  try {
    let lastProgress = 0;
    let recent: LoadProgress['recent'];
    const result = await runUndici(server.url, {
      params: { threads: 2, connections: 4, durationMs: 1300 },
      onProgress: (p) => {
        lastProgress = p.requests;
        recent = p.recent;
      },
    });
    assert.ok(recent && recent.requests > 0 && recent.p50Us <= recent.p99Us, `live latency: ${JSON.stringify(recent)}`);
    assert.ok(result.requests > 100);
    assert.equal(histogramCount(result.latency), result.requests);
    assert.ok(
      lastProgress > 0 && lastProgress <= result.requests,
      `progress ${lastProgress}, total ${result.requests}`,
    );
  } finally {
    await server.close();
  }
});

test('threads=2: starved connections still show in the concatenated per-connection counts', async () => {
  const server = await oneAtATimeServer();
  try {
    const result = await runUndici(server.url, {
      params: { threads: 2, connections: 4, durationMs: 800, timeoutMs: 5000 },
    });
    assert.equal(result.perConnection?.filter((n) => n === 0).length, 3, `counts ${result.perConnection}`);
  } finally {
    await server.close();
  }
});

test('threads=2 abort: both workers stop and report what they measured', async () => {
  const server = await helloServer();
  try {
    const controller = new AbortController();
    const started = Date.now();
    // Abort once load is flowing (worker start-up time varies a lot on a busy machine).
    const result = await runUndici(server.url, {
      params: { threads: 2, connections: 2, durationMs: 20_000 },
      signal: controller.signal,
      onProgress: (p) => p.requests > 0 && controller.abort(),
    });
    assert.ok(Date.now() - started < 10_000, 'ended long before the 20 s duration');
    assert.ok(result.requests > 0);
    assert.ok(result.durationMs < 10_000);
    assert.equal(histogramCount(result.latency), result.requests);
  } finally {
    await server.close();
  }
});

test('threads=2 aborted before the workers start: an empty result, no rejection', async () => {
  const server = await helloServer();
  try {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 5);
    const result = await runUndici(server.url, {
      params: { threads: 2, connections: 2, durationMs: 20_000 },
      signal: controller.signal,
    });
    assert.equal(histogramCount(result.latency), result.requests);
  } finally {
    await server.close();
  }
});
