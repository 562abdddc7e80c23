/**
 * A server plugin in a process of its own, optionally under a wrapper command such as
 * `strace -f -c` or `prlimit`, for tests that trace or limit that process.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import type { ServerStats } from '../plugin/contract.js';
import { siblingModule } from '../plugin/module-worker.js';

/** A server started by `startChildServer`. */
export interface ChildServer {
  url: string;
  /** The server's process id (not the wrapper's). */
  pid: number;
  /** Stops the server (SIGTERM), waits for the process and its wrapper to exit, returns its last stats. */
  stop(): Promise<ServerStats>;
}

/** What to start and how. */
export interface ChildServerOptions {
  /** file: URL (or specifier resolvable from core) of the module that default-exports the plugin. */
  moduleUrl: string;
  /** The server plugin's name in that module. */
  name: string;
  /** Raw options for the plugin's schema. */
  options?: Record<string, unknown>;
  /** Command the server process runs under, e.g. `['strace', '-f', '-c', '-o', file]`. */
  wrapper?: string[];
}

/**
 * Starts the server in a child Node process (with this process's flags, so that tests running from
 * TypeScript sources start it from sources too) and resolves once it serves.
 */
export async function startChildServer(opts: ChildServerOptions): Promise<ChildServer> {
  const entry = siblingModule(import.meta.url, 'serve-plugin').pathname;
  const command = [
    ...(opts.wrapper ?? []),
    process.execPath,
    ...process.execArgv,
    entry,
    opts.moduleUrl,
    opts.name,
    JSON.stringify(opts.options ?? {}),
  ];
  const child: ChildProcess = spawn(command[0]!, command.slice(1), { stdio: ['ignore', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
  const first = await lines.next();
  if (first.done === true) {
    child.kill();
    throw new Error(`server "${opts.name}" exited before serving: ${command.join(' ')}`);
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
