import assert from 'node:assert/strict';
import { test } from 'node:test';
import { histogramCount, summariseHistogram } from '@iobench/core';
import { helloServer, stallingServer } from '@iobench/core/testing';
import { runUndici } from './run-helper.js';

test('open model: at a sustainable rate the achieved rate is within 1% of the target', async () => {
  // The machine is shared: when other processes keep the generator off the CPU its sends go out late
  // or never (and the result says so). Such a run says nothing about the schedule, so the claim is
  // checked on the best of three attempts.
  const server = await helloServer();
  try {
    const rate = 1000;
    const misses: string[] = [];
    for (let attempt = 0; attempt < 3; attempt++) {
      const result = await runUndici(server.url, { params: { connections: 4, rate, durationMs: 1500 } });
      assert.equal(histogramCount(result.latency), result.requests);
      assert.equal(histogramCount(result.latencyUncorrected!), result.requests);
      assert.equal(result.schedule?.targetRate, rate);
      assert.ok(
        result.perConnection!.every((n) => n > 0),
        `sends spread over connections: ${result.perConnection}`,
      );
      const achieved = (result.requests / result.durationMs) * 1000;
      if (Math.abs(achieved - rate) / rate <= 0.01) return;
      misses.push(
        `${achieved.toFixed(1)} req/s (dropped ${result.schedule?.droppedSends}, loop delay p99 ${result.extra?.eventLoopDelayP99Us} us)`,
      );
    }
    assert.fail(`achieved rate off by more than 1% of ${rate} in every attempt: ${misses.join('; ')}`);
  } finally {
    await server.close();
  }
});

test('open model with a request limit sends exactly that many, on schedule', async () => {
  const server = await helloServer();
  try {
    const result = await runUndici(server.url, {
      params: { connections: 2, rate: 2000, requests: 400, durationMs: 5000 },
    });
    assert.equal(result.requests, 400);
    assert.equal(server.answered, 400);
    assert.ok(
      result.durationMs >= 190 && result.durationMs < 1000,
      `400 requests at 2000/s take about 200 ms, took ${result.durationMs}`,
    );
  } finally {
    await server.close();
  }
});

test('a 500 ms server stall shows in the corrected p99.9 and not in the uncorrected one', async () => {
  // One connection at 1000 req/s: during the stall about 500 intended sends queue behind one
  // stuck request. Measured from their intended times they waited up to 500 ms; a closed-loop
  // view (send to response) sees one slow request among ~3000, below p99.9 — and stays below half
  // the stall even if a busy machine holds the generator itself up once or twice.
  const server = await stallingServer(300, 500);
  try {
    const result = await runUndici(server.url, { params: { connections: 1, rate: 1000, durationMs: 3000 } });
    const corrected = summariseHistogram(result.latency);
    const uncorrected = summariseHistogram(result.latencyUncorrected!);
    assert.ok(corrected.p99_9 >= 400_000, `corrected p99.9 ${corrected.p99_9} us should show the 500 ms stall`);
    assert.ok(uncorrected.p99_9 < 250_000, `uncorrected p99.9 ${uncorrected.p99_9} us should not`);
    assert.ok(
      uncorrected.max >= 450_000,
      `the stalled request itself is in the uncorrected max (${uncorrected.max} us)`,
    );
    assert.ok(
      result.schedule!.lateSends >= 400,
      `sends held up by the stall count as late (${result.schedule!.lateSends})`,
    );
  } finally {
    await server.close();
  }
});

test('sends that cannot go out before the end are counted as dropped', async () => {
  // The stall outlasts the run: everything due after the stuck request stays in the backlog.
  const server = await stallingServer(10, 2000);
  try {
    const result = await runUndici(server.url, { params: { connections: 1, rate: 500, durationMs: 600 } });
    assert.equal(result.requests, 9);
    assert.ok(result.schedule!.droppedSends >= 280, `dropped ${result.schedule!.droppedSends}`);
  } finally {
    await server.close();
  }
});
