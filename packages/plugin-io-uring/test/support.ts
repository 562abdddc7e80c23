/**
 * The io-uring behaviour tests' vocabulary (exchange, parse, start, eventually) as thin adapters
 * over `@iobench/core/testing`'s raw HTTP client, so there is one client in the repository.
 */
import type { ServerHandle, ServerPlugin } from '@iobench/core';
import { getRequest, parseHttpResponses, RawConnection, startServerPlugin } from '@iobench/core/testing';

export const GET = getRequest();

export interface TestResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** Complete responses at the start of `text` (Latin-1). */
export function parseResponses(text: string): { responses: TestResponse[] } {
  const { responses } = parseHttpResponses(Buffer.from(text, 'latin1'));
  return {
    responses: responses.map((r) => ({ status: r.status, headers: r.headers, body: r.body.toString('latin1') })),
  };
}

/** Connects to `url`, writes `payload`, and collects responses until `responses` arrived, the server closed, or the timeout. */
export async function exchange(
  url: string,
  payload: string,
  options: { responses?: number; timeoutMs?: number } = {},
): Promise<{ responses: TestResponse[]; closed: boolean }> {
  const { hostname, port } = new URL(url);
  const connection = await RawConnection.connect(hostname.replace(/^\[|\]$/g, ''), Number(port));
  const timeoutMs = options.timeoutMs ?? 5000;
  try {
    connection.write(payload);
    // readResponses consumes what it parses; after a close, what arrived is still unread.
    const raw =
      options.responses !== undefined
        ? await connection.readResponses(options.responses, timeoutMs).catch(() => [])
        : await connection.waitForClose(timeoutMs).then(
            () => parseHttpResponses(connection.received, true).responses,
            () => parseHttpResponses(connection.received).responses,
          );
    const responses = raw.map((r) => ({ status: r.status, headers: r.headers, body: r.body.toString('latin1') }));
    return { responses, closed: connection.closed };
  } finally {
    connection.destroy();
  }
}

/** Starts `plugin` in this process with `options` through its schema. */
export async function startPlugin(
  plugin: ServerPlugin<any>,
  options: Record<string, unknown> = {},
): Promise<ServerHandle> {
  return (await startServerPlugin(plugin, options)).handle;
}

/** Retries `check` until it passes or `timeoutMs` ends (counters are updated by another thread). */
export async function eventually(check: () => void | Promise<void>, timeoutMs = 3000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }
}
