/** Starting a server plugin in-process the way the server host does, for tests. */
import type { ServerContext, ServerHandle, ServerPlugin, ServerStats } from '../plugin/contract.js';

/** A server plugin started by `startServerPlugin`. */
export interface StartedServer<Options = unknown> {
  handle: ServerHandle;
  /** The options after the plugin's schema parsed them (defaults applied). */
  options: Options;
  /** Host and port from `handle.url` (IPv6 without brackets). */
  host: string;
  port: number;
}

/**
 * Validates `rawOptions` with the plugin's Standard Schema, then calls `plugin.start` with a context
 * whose logger is silent and whose signal never aborts. Throws naming the plugin and every issue when
 * the options do not validate.
 */
export async function startServerPlugin<Options>(
  plugin: ServerPlugin<Options>,
  rawOptions: Record<string, unknown> = {},
): Promise<StartedServer<Options>> {
  const result = await plugin.options['~standard'].validate(rawOptions);
  if (result.issues !== undefined) {
    const issues = result.issues
      .map(
        (i) =>
          `${(i.path ?? []).map((p) => (typeof p === 'object' ? p.key : p)).join('.') || '(options)'}: ${i.message}`,
      )
      .join('; ');
    throw new Error(`server plugin "${plugin.name}": options ${JSON.stringify(rawOptions)} do not validate: ${issues}`);
  }
  const ctx: ServerContext = { log: () => {}, signal: new AbortController().signal };
  const handle = await plugin.start(ctx, result.value);
  const url = new URL(handle.url);
  const host = url.hostname.startsWith('[') ? decodeURIComponent(url.hostname.slice(1, -1)) : url.hostname;
  const port = Number(url.port || 80);
  return { handle, options: result.value, host, port };
}

/**
 * A copy of the server's `stats()`: a plugin may return its live counters object, and a check that
 * compares before with after must not compare that object with itself.
 */
export async function statsSnapshot(handle: ServerHandle): Promise<ServerStats> {
  return structuredClone(await handle.stats());
}

/** Polls `probe` every 20 ms until it returns true; rejects with `describe()` after `timeoutMs`. */
export async function eventually(
  probe: () => boolean | Promise<boolean>,
  timeoutMs: number,
  describe: () => string | Promise<string>,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await probe()) return;
    if (Date.now() > deadline) throw new Error(`${await describe()} (waited ${timeoutMs} ms)`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
