/**
 * What a thread per request means to a client: every request gets a thread of its own and each
 * connection's answers still come back in order; threads run handlers in parallel up to `maxThreads`
 * and past it requests wait; big answers a thread cannot send at once arrive whole; and stop ends
 * every thread and closes every fd even while handlers are blocked; and the header and idle timeouts
 * wait while a thread has a connection.
 */
import assert from 'node:assert/strict';
import { readdirSync, readlinkSync } from 'node:fs';
import { after, describe, it } from 'node:test';
import { eventually, getRequest, RawConnection, type StartedServer, startServerPlugin } from '@iobench/core/testing';
import { epollThreadServer } from '../src/index.js';

const started: StartedServer[] = [];
after(async () => {
  await Promise.all(started.map((s) => s.handle.stop()));
});

async function start(options: Record<string, unknown>): Promise<StartedServer> {
  const server = await startServerPlugin(epollThreadServer, options);
  started.push(server);
  return server;
}

async function extra(server: StartedServer): Promise<Record<string, number>> {
  return (await server.handle.stats()).extra ?? {};
}

/** Connects `clients` clients, then sends one GET on each at once; resolves with the wall time of all answers. */
async function concurrentRequestsMs(server: StartedServer, clients: number): Promise<number> {
  const connections = await Promise.all(
    Array.from({ length: clients }, () => RawConnection.connect(server.host, server.port)),
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

describe('a thread per request', () => {
  it('pipelined requests on four connections at once: one thread each, answers in request order', {
    timeout: 30_000,
  }, async () => {
    const server = await start({ work: 'cpu:300' });
    // HTTP/1.1 and HTTP/1.0 keep-alive requests alternate; only the latter's answers carry
    // `Connection: keep-alive`, so an answer out of order shows.
    const requests = Array.from({ length: 10 }, (_, i) =>
      i % 2 === 0 ? getRequest() : getRequest({ version: '1.0', headers: ['Connection: keep-alive'] }),
    );
    const connections = await Promise.all(
      Array.from({ length: 4 }, () => RawConnection.connect(server.host, server.port)),
    );
    try {
      const answers = await Promise.all(
        connections.map((c) => {
          c.write(requests.join(''));
          return c.readResponses(10, 10_000);
        }),
      );
      for (const responses of answers) {
        assert.deepEqual(
          responses.map((r) => `${r.status} ${r.headers.connection ?? '-'}`),
          requests.map((_, i) => (i % 2 === 0 ? '200 -' : '200 keep-alive')),
        );
      }
    } finally {
      for (const c of connections) c.destroy();
    }
    await eventually(
      async () => (await extra(server)).threadsLive === 0,
      5000,
      async () => JSON.stringify(await extra(server)),
    );
    const stats = await server.handle.stats();
    assert.equal(stats.requests, 40);
    assert.equal(stats.extra?.threadsCreated, 40, 'one thread per request');
    assert.equal(stats.syscalls?.clone, 40, 'one pthread_create per request');
  });

  it('a 16 MiB answer that no thread can send at once still arrives whole, and the next after it', {
    timeout: 30_000,
  }, async () => {
    const bodySize = 16 * 1024 * 1024;
    const server = await start({ bodySize });
    const connection = await RawConnection.connect(server.host, server.port);
    try {
      connection.write(getRequest() + getRequest());
      const responses = await connection.readResponses(2, 20_000);
      assert.deepEqual(
        responses.map((r) => [r.status, r.body.length]),
        [
          [200, bodySize],
          [200, bodySize],
        ],
      );
    } finally {
      connection.destroy();
    }
  });
});

describe('20 clients at once, each request blocking its handler for 20 ms', () => {
  const CLIENTS = 20;
  const SERIAL_MS = CLIENTS * 20;

  it('threads answer them concurrently, well under the serial time', { timeout: 30_000 }, async (t) => {
    const server = await start({ work: 'wait:20000' });
    const wallMs = await concurrentRequestsMs(server, CLIENTS);
    t.diagnostic(`${CLIENTS} answers in ${wallMs.toFixed(0)} ms`);
    assert.ok(wallMs < SERIAL_MS / 2, `${CLIENTS} answers took ${wallMs.toFixed(0)} ms (serial: ${SERIAL_MS} ms)`);
    assert.ok((await extra(server)).threadsPeak! >= 2, JSON.stringify(await extra(server)));
  });

  it('with maxThreads: 2, at most two run and the rest wait their turn', { timeout: 30_000 }, async (t) => {
    const server = await start({ work: 'wait:20000', maxThreads: 2 });
    const wallMs = await concurrentRequestsMs(server, CLIENTS);
    t.diagnostic(`${CLIENTS} answers in ${wallMs.toFixed(0)} ms`);
    assert.ok(wallMs >= (SERIAL_MS / 2) * 0.95, `${CLIENTS} answers took only ${wallMs.toFixed(0)} ms`);
    const figures = await extra(server);
    assert.equal(figures.threadsPeak, 2, JSON.stringify(figures));
    assert.ok(figures.requestsWaitedForThread! >= 1, JSON.stringify(figures));
  });
});

describe('timeouts while a thread has the connection, or waits for one', () => {
  it('a 600 ms handler outlasts 200 ms timeouts: the 408 follows the answer, the idle clock starts at it', {
    timeout: 30_000,
  }, async () => {
    // One thread at a time: one connection's request runs for three timeouts, the other's waits as long
    // for the thread and then runs as long. Neither may be timed out meanwhile.
    const server = await start({ work: 'wait:600000', maxThreads: 1, headerTimeoutMs: 200, idleTimeoutMs: 200 });
    const pipelined = await RawConnection.connect(server.host, server.port);
    const idle = await RawConnection.connect(server.host, server.port);
    try {
      // The next head, begun behind the request, is overdue long before the thread is done; its 408
      // must still wait for the thread's answer (the fd is the thread's until its record is read).
      pipelined.write(`${getRequest()}GET / HTTP/1.1\r\n`);
      idle.write(getRequest());
      const [responses, answered] = await Promise.all([
        pipelined.readResponses(2, 10_000),
        idle.readResponses(1, 10_000).then(([response]) => ({ response: response!, at: performance.now() })),
      ]);
      assert.deepEqual(
        responses.map((r) => r.status),
        [200, 408],
      );
      await pipelined.waitForClose(2000);
      assert.equal(answered.response.status, 200);
      // Closed a timeout after the answer, not at once: the thread's send counts as activity.
      await idle.waitForClose(2000);
      const idleMs = performance.now() - answered.at;
      assert.ok(idleMs >= 100, `closed ${idleMs.toFixed(0)} ms after its answer, before the idle timeout`);
      assert.equal(idle.received.length, 0, 'closed without a word');
    } finally {
      pipelined.destroy();
      idle.destroy();
    }
    const stats = await server.handle.stats();
    assert.ok(stats.extra!.requestsWaitedForThread! >= 1, 'one request waited for the thread');
    await eventually(
      async () => {
        const { errors } = await server.handle.stats();
        return errors.headerTimeout === 1 && errors.idleTimeout === 1;
      },
      2000,
      async () => JSON.stringify(await server.handle.stats()),
    );
  });
});

describe('stop', () => {
  const tasks = () => readdirSync('/proc/self/task').length;
  /** Open fds as `fd -> what it is` (`socket:[inode]`, `pipe:[inode]`, ...); gone ones are skipped. */
  const openFds = () => {
    const open = new Map<string, string>();
    for (const fd of readdirSync('/proc/self/fd')) {
      try {
        open.set(fd, readlinkSync(`/proc/self/fd/${fd}`));
      } catch {
        // closed between readdir and readlink
      }
    }
    return open;
  };
  /** Fds open now that were not open (as the same thing) in `before`. */
  const newFds = (before: Map<string, string>) =>
    [...openFds()].filter(([fd, target]) => before.get(fd) !== target).map(([fd, target]) => `${fd} -> ${target}`);

  it('within 2 s while five threads block in a 10 s handler, leaving no thread and no fd behind', {
    timeout: 30_000,
  }, async () => {
    const tasksBefore = tasks();
    const fdsBefore = openFds();
    const server = await startServerPlugin(epollThreadServer, { work: 'wait:10000000' });
    const connections = await Promise.all(
      Array.from({ length: 5 }, () => RawConnection.connect(server.host, server.port)),
    );
    for (const c of connections) c.write(getRequest());
    await eventually(
      async () => (await extra(server)).threadsLive === 5,
      5000,
      async () => JSON.stringify(await extra(server)),
    );
    assert.equal(tasks(), tasksBefore + 5, 'five request threads');
    const t0 = performance.now();
    await server.handle.stop();
    const stopMs = performance.now() - t0;
    assert.ok(stopMs < 2000, `stop took ${stopMs.toFixed(0)} ms`);
    await Promise.all(connections.map((c) => c.waitForClose(2000)));
    for (const c of connections) c.destroy();
    await eventually(
      () => tasks() === tasksBefore && newFds(fdsBefore).length === 0,
      2000,
      () => `threads ${tasks()} (before ${tasksBefore}), fds opened and left open: ${newFds(fdsBefore).join(', ')}`,
    );
    await server.handle.stop();
  });
});
