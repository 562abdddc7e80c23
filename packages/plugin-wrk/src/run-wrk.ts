/**
 * One wrk run: spawn wrk (under taskset when pinned), stop it on time or on abort with SIGINT so it
 * still reports, sample its CPU, and turn its Lua report into a LoadResult. wrk gives nothing while
 * it runs (its stdout is a pipe, so even its banner is buffered), so progress carries elapsed time only.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  TargetUnreachableError,
  ToolError,
  createLatencyHistogram,
  encodeHistogram,
  type LoadContext,
  type LoadResult,
  type LoadTarget,
} from '@iobench/core';
import { findExecutable } from './find-executable.js';
import { REPORT_PATH_ENV, buildLuaScript } from './lua-script.js';
import { probeCloseDelimited } from './probe-framing.js';
import { clockTicksPerSecond, parseProcStatCpuTicks, readProcessCpuUs, ticksToUs } from './proc-cpu.js';
import { buildWrkCommand } from './wrk-command.js';
import { measureFromReport, parseWrkReport } from './wrk-report.js';

/** What `run` needs from the plugin's validated options. */
export interface WrkRunOptions {
  binary: string;
  method: string;
  headers: Record<string, string>;
  body?: string;
  path?: string;
}

const PLUGIN = 'wrk';
const PROGRESS_INTERVAL_MS = 1000;
/** wrk only looks at its stop flag every 100 ms, and SIGINT is ignored until its threads run: resend. */
const SIGINT_RESEND_MS = 200;
/** After asking wrk to stop: time for it to finish and write its report before SIGKILL. */
const STOP_GRACE_MS = 10_000;
/** Beyond the requested duration: when wrk is presumed stuck and asked to stop. */
const OVERRUN_MS = 15_000;
/** wrk's CPU over the run, as a share of the cores it can use, above which it was the bottleneck. */
const GENERATOR_BOUND_SHARE = 0.9;
const MAX_CAPTURE_BYTES = 64 * 1024;

export async function runWrk(ctx: LoadContext, target: LoadTarget, options: WrkRunOptions): Promise<LoadResult> {
  const wrkPath = await findExecutable(options.binary);
  if (wrkPath === undefined) {
    throw new ToolError(`wrk not found: no executable "${options.binary}" in PATH`, {
      plugin: PLUGIN,
      suggestions: ['install it with: apt-get install wrk', 'or set the wrk plugin option binary to its path'],
    });
  }
  const tasksetPath = ctx.cpus === undefined ? undefined : await findExecutable('taskset');
  if (ctx.cpus !== undefined && tasksetPath === undefined) {
    throw new ToolError(`taskset not found in PATH, needed to pin wrk to CPUs ${ctx.cpus}`, {
      plugin: PLUGIN,
      suggestions: ['install it with: apt-get install util-linux', 'or run without pinning'],
    });
  }

  const dir = await mkdtemp(join(tmpdir(), 'iobench-wrk-'));
  try {
    const scriptPath = join(dir, 'iobench.lua');
    const reportPath = join(dir, 'report.json');
    const command = buildWrkCommand(ctx.params, target.url, { scriptPath, headers: options.headers, path: options.path });
    if (ctx.signal.aborted) return emptyResult();
    const closeDelimited = await probeCloseDelimited({
      url: command.url,
      method: options.method,
      headers: options.headers,
      body: options.body,
      timeoutMs: ctx.params.timeoutMs,
      signal: ctx.signal,
    });
    ctx.log('probe: close-delimited responses %s', closeDelimited);
    if (ctx.signal.aborted) return emptyResult();
    await writeFile(
      scriptPath,
      buildLuaScript({ method: options.method, body: options.body, countCloseDelimited: closeDelimited === true }),
    );

    const file = tasksetPath ?? wrkPath;
    const args = tasksetPath === undefined ? command.args : ['-c', ctx.cpus!, wrkPath, ...command.args];
    ctx.log('spawning %s %o', file, args);
    const exit = await supervise(ctx, file, args, { ...process.env, [REPORT_PATH_ENV]: reportPath }, command);

    const reportText = await readFile(reportPath, 'utf8').catch(() => undefined);
    if (exit.spawnError !== undefined) {
      throw new ToolError(`could not start ${file}: ${exit.spawnError.message}`, {
        plugin: PLUGIN,
        cause: exit.spawnError,
        suggestions: ['install wrk with: apt-get install wrk'],
      });
    }
    if (exit.code !== 0 && !(exit.code === null && reportText !== undefined)) {
      const stderr = exit.stderr.trim() || exit.stdout.trim();
      if (/unable to connect to/.test(stderr)) {
        throw new TargetUnreachableError(`wrk could not connect to ${command.url}: ${stderr}`, { plugin: PLUGIN });
      }
      throw new ToolError(
        `wrk failed (${exit.code === null ? `killed by ${exit.signal}` : `exit code ${exit.code}`}): ${stderr || 'no output'}`,
        { plugin: PLUGIN },
      );
    }
    if (reportText === undefined) {
      if (ctx.signal.aborted) return { ...emptyResult(), cpuUs: exit.lastCpuUs };
      throw new ToolError(`wrk exited without writing its report (its done() did not run); stdout: ${exit.stdout.trim()}`, {
        plugin: PLUGIN,
      });
    }

    const report = parseWrkReport(reportText);
    ctx.log('report: %d requests, %d buckets read via %s', report.requests, report.buckets.length / 2, report.bucketReader);
    const measurement = measureFromReport(report, ctx.params.connections);
    const finalTicks = parseProcStatCpuTicks(report.procStat);
    const cpuUs = finalTicks === undefined ? exit.lastCpuUs : ticksToUs(finalTicks, await clockTicksPerSecond());
    const usableCores = Math.min(command.threads, countCpus(ctx.cpus) ?? availableParallelism());
    const cpuCores = cpuUs === undefined || report.durationUs <= 0 ? undefined : cpuUs / report.durationUs;

    return {
      requests: measurement.requests,
      bytes: measurement.bytes,
      durationMs: measurement.durationMs,
      errors: measurement.errors,
      latency: measurement.latency,
      ...(cpuUs === undefined ? {} : { cpuUs }),
      generatorBound: cpuCores !== undefined && cpuCores >= GENERATOR_BOUND_SHARE * usableCores,
      extra: {
        ...measurement.extra,
        // The framing probe sent before wrk started (the server counts it too).
        probeRequests: 1,
        wrkThreads: command.threads,
        wrkTimeoutMs: command.timeoutS * 1000,
        ...(cpuCores === undefined ? {} : { wrkCpuCores: Math.round(cpuCores * 1000) / 1000 }),
      },
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

interface WrkExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  spawnError?: Error;
  stdout: string;
  stderr: string;
  /** wrk's CPU at the last sample taken while it ran. */
  lastCpuUs?: number;
}

/**
 * Runs wrk to completion. Stops it with SIGINT (resent until it exits) at `stopAfterMs`, on abort,
 * or when it overruns; SIGKILLs it if it has not exited STOP_GRACE_MS later, and also if this process
 * exits first, so no wrk outlives the run.
 */
function supervise(
  ctx: LoadContext,
  file: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  command: { durationS: number; stopAfterMs?: number },
): Promise<WrkExit> {
  return new Promise((resolve) => {
    const startedAt = performance.now();
    const child = spawn(file, args, { stdio: ['ignore', 'pipe', 'pipe'], env });
    const out = capture(child.stdout);
    const err = capture(child.stderr);
    const timers: NodeJS.Timeout[] = [];
    let lastCpuUs: number | undefined;
    let stopping = false;
    let spawnError: Error | undefined;

    const interrupt = () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGINT');
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

    if (command.stopAfterMs !== undefined) timers.push(setTimeout(stop, command.stopAfterMs));
    timers.push(setTimeout(stop, command.durationS * 1000 + OVERRUN_MS));
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
      resolve({ code, signal, spawnError, stdout: out(), stderr: err(), lastCpuUs });
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

/** Number of CPUs in a taskset-style list ("0-3,6"), or undefined when unset or malformed. */
export function countCpus(list: string | undefined): number | undefined {
  if (list === undefined) return undefined;
  let count = 0;
  for (const part of list.split(',')) {
    const match = /^\s*(\d+)(?:-(\d+))?\s*$/.exec(part);
    if (match === null) return undefined;
    const from = Number(match[1]);
    const to = match[2] === undefined ? from : Number(match[2]);
    if (to < from) return undefined;
    count += to - from + 1;
  }
  return count;
}

function emptyResult(): LoadResult {
  const histogram = createLatencyHistogram();
  const latency = encodeHistogram(histogram);
  histogram.destroy();
  return {
    requests: 0,
    bytes: 0,
    durationMs: 0,
    errors: { connect: 0, read: 0, write: 0, timeout: 0, reset: 0, status: 0, parse: 0 },
    latency,
  };
}
