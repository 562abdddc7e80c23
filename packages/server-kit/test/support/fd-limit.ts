/**
 * A server in its own process whose fd limit is lowered once it serves (prlimit), then flooded with
 * keep-alive clients: what the clients saw (served or refused) against what the server counted.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import net from 'node:net';
import type { ServerStats } from '@iobench/core';
import { requireTool } from '@iobench/core/testing';
import { startChildServer } from './child-server.js';

/** Why fd-limit tests cannot run here, or undefined when they can. */
export const fdLimitSkip = requireTool('prlimit');

/** What the clients and the server saw when `connections` clients met a server with `headroom` fds to spare. */
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

/**
 * Starts `name` of `pkg` in a child process, lowers its RLIMIT_NOFILE to leave `headroom` fds above
 * the ones it holds, opens `connections` keep-alive connections at once (each sends one GET), and
 * waits `settleMs` for every one to be served or refused.
 */
export async function floodUnderFdLimit(
  pkg: string,
  name: string,
  options: Record<string, unknown> = {},
  { connections = 60, headroom = 20, settleMs = 1500 } = {},
): Promise<FdLimitOutcome> {
  const server = await startChildServer([], pkg, name, options);
  // The limit comes after start-up (module loading needs more). Node keeps one fd far above the rest;
  // only the dense low range decides the next accept's fd.
  const highestFd = Math.max(
    ...readdirSync(`/proc/${server.pid}/fd`)
      .map(Number)
      .filter((fd) => fd < 200),
  );
  spawnSync('prlimit', ['--pid', String(server.pid), `--nofile=${highestFd + headroom}`]);
  const port = Number(new URL(server.url).port);
  const sockets: net.Socket[] = [];
  let servesAfterwards = false;
  let outcomes: ('served' | 'refused' | 'pending')[] = [];
  try {
    outcomes = await Promise.all(
      Array.from({ length: connections }, () => {
        const s = net.connect(port, '127.0.0.1');
        sockets.push(s);
        return new Promise<'served' | 'refused' | 'pending'>((resolve) => {
          let text = '';
          const timer = setTimeout(() => resolve('pending'), settleMs);
          const end = (outcome: 'served' | 'refused') => {
            clearTimeout(timer);
            resolve(outcome);
          };
          s.setEncoding('latin1');
          s.on('connect', () => s.write('GET / HTTP/1.1\r\nHost: t\r\n\r\n'));
          s.on('data', (d: string) => {
            text += d;
            if (text.startsWith('HTTP/1.1 200 ')) end('served');
          });
          s.on('error', () => end('refused'));
          s.on('close', () => end('refused'));
        });
      }),
    );
    for (const s of sockets) s.destroy();
    await new Promise((resolve) => setTimeout(resolve, 200));
    servesAfterwards = await new Promise<boolean>((resolve) => {
      const s = net.connect(port, '127.0.0.1', () => s.write('GET / HTTP/1.1\r\nHost: t\r\n\r\n'));
      s.setEncoding('latin1');
      s.on('data', (d: string) => {
        s.destroy();
        resolve(d.startsWith('HTTP/1.1 200 '));
      });
      s.on('error', () => resolve(false));
      setTimeout(() => {
        s.destroy();
        resolve(false);
      }, 3000);
    });
  } finally {
    for (const s of sockets) s.destroy();
  }
  const stats = await server.stop();
  const count = (o: string) => outcomes.filter((x) => x === o).length;
  return { served: count('served'), refused: count('refused'), pending: count('pending'), stats, servesAfterwards };
}
