/**
 * A server plugin in its own process (the serve-plugin fixture), optionally under a wrapper command
 * such as `strace -f -c` or `prlimit --nofile=64`, for tests that need to trace or limit that process.
 */

import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import type { ServerStats } from '@iobench/core';

const SERVE = new URL('../fixtures/serve-plugin.ts', import.meta.url).pathname;

export interface ChildServer {
  url: string;
  /** The server's process id. */
  pid: number;
  /** Stops the server (SIGTERM), waits for the process (and its wrapper) to exit, returns its last stats. */
  stop(): Promise<ServerStats>;
}

/** Starts `name` from package `pkg` with `options` in a child process, prefixed by `wrapper`. */
export async function startChildServer(
  wrapper: string[],
  pkg: string,
  name: string,
  options: Record<string, unknown> = {},
): Promise<ChildServer> {
  const argv = [
    process.execPath,
    '--conditions=@iobench/source',
    '--import',
    'tsx',
    SERVE,
    pkg,
    name,
    JSON.stringify(options),
  ];
  const command = [...wrapper, ...argv];
  const child: ChildProcess = spawn(command[0]!, command.slice(1), { stdio: ['ignore', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
  const first = await lines.next();
  if (first.done === true) {
    child.kill();
    throw new Error(`server process exited before serving: ${command.join(' ')}`);
  }
  const { url, pid } = JSON.parse(first.value as string) as { url: string; pid: number };
  return {
    url,
    pid,
    async stop() {
      try {
        process.kill(pid, 'SIGTERM');
        const next = await lines.next();
        if (child.exitCode === null) await once(child, 'exit');
        return (JSON.parse(next.value as string) as { stats: ServerStats }).stats;
      } finally {
        child.kill();
      }
    },
  };
}
