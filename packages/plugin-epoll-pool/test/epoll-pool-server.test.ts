/**
 * What the pool is for, as behaviour: with a blocking handler, requests from many clients are served
 * in parallel by the pool threads, where the single-loop epoll server serves them one after another;
 * and with no handler work, a round of requests crosses to the pool as one task, not one per request.
 */
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import type { ServerPlugin } from '@iobench/core';
import { getRequest, RawConnection, type StartedServer, startServerPlugin } from '@iobench/core/testing';
import { epollServer } from '@iobench/plugin-epoll';
import { epollPoolServer } from '../src/index.js';

const CLIENTS = 20;
const WAIT_US = 20_000;
const SERIAL_MS = (CLIENTS * WAIT_US) / 1000;

const started: StartedServer[] = [];
after(async () => {
  await Promise.all(started.map((s) => s.handle.stop()));
});

async function start(plugin: ServerPlugin<any>, options: Record<string, unknown>): Promise<StartedServer> {
  const server = await startServerPlugin(plugin, options);
  started.push(server);
  return server;
}

/** Connects `CLIENTS` clients, then sends one GET on each at once; resolves with the wall time of all answers. */
async function concurrentRequestsMs(server: StartedServer): Promise<number> {
  const connections = await Promise.all(
    Array.from({ length: CLIENTS }, () => RawConnection.connect(server.host, server.port)),
  );
  try {
    const t0 = performance.now();
    const answers = connections.map((c) => {
      c.write(getRequest());
      return c.readResponses(1, 10_000);
    });
    for (const [response] of await Promise.all(answers)) assert.equal(response!.status, 200);
    return performance.now() - t0;
  } finally {
    for (const c of connections) c.destroy();
  }
}

describe(`${CLIENTS} clients at once, each request blocking its handler for ${WAIT_US / 1000} ms`, () => {
  it('epoll-pool (10 threads) answers them concurrently, well under the serial time', {
    timeout: 60_000,
  }, async (t) => {
    const server = await start(epollPoolServer, { work: `wait:${WAIT_US}` });
    const wallMs = await concurrentRequestsMs(server);
    t.diagnostic(`${CLIENTS} answers in ${wallMs.toFixed(0)} ms`);
    assert.ok(wallMs < SERIAL_MS / 2, `${CLIENTS} answers took ${wallMs.toFixed(0)} ms (serial: ${SERIAL_MS} ms)`);
    const stats = await server.handle.stats();
    assert.equal(stats.requests, CLIENTS);
    assert.equal(stats.extra?.poolRequests, CLIENTS);
    assert.ok((stats.extra?.poolTasks ?? 0) >= 2, `the work was spread over tasks: ${JSON.stringify(stats.extra)}`);
  });

  it('the single-loop epoll server answers them one after another', { timeout: 30_000 }, async (t) => {
    const server = await start(epollServer, { work: `wait:${WAIT_US}` });
    const wallMs = await concurrentRequestsMs(server);
    t.diagnostic(`${CLIENTS} answers in ${wallMs.toFixed(0)} ms`);
    assert.ok(
      wallMs >= SERIAL_MS * 0.95,
      `${CLIENTS} answers took only ${wallMs.toFixed(0)} ms (serial: ${SERIAL_MS} ms)`,
    );
  });

  it('so does epoll-pool with one thread: the parallelism is the pool threads', { timeout: 30_000 }, async (t) => {
    const server = await start(epollPoolServer, { work: `wait:${WAIT_US}`, threads: 1 });
    const wallMs = await concurrentRequestsMs(server);
    t.diagnostic(`${CLIENTS} answers in ${wallMs.toFixed(0)} ms`);
    assert.ok(
      wallMs >= SERIAL_MS * 0.95,
      `${CLIENTS} answers took only ${wallMs.toFixed(0)} ms (serial: ${SERIAL_MS} ms)`,
    );
  });
});

describe('batching', () => {
  it('with no handler work, ten pipelined requests cross to the pool as one task and come back in order', {
    timeout: 30_000,
  }, async () => {
    const server = await start(epollPoolServer, { threads: 2 });
    const connection = await RawConnection.connect(server.host, server.port);
    try {
      const targets = Array.from({ length: 10 }, (_, i) => `/r${i}`);
      connection.write(targets.map((target) => getRequest({ target })).join(''));
      const responses = await connection.readResponses(10);
      assert.deepEqual(
        responses.map((r) => r.status),
        targets.map(() => 200),
      );
    } finally {
      connection.destroy();
    }
    const extra = (await server.handle.stats()).extra!;
    assert.equal(extra.poolTasks, 1, JSON.stringify(extra));
    assert.equal(extra.poolMeanBatch, 10);
  });
});
