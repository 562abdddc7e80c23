/**
 * Runs the native plugin with 400 connections against the URL in argv[2] (engine in argv[3]) and prints the outcome as
 * JSON; the test starts it under a low `ulimit -n` to see what a user sees when descriptors run out.
 */
import native, { nativeOptionsSchema } from '../../src/index.js';

try {
  const result = await native.run(
    {
      log: () => {},
      signal: new AbortController().signal,
      params: { connections: 400, durationMs: 300, threads: 1, pipelining: 1, timeoutMs: 2000 },
    },
    { url: process.argv[2]! },
    nativeOptionsSchema.parse({ engine: process.argv[3] ?? 'epoll' }),
  );
  console.log(JSON.stringify({ requests: result.requests }));
} catch (err) {
  console.log(
    JSON.stringify({ error: (err as Error).message, suggestions: (err as { suggestions?: string[] }).suggestions }),
  );
}
