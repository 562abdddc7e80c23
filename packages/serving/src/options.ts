/**
 * Options every server shares. Server schemas spread `commonServerOptions` into their own
 * `z.strictObject({...})`, so defaults and validation live in one place.
 */
import { isIP } from 'node:net';
import { z } from 'zod';
import { handlerWorkSchema } from './handler-work.js';

/** True for an IPv4 or IPv6 literal, the latter optionally with a `%scope` (link-local). */
function isIpLiteral(host: string): boolean {
  const percent = host.indexOf('%');
  if (percent === -1) return isIP(host) !== 0;
  return isIP(host.slice(0, percent)) === 6 && percent < host.length - 1;
}

/** Options common to every server, as a zod object shape every server schema spreads in. */
export const commonServerOptions = {
  host: z
    .string()
    .refine(isIpLiteral, {
      error: (issue) =>
        `host must be an IPv4 or IPv6 address, e.g. 127.0.0.1, ::1 or fe80::1%eth0 (got ${JSON.stringify(issue.input)})`,
    })
    .default('127.0.0.1')
    .describe('address to listen on: IPv4, IPv6, or link-local IPv6 with %iface'),
  port: z.number().int().min(0).max(65535).default(0).describe('TCP port; 0 picks a free one'),
  backlog: z.number().int().positive().default(511).describe('listen(2) backlog'),
  bodySize: z
    .number()
    .int()
    .min(0)
    .default(13)
    .describe('response body size in bytes; 13 is "Hello, world!", larger repeats it'),
  work: handlerWorkSchema.prefault('none'),
  keepAlive: z.boolean().default(true).describe('keep connections open between requests'),
  bindDevice: z.string().min(1).optional().describe('network interface to bind to (SO_BINDTODEVICE)'),
  headerTimeoutMs: z
    .number()
    .int()
    .min(0)
    .default(60_000)
    .describe(
      "a request head must be complete this long after the connection's accept (first request) or its first byte (later ones), else 408 and close; 0 = never (nginx's client_header_timeout)",
    ),
  idleTimeoutMs: z
    .number()
    .int()
    .min(0)
    .default(75_000)
    .describe(
      'close a connection on which nothing was received or sent for this long, e.g. kept alive without a next request; 0 = never (nginx keepalive_timeout)',
    ),
};

/**
 * `loops`, for the servers that can run several independent loops (epoll, io-uring): spread into
 * their schema beside the common options.
 */
export const loopsOption = {
  loops: z
    .number()
    .int()
    .min(1)
    .max(256)
    .default(1)
    .describe(
      'independent loops, each in its own thread with its own SO_REUSEPORT listening socket on the port, the kernel spreading connections (one loop per core); under --server-cpus loop i runs on the i-th CPU of the list',
    ),
};

/** The common options as one schema, for servers that add nothing. */
export const commonServerOptionsSchema = z.strictObject(commonServerOptions);

/** Parsed common options. */
export type CommonServerOptions = z.output<typeof commonServerOptionsSchema>;

/** Formats a host and port as a URL (IPv6 in brackets, `%` of a scope escaped). */
export function serverUrl(host: string, port: number): string {
  const h = host.includes(':') ? `[${host.replace('%', '%25')}]` : host;
  return `http://${h}:${port}/`;
}

/**
 * How often servers look for connections past their header or idle timeout: a quarter of the shorter
 * one (so a timeout fires at most 25% late), between 10 ms and 1 s; -1 when both are off.
 */
export function timeoutCheckIntervalMs(options: { headerTimeoutMs: number; idleTimeoutMs: number }): number {
  const timeouts = [options.headerTimeoutMs, options.idleTimeoutMs].filter((ms) => ms > 0);
  if (timeouts.length === 0) return -1;
  return Math.min(1000, Math.max(10, Math.floor(Math.min(...timeouts) / 4)));
}
