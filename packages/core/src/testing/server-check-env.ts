/** What every conformance check gets: the plugin, its options, and the shared running server. */
import type { ServerPlugin } from '../plugin/contract.js';
import { type StartedServer, startServerPlugin } from './start-server.js';

export interface CheckEnv {
  plugin: ServerPlugin<any>;
  /** Options the kit starts servers with (host 127.0.0.1, port 0, then the caller's). */
  serverOptions: Record<string, unknown>;
  /** The server shared by the checks that need no special options. */
  server(): StartedServer<any>;
  /** False when the parsed options say `keepAlive: false`: every answer must then close. */
  keepsAlive: boolean;
  /** Set when the server refuses connections whose fd is >= this (select: FD_SETSIZE = 1024). */
  fdLimit?: number;
}

/** A conformance check: throws (assert) on failure. */
export type Check = (env: CheckEnv) => Promise<void>;

/**
 * Starts a server of its own for a check that needs other options (`bodySize`, the timeouts). When
 * the plugin's schema refuses them, says which options the check needs and where they come from.
 */
export async function startWith(env: CheckEnv, extra: Record<string, unknown>): Promise<StartedServer<any>> {
  try {
    return await startServerPlugin(env.plugin, { ...env.serverOptions, ...extra });
  } catch (error) {
    throw new Error(
      `this check starts the server with ${JSON.stringify(extra)}: every iobench server takes the common server options (host, port, backlog, bodySize, work, keepAlive, headerTimeoutMs, idleTimeoutMs: spread commonServerOptions from the iobench serving package into its schema). ${(error as Error).message}`,
      { cause: error },
    );
  }
}
