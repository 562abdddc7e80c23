/**
 * The server conformance suite: registers node:test tests that start a server plugin in-process and
 * check, over raw sockets, what every iobench server must do.
 */
import { after, before, describe, it } from 'node:test';
import type { ServerPlugin } from '../plugin/contract.js';
import type { Check, CheckEnv } from './server-check-env.js';
import * as http from './server-checks-http.js';
import * as load from './server-checks-robustness.js';
import * as timeouts from './server-checks-timeouts.js';
import { type StartedServer, startServerPlugin } from './start-server.js';

/** Every check, in the order it runs, with its title and time bound. */
export const conformanceChecks = {
  hello: { title: 'GET / answers 200 Hello, world! with Content-Length', run: http.hello, timeoutMs: 10_000 },
  keepAlive: { title: 'keep-alive: several requests on one connection', run: http.keepAlive, timeoutMs: 10_000 },
  pipelining: {
    title: 'pipelining: 3 requests in one write answered in order',
    run: http.pipelining,
    timeoutMs: 10_000,
  },
  http10: { title: 'HTTP/1.0 closes after the answer unless keep-alive is asked', run: http.http10, timeoutMs: 10_000 },
  connectionClose: { title: 'Connection: close is honoured', run: http.connectionClose, timeoutMs: 10_000 },
  malformed: {
    title: 'malformed request -> 400 and close, and the server keeps serving',
    run: http.malformed,
    timeoutMs: 10_000,
  },
  host: {
    title: 'HTTP/1.1 without Host, or two Host headers -> 400 and close; HTTP/1.0 without Host -> 200',
    run: http.host,
    timeoutMs: 10_000,
  },
  lengthRequired: {
    title: 'POST without a length -> 411 and close',
    run: http.lengthRequired,
    timeoutMs: 10_000,
  },
  oversizedHeaders: {
    title: 'header block over 8 KiB -> 431 and close',
    run: http.oversizedHeaders,
    timeoutMs: 10_000,
  },
  stats: { title: 'stats() counts accepted connections and requests', run: load.stats, timeoutMs: 10_000 },
  clientReset: {
    title: 'client reset mid-response is counted and the server keeps serving',
    run: load.clientReset,
    timeoutMs: 30_000,
  },
  manyConnections: {
    title: `${load.MANY_CONNECTIONS} simultaneous connections each get an answer`,
    run: load.manyConnections,
    timeoutMs: 40_000,
  },
  idleHalfSent: {
    title: `${load.IDLE_CONNECTIONS} idle half-sent requests do not block another client`,
    run: load.idleHalfSent,
    timeoutMs: 20_000,
  },
  headerTimeout: {
    title: `a request head not complete within headerTimeoutMs (${timeouts.SHORT_TIMEOUT_MS} ms) -> 408 and close`,
    run: timeouts.headerTimeout,
    timeoutMs: 15_000,
  },
  idleTimeout: {
    title: `a keep-alive connection idle for idleTimeoutMs (${timeouts.SHORT_TIMEOUT_MS} ms) is closed`,
    run: timeouts.idleTimeout,
    timeoutMs: 15_000,
  },
  stop: { title: 'stop() closes connections, frees the port, and is idempotent', run: load.stop, timeoutMs: 10_000 },
} satisfies Record<string, { title: string; run: Check; timeoutMs: number }>;

/** Names of the conformance checks, for `skip`. */
export type CheckName = keyof typeof conformanceChecks;

/** Options of `runServerConformance`. */
export interface ConformanceOptions {
  /** Extra raw options for the plugin's schema (the kit sets host 127.0.0.1 and port 0 first). */
  serverOptions?: Record<string, unknown>;
  /** Checks to skip, each with the reason shown in the test report (e.g. the basic server serves one connection at a time). */
  skip?: Partial<Record<CheckName, string>>;
  /**
   * The server refuses connections whose fd is >= this (select(2): FD_SETSIZE = 1024). The
   * many-connections check then accepts connections closed unanswered, requires `stats().refused` to
   * count them, and checks the server still serves.
   */
  fdLimit?: number;
  /** Multiplies every check's time bound (slow CI machines). Default 1. */
  timeScale?: number;
}

/** File descriptors the many-connections check needs in this process: both ends of every connection. */
const MANY_CONNECTIONS_FDS = 2 * load.MANY_CONNECTIONS + 200;

/**
 * Registers a `describe` block of node:test tests checking that `plugin` behaves as every iobench
 * server must. Call it at the top level of a test file:
 *
 * ```ts
 * import { runServerConformance } from '@iobench/core/testing';
 * import plugin from '../src/index.js';
 * runServerConformance(plugin);
 * ```
 */
export function runServerConformance(plugin: ServerPlugin<any>, options: ConformanceOptions = {}): void {
  const serverOptions = { host: '127.0.0.1', port: 0, ...options.serverOptions };
  const timeScale = options.timeScale ?? 1;
  let shared: StartedServer<any> | undefined;
  const env: CheckEnv = {
    plugin,
    serverOptions,
    server: () => {
      if (shared === undefined) throw new Error(`server plugin "${plugin.name}" did not start`);
      return shared;
    },
    keepsAlive: true,
    fdLimit: options.fdLimit,
  };
  const fileLimit = load.openFileLimit();

  describe(`server plugin "${plugin.name}" conformance`, () => {
    before(async () => {
      shared = await startServerPlugin(plugin, serverOptions);
      env.keepsAlive = (shared.options as { keepAlive?: unknown })?.keepAlive !== false;
    });
    after(async () => {
      await shared?.handle.stop();
    });
    for (const [name, check] of Object.entries(conformanceChecks) as [
      CheckName,
      (typeof conformanceChecks)[CheckName],
    ][]) {
      let skip: string | undefined = options.skip?.[name];
      if (
        skip === undefined &&
        name === 'manyConnections' &&
        fileLimit !== undefined &&
        fileLimit < MANY_CONNECTIONS_FDS
      ) {
        skip = `ulimit -n is ${fileLimit}; ${MANY_CONNECTIONS_FDS} open files are needed (run \`ulimit -n 4096\` first)`;
      }
      it(check.title, { skip: skip ?? false, timeout: check.timeoutMs * timeScale }, () => check.run(env));
    }
  });
}
