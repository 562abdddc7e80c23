/**
 * `perf record` of the whole machine (`-a`) with call graphs, for one server host that
 * `perf script --pid` picks out afterwards. It starts with its events disabled and is switched on
 * and off through perf's control descriptors, so that it samples the measured phase only while its
 * own start-up (which takes a while) happens before it.
 *
 * Why system-wide and not `-p PID`: `-p` opens one counter per thread that exists when perf
 * attaches, and a thread created later inherits a counter of its own that starts from zero. A
 * `cpu-clock` counter samples every 1/F s of *its thread's* run time, so a request thread that lives
 * 50 µs is never sampled (measured on epoll-thread: 27 of 508 samples under start_thread, none under
 * ret_from_fork), and every clone pays for copying perf's counters (perf_event_init_task showed up in
 * clone3). Per-CPU counters (`-a`) sample whatever runs on the CPU, threads born a moment ago
 * included, and cost a thread's creation nothing; they also see the switch *into* a server thread,
 * which runs in another task's context (off-CPU pairing needs it).
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import { promisify } from 'node:util';
import { dieWithParent, IobenchError } from '@iobench/core';
import createDebug from 'debug';

const debug = createDebug('iobench:profile');
const execFileAsync = promisify(execFile);

/** Milliseconds perf gets to attach, to acknowledge a command, and to write its file on stop. */
const READY_TIMEOUT_MS = 15_000;
const ACK_TIMEOUT_MS = 5_000;
const STOP_TIMEOUT_MS = 30_000;

export interface PerfRecordOptions {
  /** Where perf writes its data. */
  dataPath: string;
  /** What to record, as perf arguments, e.g. `['-e', 'cpu-clock', '-F', '999']`. */
  events: string[];
}

/** A running `perf record`: enable/disable sampling, then stop to get the data file. */
export class PerfRecording {
  private stderr = '';
  private readonly exited: Promise<number | null>;

  private constructor(
    private readonly child: ChildProcess,
    readonly dataPath: string,
  ) {
    this.exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
    child.stderr?.setEncoding('utf8').on('data', (d: string) => {
      this.stderr = (this.stderr + d).slice(-4000);
    });
  }

  /** Starts perf system-wide with sampling off; resolves once perf is ready. */
  static async start(opts: PerfRecordOptions): Promise<PerfRecording> {
    const args = ['record', ...opts.events, '-g', '-a', '-o', opts.dataPath, '-D', '-1', '--control', 'fd:3,4'];
    debug('perf %s', args.join(' '));
    // fd 3: commands to perf; fd 4: perf's acknowledgements.
    const perf = dieWithParent('perf', args);
    const child = spawn(perf.file, perf.args, { stdio: ['ignore', 'ignore', 'pipe', 'pipe', 'pipe'] });
    const recording = new PerfRecording(child, opts.dataPath);
    await recording.waitFor(() => /Events disabled/.test(recording.stderr), READY_TIMEOUT_MS, 'attach');
    return recording;
  }

  /** Starts sampling. */
  enable(): Promise<void> {
    return this.command('enable');
  }

  /** Stops sampling (perf keeps running until `stop`). */
  disable(): Promise<void> {
    return this.command('disable');
  }

  /** Ends perf and waits for it to write its data file. */
  async stop(): Promise<void> {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGINT');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), STOP_TIMEOUT_MS);
    const code = await this.exited.finally(() => clearTimeout(timer));
    if (code !== 0 && !/Captured and wrote/.test(this.stderr)) throw this.error('stop', `exited with code ${code}`);
  }

  /** Kills perf without waiting for its data (on failures and Ctrl-C). */
  kill(): void {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGKILL');
  }

  private async command(name: 'enable' | 'disable'): Promise<void> {
    const ack = this.child.stdio[4] as Readable;
    let acked = '';
    const onData = (d: Buffer) => {
      acked += d.toString('latin1');
    };
    ack.on('data', onData);
    try {
      (this.child.stdio[3] as Writable).write(`${name}\n`);
      await this.waitFor(() => acked.includes('ack'), ACK_TIMEOUT_MS, name);
    } finally {
      ack.off('data', onData);
    }
  }

  private waitFor(done: () => boolean, timeoutMs: number, what: string): Promise<void> {
    return new Promise((resolve, reject) => {
      const started = Date.now();
      const tick = () => {
        if (done()) return resolve();
        if (this.child.exitCode !== null || this.child.signalCode !== null)
          return reject(this.error(what, 'perf exited'));
        if (Date.now() - started > timeoutMs) {
          this.kill();
          return reject(this.error(what, `no answer within ${timeoutMs / 1000} s`));
        }
        setTimeout(tick, 10);
      };
      tick();
    });
  }

  private error(what: string, why: string): IobenchError {
    return new IobenchError(
      'IOBENCH_PROFILE_FAILED',
      `perf record (${what}) failed: ${why}${this.stderr ? `: ${this.stderr.trim()}` : ''}`,
      {
        suggestions: [
          'Run `iobench doctor`: perf must be installed and kernel.perf_event_paranoid low enough (or run as root).',
        ],
      },
    );
  }
}

/**
 * `perf script` of a data file, as text (inline expansion off: it is slow and adds little here).
 * `pid` keeps the samples of that process's threads only; `fields` is perf's `-F` list.
 */
export async function perfScript(dataPath: string, opts: { pid?: number; fields?: string } = {}): Promise<string> {
  const args = ['script', '-i', dataPath, '--no-inline'];
  if (opts.pid !== undefined) args.push('--pid', String(opts.pid));
  if (opts.fields !== undefined) args.push('-F', opts.fields);
  const perf = dieWithParent('perf', args);
  const { stdout } = await execFileAsync(perf.file, perf.args, {
    maxBuffer: 1 << 30,
    encoding: 'utf8',
  });
  return stdout;
}

/**
 * `perf script` of a data file, line by line to `onLine` (an off-CPU recording of a busy second is
 * millions of lines: streamed, never held as one string).
 */
export async function perfScriptLines(dataPath: string, fields: string, onLine: (line: string) => void): Promise<void> {
  const perf = dieWithParent('perf', ['script', '-i', dataPath, '--no-inline', '-F', fields]);
  const child = spawn(perf.file, perf.args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (d: string) => {
    stderr = (stderr + d).slice(-2000);
  });
  const exited = new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => resolve(code));
  });
  for await (const line of createInterface({ input: child.stdout, crlfDelay: Infinity })) onLine(line);
  const code = await exited;
  if (code !== 0)
    throw new IobenchError(
      'IOBENCH_PROFILE_FAILED',
      `perf script -i ${dataPath} exited with code ${code}: ${stderr.trim()}`,
    );
}
