/**
 * `strace -c -f` attached to a running process: counts every syscall of every thread (the I/O
 * loop's and Node's own), to cross-check the syscall layer's counters. strace stops each thread at
 * every syscall, so a point measured under it runs far slower: read its counts, not its speed.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { dieWithParent, IobenchError } from '@iobench/core';
import createDebug from 'debug';

const debug = createDebug('iobench:profile');
const ATTACH_TIMEOUT_MS = 10_000;
const STOP_TIMEOUT_MS = 10_000;

/** One row of `strace -c`. */
export interface StraceSyscallCount {
  calls: number;
  errors: number;
  /** Seconds spent in the syscall, as strace measured it. */
  seconds: number;
}

export class StraceRecording {
  private stderr = '';
  private readonly exited: Promise<number | null>;

  private constructor(
    private readonly child: ChildProcess,
    private readonly summaryPath: string,
  ) {
    this.exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
    child.stderr?.setEncoding('utf8').on('data', (d: string) => {
      this.stderr = (this.stderr + d).slice(-4000);
    });
  }

  /** Attaches to every thread of `pid`; resolves once strace says it is attached. */
  static async start(pid: number, summaryPath: string): Promise<StraceRecording> {
    const strace = dieWithParent('strace', ['-c', '-f', '-p', String(pid), '-o', summaryPath]);
    const child = spawn(strace.file, strace.args, {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    const recording = new StraceRecording(child, summaryPath);
    const started = Date.now();
    while (!/attached/.test(recording.stderr)) {
      if (child.exitCode !== null || child.signalCode !== null || Date.now() - started > ATTACH_TIMEOUT_MS) {
        recording.kill();
        throw new IobenchError(
          'IOBENCH_PROFILE_FAILED',
          `strace could not attach to pid ${pid}: ${recording.stderr.trim() || 'no answer'}`,
          {
            suggestions: [
              'Install strace (apt-get install strace) and allow ptrace (run as root, or kernel.yama.ptrace_scope=0).',
            ],
          },
        );
      }
      await new Promise((r) => setTimeout(r, 10));
    }
    debug('strace attached to %d', pid);
    return recording;
  }

  /** Detaches and returns the counts by syscall name. */
  async stop(): Promise<Record<string, StraceSyscallCount>> {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGINT');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), STOP_TIMEOUT_MS);
    await this.exited.finally(() => clearTimeout(timer));
    return parseStraceSummary(await readFile(this.summaryPath, 'utf8'));
  }

  kill(): void {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGKILL');
  }
}

/** Parses the table `strace -c` prints (`% time  seconds  usecs/call  calls  errors  syscall`). */
export function parseStraceSummary(text: string): Record<string, StraceSyscallCount> {
  const out: Record<string, StraceSyscallCount> = {};
  for (const line of text.split('\n')) {
    const match = /^\s*[\d.]+\s+([\d.]+)\s+(?:\d+\s+)?(\d+)\s+(?:(\d+)\s+)?([a-z_][a-z0-9_]*)\s*$/.exec(line);
    if (!match || match[4] === 'total') continue;
    out[match[4]!] = { calls: Number(match[2]), errors: Number(match[3] ?? 0), seconds: Number(match[1]) };
  }
  return out;
}
