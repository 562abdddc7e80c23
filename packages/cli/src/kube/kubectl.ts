/**
 * kubectl as `kube run` calls it: every call bounded by a timeout and by the run's abort signal, and
 * a failure that names the step, the command line and kubectl's own stderr.
 */
import { spawn } from 'node:child_process';
import { InterruptedError, ToolError } from '@iobench/core';
import createDebug from 'debug';
import { shellQuote } from './yaml-files.js';

const debug = createDebug('iobench:kube');

/** What every call shares: global flags such as `--context` and `--namespace`, and bounds. */
export interface KubectlOptions {
  /** Prepended to every call, e.g. `['--namespace', 'bench']`. */
  globalArgs: string[];
  /** Longest a call may take unless it says otherwise. */
  timeoutMs: number;
  signal: AbortSignal;
}

/** One call's extras: the step it belongs to (for errors), stdin, and a longer bound for waits. */
export interface KubectlCall {
  step: string;
  stdin?: string;
  timeoutMs?: number;
  /** Runs even after the abort (the cleanup of an interrupted run). */
  uninterruptible?: boolean;
}

/** Thrown when kubectl exits non-zero, cannot be started, or outlives its bound. */
export class KubectlError extends ToolError {}

export type Kubectl = (args: string[], call: KubectlCall) => Promise<string>;

/** A kubectl runner; resolves with stdout. */
export function kubectl(options: KubectlOptions): Kubectl {
  return (args, call) =>
    new Promise((resolve, reject) => {
      const argv = [...options.globalArgs, ...args];
      const line = ['kubectl', ...argv].map(shellQuote).join(' ');
      const signal = call.uninterruptible ? new AbortController().signal : options.signal;
      if (signal.aborted) return reject(new InterruptedError(`interrupted before ${call.step}`));
      debug('%s: %s', call.step, line);
      const child = spawn('kubectl', argv, { stdio: ['pipe', 'pipe', 'pipe'] });
      const timeoutMs = call.timeoutMs ?? options.timeoutMs;
      let stdout = '';
      let stderr = '';
      let ended: 'timeout' | 'abort' | undefined;
      const stop = (why: 'timeout' | 'abort') => {
        ended = why;
        child.kill('SIGTERM');
      };
      const timer = setTimeout(() => stop('timeout'), timeoutMs);
      const onAbort = () => stop('abort');
      signal.addEventListener('abort', onAbort, { once: true });
      child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
      child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
      child.stdin.on('error', () => {}); // kubectl may exit before reading stdin; its exit code says why
      child.stdin.end(call.stdin ?? '');
      const finish = (error?: Error) => {
        clearTimeout(timer);
        signal.removeEventListener('abort', onAbort);
        if (error) reject(error);
        else resolve(stdout);
      };
      child.on('error', (error: NodeJS.ErrnoException) =>
        finish(
          new KubectlError(`${call.step}: \`${line}\` could not start: ${error.message}`, {
            cause: error,
            suggestions: error.code === 'ENOENT' ? ['install kubectl and put it on PATH'] : [],
          }),
        ),
      );
      child.on('close', (code, signal) => {
        if (ended === 'abort') return finish(new InterruptedError(`interrupted while ${call.step}`));
        if (ended === 'timeout') {
          return finish(
            new KubectlError(
              `${call.step}: \`${line}\` did not finish within ${Math.round(timeoutMs / 1000)} s${tail(stderr)}`,
            ),
          );
        }
        if (code !== 0) {
          return finish(
            new KubectlError(`${call.step}: \`${line}\` exited ${code ?? signal}${tail(stderr) || ' (no stderr)'}`),
          );
        }
        finish();
      });
    });
}

/** kubectl's stderr, trimmed to its last lines, after a colon. */
function tail(stderr: string): string {
  const lines = stderr.trim().split('\n').filter(Boolean).slice(-10);
  return lines.length ? `: ${lines.join('\n  ')}` : '';
}
