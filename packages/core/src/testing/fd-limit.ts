/**
 * A server in its own process whose fd limit is lowered once it serves (prlimit), then flooded with
 * keep-alive clients: what the clients saw (served or refused) against what the server counted.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import net from 'node:net';
import type { ServerStats } from '../plugin/contract.js';
import { startChildServer } from './child-server.js';
import { getRequest } from './raw-http.js';
import { requireTool } from './require-tool.js';

/** Why fd-limit tests cannot run here, or undefined when they can. */
export const fdLimitSkip = requireTool('prlimit');

/** What the clients and the server saw when clients met a server with few fds to spare. */
export interface FdLimitOutcome {
  /** Clients answered 200 (their connections stay open: keep-alive). */
  served: number;
  /** Clients whose connection was closed or reset without an answer. */
  refused: number;
  /** Clients with neither within the wait (still in the backlog). */
  pending: number;
  /** The server's counters at stop. */
  stats: ServerStats;
  /** The server still answered a fresh client once the others were gone. */
  servesAfterwards: boolean;
}

type Outcome = 'served' | 'refused' | 'pending';

/** One client: connects, sends a GET, and says whether it was served, refused, or is still waiting after `settleMs`. */
function client(port: number, sockets: net.Socket[], settleMs: number): Promise<Outcome> {
  const s = net.connect(port, '127.0.0.1');
  sockets.push(s);
  return new Promise<Outcome>((resolve) => {
    let text = '';
    const timer = setTimeout(() => resolve('pending'), settleMs);
    const end = (outcome: Outcome) => {
      clearTimeout(timer);
      resolve(outcome);
    };
    s.setEncoding('latin1');
    s.on('connect', () => s.write(getRequest()));
    s.on('data', (d: string) => {
      text += d;
      if (text.startsWith('HTTP/1.1 200 ')) end('served');
    });
    s.on('error', () => end('refused'));
    s.on('close', () => end('refused'));
  });
}

/**
 * Starts server `name` of `moduleUrl` in a child process, lowers its RLIMIT_NOFILE to leave `headroom`
 * fds above the ones it holds, opens `connections` keep-alive connections at once (each sends one
 * GET), and waits `settleMs` for every one to be served or refused. With `startLimit` the server runs
 * under that limit from the start (enough for start-up, about 40 fds, plus what `connections` take).
 */
export async function floodUnderFdLimit(
  moduleUrl: string,
  name: string,
  options: Record<string, unknown> = {},
  { connections = 60, headroom = 20, settleMs = 1500, startLimit = 0 } = {},
): Promise<FdLimitOutcome> {
  // startLimit > 0: the server starts under that limit instead, for requests that take the limit in
  // force when they are submitted (io_uring's multishot accept) rather than at each accept.
  const wrapper = startLimit > 0 ? ['prlimit', `--nofile=${startLimit}`] : undefined;
  const server = await startChildServer({ moduleUrl, name, options, wrapper });
  if (startLimit === 0) {
    // The limit comes after start-up (module loading needs more). Node keeps one fd far above the
    // rest; only the dense low range decides the next accept's fd.
    const highestFd = Math.max(
      ...readdirSync(`/proc/${server.pid}/fd`)
        .map(Number)
        .filter((fd) => fd < 200),
    );
    spawnSync('prlimit', ['--pid', String(server.pid), `--nofile=${highestFd + headroom}`]);
  }
  const port = Number(new URL(server.url).port);
  const sockets: net.Socket[] = [];
  let outcomes: Outcome[] = [];
  let servesAfterwards = false;
  try {
    outcomes = await Promise.all(Array.from({ length: connections }, () => client(port, sockets, settleMs)));
    for (const s of sockets) s.destroy();
    await new Promise((resolve) => setTimeout(resolve, 200));
    servesAfterwards = (await client(port, sockets, 3000)) === 'served';
  } finally {
    for (const s of sockets) s.destroy();
  }
  const stats = await server.stop();
  const count = (o: Outcome) => outcomes.filter((x) => x === o).length;
  return { served: count('served'), refused: count('refused'), pending: count('pending'), stats, servesAfterwards };
}
