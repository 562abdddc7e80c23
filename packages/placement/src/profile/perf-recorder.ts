/**
 * `perf record` attached to a running process, sampling on the software clock (`cpu-clock`:
 * hardware counters are missing on many VMs) with call graphs. It starts with its events disabled
 * and is switched on and off through perf's control descriptors, so that it samples the measured
 * phase only while its own start-up (which takes a while) happens before it.
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
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
  pid: number;
  /** Where perf writes its data. */
  dataPath: string;
  /** Samples per second per thread (default 999: off the beat of periodic timers). */
  frequencyHz?: number;
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

  /** Attaches perf to `pid` with sampling off; resolves once perf is attached. */
  static async start(opts: PerfRecordOptions): Promise<PerfRecording> {
    const args = [
      'record',
      '-e',
      'cpu-clock',
      '-F',
      String(opts.frequencyHz ?? 999),
      '-g',
      '-p',
      String(opts.pid),
      '-o',
      opts.dataPath,
      '-D',
      '-1',
      '--control',
      'fd:3,4',
    ];
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

/** `perf script` of a data file, as text (inline expansion off: it is slow and adds little here). */
export async function perfScript(dataPath: string): Promise<string> {
  const perf = dieWithParent('perf', ['script', '-i', dataPath, '--no-inline']);
  const { stdout } = await execFileAsync(perf.file, perf.args, {
    maxBuffer: 1 << 30,
    encoding: 'utf8',
  });
  return stdout;
}
