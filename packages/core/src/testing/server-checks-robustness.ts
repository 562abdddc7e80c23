/** Conformance checks of robustness and lifecycle: resets, many and idle connections, stats, stop. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import type { ServerStats } from '../plugin/contract.js';
import { getRequest, parseHttpResponses, RawConnection } from './raw-http.js';
import { type Check, startWith } from './server-check-env.js';
import { eventually, startServerPlugin, statsSnapshot } from './start-server.js';

const errorTotal = (s: ServerStats) => Object.values(s.errors).reduce((a, b) => a + b, 0);
/** Larger than loopback socket buffers on both sides, so the server is mid-write when the client resets. */
const RESET_BODY_BYTES = 32 * 1024 * 1024;
export const MANY_CONNECTIONS = 1100;
export const IDLE_CONNECTIONS = 200;

/** Clients reset mid-response on a large body; the server counts it and keeps serving. */
export const clientReset: Check = async (env) => {
  const big = await startWith(env, { bodySize: RESET_BODY_BYTES });
  try {
    const before = await statsSnapshot(big.handle);
    for (let i = 0; i < 3; i++) {
      const connection = await RawConnection.connect(big.host, big.port);
      connection.write(getRequest());
      await new Promise<void>((resolve) => connection.socket.once('data', () => resolve()));
      connection.reset();
    }
    const after = await getAnswer(big.host, big.port, RESET_BODY_BYTES);
    assert.equal(after, RESET_BODY_BYTES, 'a full answer after the resets');
    await eventually(
      async () => errorTotal(await statsSnapshot(big.handle)) > errorTotal(before),
      3000,
      async () =>
        `stats().errors must count the 3 client resets (e.g. as errors.reset): ${JSON.stringify((await statsSnapshot(big.handle)).errors)}`,
    );
  } finally {
    await big.handle.stop();
  }
};

/** Body length of the answer to one GET on a fresh connection. */
async function getAnswer(host: string, port: number, expectedBodyBytes: number): Promise<number> {
  const connection = await RawConnection.connect(host, port);
  try {
    connection.write(getRequest());
    const [response] = await connection.readResponses(1, 10_000);
    assert.equal(response!.status, 200);
    assert.equal(response!.body.length, expectedBodyBytes);
    return response!.body.length;
  } finally {
    connection.destroy();
  }
}

/** The soft limit on open files of this process, from /proc (undefined where unreadable). */
export function openFileLimit(): number | undefined {
  try {
    const match = /^Max open files\s+(\d+|unlimited)/m.exec(readFileSync('/proc/self/limits', 'utf8'));
    return match === null ? undefined : match[1] === 'unlimited' ? Number.POSITIVE_INFINITY : Number(match[1]);
  } catch {
    return undefined;
  }
}

type Outcome = 'answered' | 'closed' | 'connectFailed' | 'pending';

/** Opens `count` connections at once, each sending one `Connection: close` GET; reports each outcome. */
function manyClients(host: string, port: number, count: number, timeoutMs: number): Promise<Outcome[]> {
  const outcomes: Outcome[] = new Array(count).fill('pending');
  const sockets = new Set<ReturnType<typeof connect>>();
  return new Promise((resolve) => {
    let open = count;
    const timer = setTimeout(finish, timeoutMs);
    function finish() {
      clearTimeout(timer);
      for (const s of sockets) s.destroy();
      resolve(outcomes);
    }
    for (let i = 0; i < count; i++) {
      const chunks: Buffer[] = [];
      let connected = false;
      const socket = connect({ host, port }, () => {
        connected = true;
        socket.write(getRequest({ headers: ['Connection: close'] }));
      });
      sockets.add(socket);
      socket.on('data', (chunk: Buffer) => chunks.push(chunk));
      socket.on('error', () => {});
      socket.on('close', () => {
        sockets.delete(socket);
        let answered = false;
        try {
          answered = parseHttpResponses(Buffer.concat(chunks), true).responses[0]?.status === 200;
        } catch {}
        outcomes[i] = answered ? 'answered' : connected ? 'closed' : 'connectFailed';
        if (--open === 0) finish();
      });
    }
  });
}

/** 1,100 simultaneous connections each get an answer (or, past the fd limit, are closed by the server). */
export const manyConnections: Check = async ({ server, fdLimit }) => {
  const { host, port, handle } = server();
  const before = await statsSnapshot(handle);
  const outcomes = await manyClients(host, port, MANY_CONNECTIONS, 25_000);
  const count = (o: Outcome) => outcomes.filter((x) => x === o).length;
  const summary = `answered ${count('answered')}, closed unanswered ${count('closed')}, connect failed ${count('connectFailed')}, still pending after 25 s ${count('pending')}`;
  if (fdLimit === undefined) {
    assert.equal(count('answered'), MANY_CONNECTIONS, summary);
  } else {
    assert.equal(count('pending') + count('connectFailed'), 0, summary);
    assert.ok(count('answered') > 0, `none answered: ${summary}`);
    if (count('closed') > 0) {
      await eventually(
        async () => (await statsSnapshot(handle)).refused > before.refused,
        2000,
        () => `${count('closed')} connections were closed unanswered but stats().refused did not grow`,
      );
    }
  }
  const connection = await RawConnection.connect(host, port);
  try {
    connection.write(getRequest());
    assert.equal((await connection.readResponses(1))[0]!.status, 200, 'the server still serves afterwards');
  } finally {
    connection.destroy();
  }
};

/** 200 connections hold half-sent requests while another client is served; then they are served too. */
export const idleHalfSent: Check = async ({ server }) => {
  const { host, port } = server();
  const idle: RawConnection[] = [];
  try {
    for (let i = 0; i < IDLE_CONNECTIONS; i++) {
      const connection = await RawConnection.connect(host, port);
      connection.write('GET /idle HTTP/1.1\r\nHost: 127.0.0.1\r\n');
      idle.push(connection);
    }
    await new Promise((r) => setTimeout(r, 100));
    const other = await RawConnection.connect(host, port);
    try {
      other.write(getRequest());
      const [response] = await other.readResponses(1, 3000).catch((error: Error) => {
        throw new Error(`a client was not served while ${IDLE_CONNECTIONS} requests were half-sent: ${error.message}`);
      });
      assert.equal(response!.status, 200);
    } finally {
      other.destroy();
    }
    for (const connection of idle) connection.write('\r\n');
    const answers = await Promise.all(idle.map((c) => c.readResponses(1, 5000)));
    assert.equal(
      answers.filter(([r]) => r!.status === 200).length,
      IDLE_CONNECTIONS,
      'the half-sent requests, once finished',
    );
  } finally {
    for (const connection of idle) connection.destroy();
  }
};

/** stats() counts accepted connections and requests, promptly. */
export const stats: Check = async ({ server, keepsAlive }) => {
  const { host, port, handle } = server();
  const before = await statsSnapshot(handle);
  // Two requests share a connection only where the server keeps connections alive.
  for (const requests of keepsAlive ? [1, 2] : [1, 1, 1]) {
    const connection = await RawConnection.connect(host, port);
    try {
      connection.write(getRequest().repeat(requests));
      await connection.readResponses(requests);
    } finally {
      connection.destroy();
    }
  }
  let after = before;
  await eventually(
    async () => {
      after = await statsSnapshot(handle);
      return after.requests - before.requests >= 3 && after.accepted - before.accepted >= (keepsAlive ? 2 : 3);
    },
    2000,
    () =>
      `after 3 requests on ${keepsAlive ? 2 : 3} connections stats() went from ${JSON.stringify(before)} to ${JSON.stringify(after)}`,
  );
  for (const key of ['accepted', 'refused', 'requests'] as const) {
    assert.ok(Number.isInteger(after[key]) && after[key] >= 0, `stats().${key} must be a count (got ${after[key]})`);
  }
  assert.equal(typeof after.errors, 'object');
};

/** stop() closes open connections and frees the port within 2 s; a second stop() is fine. */
export const stop: Check = async ({ plugin, serverOptions }) => {
  const started = await startServerPlugin(plugin, serverOptions);
  const connection = await RawConnection.connect(started.host, started.port);
  try {
    connection.write(getRequest());
    await connection.readResponses(1);
    const t0 = Date.now();
    await started.handle.stop();
    const stopMs = Date.now() - t0;
    assert.ok(stopMs <= 2500, `stop() took ${stopMs} ms (at most 2 s allowed)`);
    await connection.waitForClose(2000).catch(() => {
      throw new Error('stop() left an open keep-alive connection open');
    });
    await new Promise<void>((resolve, reject) => {
      const probe = createServer();
      probe.once('error', (error) =>
        reject(new Error(`port ${started.port} still in use after stop(): ${error.message}`)),
      );
      probe.listen({ host: started.host, port: started.port }, () => probe.close(() => resolve()));
    });
    await started.handle.stop();
  } finally {
    connection.destroy();
    await started.handle.stop();
  }
};
