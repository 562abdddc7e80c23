/**
 * Runs one wrk process to completion: stops it on time or on abort with SIGINT so that it still
 * reports, reports progress, samples its CPU, and makes sure it never outlives the run, even a
 * SIGKILLed one. wrk gives nothing while it runs (its stdout is a pipe, so even its banner is
 * buffered), so progress carries elapsed time only.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dieWithParent, type LoadContext } from '@iobench/core';
import { readProcessCpuUs } from './proc-cpu.js';

/** wrk only looks at its stop flag every 100 ms, and SIGINT is ignored until its threads run: resend. */
const SIGINT_RESEND_MS = 200;
/** After asking wrk to stop: time for it to finish and write its report before SIGKILL. */
const STOP_GRACE_MS = 10_000;
/**
 * Before the hard deadline: when a wrk that has not stopped by itself is asked to (SIGINT), and when
 * it is killed (SIGKILL), leaving the last part for reading its report.
 */
const DEADLINE_STOP_MS = 1000;
const DEADLINE_KILL_MS = 500;
const MAX_CAPTURE_BYTES = 64 * 1024;
const PROGRESS_INTERVAL_MS = 1000;
/** How often to look for wrk's started marker when a sub-second stop must be timed from it. */
const START_POLL_MS = 5;

export interface WrkExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  spawnError?: Error;
  stdout: string;
  stderr: string;
  /** wrk's CPU at the last sample taken while it ran. */
  lastCpuUs?: number;
  /** True when wrk was still running at the hard deadline and was killed. */
  killedAtDeadline: boolean;
}

/**
 * Runs wrk to completion. Stops it with SIGINT (resent until it exits, and only once `startedPath`
 * shows wrk ignores or handles SIGINT) at `stopAfterMs`, on abort, or shortly before the hard
 * deadline `deadlineMs`; SIGKILLs it if it has not exited STOP_GRACE_MS later or at the deadline,
 * whichever comes first, and also if this process exits first, so no wrk outlives the run.
 */
export function superviseWrk(
  ctx: LoadContext,
  file: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  startedPath: string,
  command: { durationS: number; stopAfterMs?: number; deadlineMs: number },
): Promise<WrkExit> {
  return new Promise((resolve) => {
    const startedAt = performance.now();
    // Dies with iobench even when iobench is SIGKILLed (the 'exit' handler below cannot run then).
    const tied = dieWithParent(file, args);
    const child = spawn(tied.file, tied.args, { stdio: ['ignore', 'pipe', 'pipe'], env });
    const out = capture(child.stdout);
    const err = capture(child.stderr);
    const timers: NodeJS.Timeout[] = [];
    let lastCpuUs: number | undefined;
    let stopping = false;
    let spawnError: Error | undefined;

    const interrupt = () => {
      if (child.exitCode === null && child.signalCode === null && existsSync(startedPath)) child.kill('SIGINT');
    };
    const stop = () => {
      if (stopping) return;
      stopping = true;
      interrupt();
      timers.push(setInterval(interrupt, SIGINT_RESEND_MS));
      timers.push(setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS));
    };
    const killOnExit = () => child.kill('SIGKILL');
    process.once('exit', killOnExit);
    ctx.signal.addEventListener('abort', stop, { once: true });

    if (command.stopAfterMs !== undefined) {
      const stopAfterMs = command.stopAfterMs;
      // Count the duration from when wrk has loaded its script, not from spawn: on a busy machine
      // start-up alone can take a good part of a sub-second run.
      const waitForStart = setInterval(() => {
        if (!existsSync(startedPath)) return;
        clearInterval(waitForStart);
        timers.push(setTimeout(stop, stopAfterMs));
      }, START_POLL_MS);
      timers.push(waitForStart);
    }
    // The hard deadline (a performance.now() time): stop, then kill, whatever wrk is doing.
    let killedAtDeadline = false;
    const untilDeadline = command.deadlineMs - performance.now();
    timers.push(setTimeout(stop, Math.max(0, untilDeadline - DEADLINE_STOP_MS)));
    timers.push(
      setTimeout(
        () => {
          if (child.exitCode !== null || child.signalCode !== null) return;
          killedAtDeadline = true;
          child.kill('SIGKILL');
        },
        Math.max(0, untilDeadline - DEADLINE_KILL_MS),
      ),
    );
    timers.push(
      setInterval(() => {
        ctx.onProgress?.({ elapsedMs: Math.round(performance.now() - startedAt), requests: 0, errors: 0 });
        if (child.pid !== undefined) {
          void readProcessCpuUs(child.pid).then((us) => {
            if (us !== undefined) lastCpuUs = us;
          });
        }
      }, PROGRESS_INTERVAL_MS),
    );

    let finished = false;
    const finish = (code: number | null, signal: NodeJS.Signals | null) => {
      if (finished) return;
      finished = true;
      for (const t of timers) clearTimeout(t);
      process.removeListener('exit', killOnExit);
      ctx.signal.removeEventListener('abort', stop);
      resolve({ code, signal, spawnError, stdout: out(), stderr: err(), lastCpuUs, killedAtDeadline });
    };
    child.on('error', (error) => {
      spawnError = error;
      // A process that never started emits no 'close' we can count on.
      if (child.pid === undefined) finish(null, null);
    });
    child.on('close', finish);
  });
}

/** Collects up to MAX_CAPTURE_BYTES of a stream; returns a getter for the text. */
function capture(stream: NodeJS.ReadableStream | null): () => string {
  const chunks: Buffer[] = [];
  let size = 0;
  stream?.on('data', (chunk: Buffer) => {
    if (size >= MAX_CAPTURE_BYTES) return;
    chunks.push(chunk);
    size += chunk.length;
  });
  return () => Buffer.concat(chunks).toString('utf8').slice(0, MAX_CAPTURE_BYTES);
}
