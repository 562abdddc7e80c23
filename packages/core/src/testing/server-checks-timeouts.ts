/** Conformance checks of the header and idle timeouts, on servers started with short ones. */
import assert from 'node:assert/strict';
import { getRequest, RawConnection } from './raw-http.js';
import { type Check, startWith } from './server-check-env.js';
import { eventually } from './start-server.js';

/** The timeout the checks give servers; short, so that the checks are quick. */
export const SHORT_TIMEOUT_MS = 200;
/** A timeout may fire this late (the server's check interval, a busy 2-core machine); never early. */
const LATE_MS = 800;
/**
 * How much earlier than the timeout a close may be seen: the server's clock starts at its accept (or
 * its send), the check's only once the client's connect (or read) callback ran, which on a busy
 * machine can be tens of milliseconds later. Enough to tell a timeout from an immediate close.
 */
const EARLY_MS = SHORT_TIMEOUT_MS / 2;

/** Milliseconds until the server closes `connection`; throws past `SHORT_TIMEOUT_MS + LATE_MS`. */
async function msUntilClosed(connection: RawConnection, since: number, what: string): Promise<number> {
  await connection.waitForClose(SHORT_TIMEOUT_MS + LATE_MS).catch(() => {
    throw new Error(`${what}: still open ${SHORT_TIMEOUT_MS + LATE_MS} ms after a ${SHORT_TIMEOUT_MS} ms timeout`);
  });
  const ms = performance.now() - since;
  assert.ok(ms >= SHORT_TIMEOUT_MS - EARLY_MS, `${what}: closed after ${ms.toFixed(0)} ms, before the timeout`);
  return ms;
}

/**
 * With `headerTimeoutMs: 200`: a half-sent head, a connection that sends nothing, and one that trickles
 * a byte every 50 ms each get 408 and are closed after about 200 ms, counted as `errors.headerTimeout`.
 * One connection at a time, so that a blocking server is held by one client only.
 */
export const headerTimeout: Check = async (env) => {
  const started = await startWith(env, {
    headerTimeoutMs: SHORT_TIMEOUT_MS,
    idleTimeoutMs: 60_000,
  });
  try {
    const cases: [string, (c: RawConnection) => () => void][] = [
      [
        'a half-sent request head',
        (c) => {
          c.write('GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n');
          return () => {};
        },
      ],
      ['a connection that sends nothing', () => () => {}],
      [
        'a head trickled a byte every 50 ms',
        (c) => {
          const bytes = getRequest();
          let i = 0;
          const timer = setInterval(() => c.write(bytes[i++ % (bytes.length - 2)]!), 50);
          return () => clearInterval(timer);
        },
      ],
    ];
    for (const [what, start] of cases) {
      const connection = await RawConnection.connect(started.host, started.port);
      const since = performance.now();
      const stop = start(connection);
      try {
        const [response] = await connection.readResponses(1, SHORT_TIMEOUT_MS + LATE_MS).catch((error: Error) => {
          throw new Error(`${what}: expected 408 after ${SHORT_TIMEOUT_MS} ms: ${error.message}`);
        });
        assert.equal(response!.status, 408, `${what}: status line ${JSON.stringify(response!.statusLine)}`);
        await msUntilClosed(connection, since, what);
      } finally {
        stop();
        connection.destroy();
      }
    }
    const served = await RawConnection.connect(started.host, started.port);
    try {
      served.write(getRequest());
      assert.equal((await served.readResponses(1))[0]!.status, 200, 'a prompt client is served');
    } finally {
      served.destroy();
    }
    await eventually(
      async () => ((await started.handle.stats()).errors.headerTimeout ?? 0) >= cases.length,
      2000,
      async () =>
        `stats().errors.headerTimeout must count the ${cases.length} timeouts: ${JSON.stringify(await started.handle.stats())}`,
    );
  } finally {
    await started.handle.stop();
  }
};

/**
 * With `idleTimeoutMs: 200`: a kept-alive connection left idle after its answer is closed after about
 * 200 ms without a byte more, counted as `errors.idleTimeout`; one that sends a request every 100 ms
 * stays open.
 */
export const idleTimeout: Check = async (env) => {
  const { keepsAlive } = env;
  const started = await startWith(env, {
    headerTimeoutMs: 60_000,
    idleTimeoutMs: SHORT_TIMEOUT_MS,
  });
  try {
    const busy = await RawConnection.connect(started.host, started.port);
    try {
      for (let i = 0; i < 5; i++) {
        busy.write(getRequest());
        assert.equal((await busy.readResponses(1))[0]!.status, 200);
        if (!keepsAlive) return; // every answer closes: there is no idle keep-alive connection to time out
        await new Promise((r) => setTimeout(r, SHORT_TIMEOUT_MS / 2));
      }
      assert.equal(busy.closed, false, `a connection with a request every ${SHORT_TIMEOUT_MS / 2} ms was closed`);
    } finally {
      busy.destroy();
    }
    const idle = await RawConnection.connect(started.host, started.port);
    try {
      idle.write(getRequest());
      assert.equal((await idle.readResponses(1))[0]!.status, 200);
      await msUntilClosed(idle, performance.now(), 'an idle keep-alive connection');
      assert.equal(idle.received.length, 0, 'an idle connection is closed without an answer');
    } finally {
      idle.destroy();
    }
    await eventually(
      async () => ((await started.handle.stats()).errors.idleTimeout ?? 0) >= 1,
      2000,
      async () => `stats().errors.idleTimeout must count the timeout: ${JSON.stringify(await started.handle.stats())}`,
    );
  } finally {
    await started.handle.stop();
  }
};
