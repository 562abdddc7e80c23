/**
 * The parent side of a server host: spawns the host process (pinned when asked), starts a server
 * plugin in it, asks for stats, and stops it — killing it when it does not stop in time, so that no
 * process or port outlives a point. The host dies with iobench even when iobench is SIGKILLed
 * (die-with-parent.ts).
 */
import { type ChildProcess, fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { ServerStats } from '@iobench/core';
import { parentDeathPrefix, ServerError } from '@iobench/core';
import createDebug from 'debug';
import type { HostToParent, HostUsage, ParentToHost, SerializedError } from './host-protocol.js';

const debug = createDebug('iobench:server-process');

/** Milliseconds a server gets to start, and to stop before it is killed. */
const START_TIMEOUT_MS = 15_000;
const STOP_TIMEOUT_MS = 2_000;

// Under tsx (tests) this module is .ts and so is the host beside it; built, both are .js.
const HOST_ENTRY = fileURLToPath(
  new URL(`./server-host${import.meta.url.endsWith('.ts') ? '.ts' : '.js'}`, import.meta.url),
);

export interface StartServerProcessOptions {
  moduleUrl: string;
  plugin: string;
  options: Record<string, unknown>;
  /** Pins the host once it is forked, before its server starts (e.g. to `--server-cpus`). */
  pin?: (pid: number) => Promise<void>;
  /** Node flags added to the host's (e.g. `--perf-basic-prof` when profiling). */
  extraExecArgv?: string[];
  /** Wraps the (synchronous) fork, e.g. to fork inside a network namespace. */
  forkWithin?: <T>(fork: () => T) => T;
  /** How the user sets the port, for the hint when it is taken (default `--server-opt port=N`). */
  portSetting?: string;
}

export interface ServerSnapshot {
  stats: ServerStats;
  usage: HostUsage;
}

export class ServerProcess {
  readonly url: string;
  readonly pid: number;
  /** Resolves when the host process exits, for whatever reason. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  private exitInfo: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  private lastError: SerializedError | undefined;
  private nextId = 1;
  private stopRequested = false;

  private constructor(
    private readonly child: ChildProcess,
    url: string,
    exited: ServerProcess['exited'],
    private readonly pluginName: string,
  ) {
    this.url = url;
    this.pid = child.pid!;
    this.exited = exited;
    exited.then((info) => {
      this.exitInfo = info;
    });
    child.on('message', (m: HostToParent) => {
      if (m.type === 'error') this.lastError = m.error;
    });
  }

  /** Spawns a host, starts the plugin, and resolves once it serves. */
  static async start(opts: StartServerProcessOptions): Promise<ServerProcess> {
    const execArgv = [...process.execArgv, ...(opts.extraExecArgv ?? [])];
    const tie = parentDeathPrefix();
    const spawnHost = () =>
      fork(HOST_ENTRY, [], {
        // fork runs `execPath ...execArgv HOST_ENTRY`: through setpriv, node is the first of execArgv.
        ...(tie ? { execPath: tie[0], execArgv: [...tie.slice(1), process.execPath, ...execArgv] } : { execArgv }),
        stdio: ['ignore', 'inherit', 'pipe', 'ipc'],
        env: process.env,
      });
    const child = opts.forkWithin ? opts.forkWithin(spawnHost) : spawnHost();
    let stderr = '';
    child.stderr?.setEncoding('utf8').on('data', (d: string) => {
      stderr = (stderr + d).slice(-4000);
      if (createDebug.enabled('iobench:host')) process.stderr.write(d);
    });
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
      child.once('exit', (code, signal) => resolve({ code, signal }));
    });
    if (opts.pin) await opts.pin(child.pid!);
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        reject(
          new ServerError(
            'IOBENCH_SERVER_START_FAILED',
            `server "${opts.plugin}" did not become ready within ${START_TIMEOUT_MS / 1000} s`,
            { plugin: opts.plugin },
          ),
        );
      }, START_TIMEOUT_MS);
      child.on('message', (m: HostToParent) => {
        if (m.type === 'ready') {
          clearTimeout(timer);
          resolve(m.url);
        } else if (m.type === 'error' && m.phase === 'start') {
          clearTimeout(timer);
          reject(startError(opts.plugin, m.error, opts.portSetting ?? '--server-opt port=N'));
        }
      });
      void exited.then(({ code, signal }) => {
        clearTimeout(timer);
        reject(
          new ServerError(
            'IOBENCH_SERVER_START_FAILED',
            `server "${opts.plugin}" exited before it was ready (${signal ?? `code ${code}`})${stderr ? `: ${stderr.trim()}` : ''}`,
            {
              plugin: opts.plugin,
            },
          ),
        );
      });
      send(child, { type: 'start', moduleUrl: opts.moduleUrl, plugin: opts.plugin, options: opts.options });
    }).catch(async (error) => {
      await killAndWait(child, exited);
      throw error;
    });
    debug('server %s (pid %d) ready at %s', opts.plugin, child.pid, url);
    return new ServerProcess(child, url, exited, opts.plugin);
  }

  /** True while the host process is alive. */
  get alive(): boolean {
    return this.exitInfo === undefined;
  }

  /** Asks the host for the plugin's counters and the process's CPU and context switches. */
  snapshot(timeoutMs = 5_000): Promise<ServerSnapshot> {
    const id = this.nextId++;
    return new Promise<ServerSnapshot>((resolve, reject) => {
      const onMessage = (m: HostToParent) => {
        if (m.type === 'stats' && m.id === id) {
          cleanup();
          resolve({ stats: m.stats, usage: m.usage });
        } else if (m.type === 'error' && m.phase === 'stats') {
          cleanup();
          reject(
            new ServerError(
              'IOBENCH_SERVER_DIED',
              `server "${this.pluginName}" failed in stats(): ${m.error.message}`,
              { plugin: this.pluginName },
            ),
          );
        }
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(
          new ServerError(
            'IOBENCH_SERVER_DIED',
            `server "${this.pluginName}" did not answer stats within ${timeoutMs} ms`,
            { plugin: this.pluginName },
          ),
        );
      }, timeoutMs);
      const onExit = () => {
        cleanup();
        reject(this.diedError());
      };
      const cleanup = () => {
        clearTimeout(timer);
        this.child.off('message', onMessage);
        this.child.off('exit', onExit);
      };
      this.child.on('message', onMessage);
      this.child.once('exit', onExit);
      if (!this.alive) onExit();
      else send(this.child, { type: 'stats', id });
    });
  }

  /** The error describing an unexpected exit of the host. */
  diedError(): ServerError {
    const how = this.exitInfo ? (this.exitInfo.signal ?? `exit code ${this.exitInfo.code}`) : 'unknown cause';
    const why = this.lastError ? `: ${this.lastError.message}` : '';
    return new ServerError(
      'IOBENCH_SERVER_DIED',
      `server "${this.pluginName}" (pid ${this.pid}) died during the point (${how})${why}`,
      {
        plugin: this.pluginName,
      },
    );
  }

  /** Whether the host exited without being asked to. */
  get diedUnexpectedly(): boolean {
    return !this.alive && !this.stopRequested;
  }

  /** Stops the server; kills the host if it has not exited within 2 s. Idempotent. */
  async stop(): Promise<void> {
    this.stopRequested = true;
    if (!this.alive) return;
    send(this.child, { type: 'stop' });
    const timedOut = await Promise.race([this.exited.then(() => false), delay(STOP_TIMEOUT_MS).then(() => true)]);
    if (timedOut) {
      debug('server %s did not stop within %d ms; killing', this.pluginName, STOP_TIMEOUT_MS);
      await killAndWait(this.child, this.exited);
    }
  }

  /** Kills the host at once (used on Ctrl-C and on failures). */
  async kill(): Promise<void> {
    this.stopRequested = true;
    await killAndWait(this.child, this.exited);
  }
}

function startError(plugin: string, error: SerializedError, portSetting: string): ServerError {
  const suggestions: string[] = [];
  if (error.code === 'EADDRINUSE') suggestions.push(`Choose another port with ${portSetting}, or 0 for a free one.`);
  return new ServerError('IOBENCH_SERVER_START_FAILED', `server "${plugin}" failed to start: ${error.message}`, {
    plugin,
    suggestions,
  });
}

function send(child: ChildProcess, message: ParentToHost): void {
  if (child.connected) child.send(message);
}

async function killAndWait(child: ChildProcess, exited: Promise<unknown>): Promise<void> {
  if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  await exited;
}

/** A wait that does not keep the process alive: a pending one held every run open for 2 s after its last server stopped. */
function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
