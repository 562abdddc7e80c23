/**
 * One wrk run: find wrk, probe the target's framing, write the Lua script, run wrk under
 * supervision (supervise-wrk.ts), and turn its report into a LoadResult.
 */
import { readFile, rm, writeFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import {
  ConfigError,
  clockTicksPerSecond,
  createLatencyHistogram,
  encodeHistogram,
  expandCpuList,
  findInPath,
  hardDeadlineMs,
  type LoadContext,
  type LoadResult,
  type LoadTarget,
  type ProcessUsage,
  parseZonedUrl,
  requestBytes,
  TargetUnreachableError,
  ToolError,
  targetRequests,
  ticksToUs,
} from '@iobench/core';
import { buildLuaScript, REPORT_PATH_ENV, STARTED_SUFFIX } from './lua-script.js';
import { probeCloseDelimited } from './probe-framing.js';
import { parseProcStatTimes } from './proc-cpu.js';
import { superviseWrk } from './supervise-wrk.js';
import { buildWrkCommand } from './wrk-command.js';
import { createWrkDir, removeStaleWrkDirs, wrkDirPath } from './wrk-dir.js';
import { measureFromReport, parseWrkReport, type WrkReport } from './wrk-report.js';

/** What `run` needs from the plugin's validated options. */
export interface WrkRunOptions {
  binary: string;
  /** Count responses by status code (the plugin's `statusCodes` option). */
  statusCodes?: boolean;
}

const PLUGIN = 'wrk';
/**
 * The framing probe's budget, whatever the timeout: an honest target answers one request well
 * within it, and the probe, wrk's start and its stop must all fit the run's hard deadline.
 */
const PROBE_BUDGET_MS = 1000;
/** wrk's CPU over the run, as a share of the cores it can use, above which it was the bottleneck. */
const GENERATOR_BOUND_SHARE = 0.9;

export async function runWrk(ctx: LoadContext, target: LoadTarget, options: WrkRunOptions): Promise<LoadResult> {
  // Whatever the target does, the run (probe and wrk together) ends by then: wrk is killed at it.
  const deadlineMs = performance.now() + hardDeadlineMs(ctx.params);
  // What wrk cannot do is refused first: a config error, whether or not wrk is installed.
  const dir = wrkDirPath();
  const scriptPath = join(dir, 'iobench.lua');
  const reportPath = join(dir, 'report.json');
  const command = buildWrkCommand(ctx.params, target.url, { scriptPath });
  const url = parseUrl(target.url);
  // A URL that does not parse gets no requests of ours: wrk refuses it with its own message.
  const requests = url ? targetRequests(target, url) : [];
  if (requests.some((request) => request.method.toUpperCase() === 'HEAD')) {
    // wrk's parser is not told a response answers a HEAD: it waits for the body the headers
    // announce, which never comes, and every such request times out.
    throw new ConfigError(
      'wrk cannot send HEAD requests: it waits for the body a HEAD response announces but never carries',
      {
        plugin: PLUGIN,
        suggestions: ['use --load native or --load undici for HEAD requests'],
      },
    );
  }
  const wrkPath = findInPath(options.binary);
  if (wrkPath === undefined) {
    throw new ToolError(`wrk not found: no executable "${options.binary}" in PATH`, {
      plugin: PLUGIN,
      suggestions: ['install it with: apt-get install wrk', 'or set the wrk plugin option binary to its path'],
    });
  }
  const tasksetPath = ctx.cpus === undefined ? undefined : findInPath('taskset');
  if (ctx.cpus !== undefined && tasksetPath === undefined) {
    throw new ToolError(`taskset not found in PATH, needed to pin wrk to CPUs ${ctx.cpus}`, {
      plugin: PLUGIN,
      suggestions: ['install it with: apt-get install util-linux', 'or run without pinning'],
    });
  }

  const stale = await removeStaleWrkDirs();
  if (stale.length > 0) ctx.log('removed wrk directories of killed runs: %o', stale);
  await createWrkDir(dir);
  try {
    if (ctx.signal.aborted) return emptyResult();
    const closeDelimited = await probeCloseDelimited({
      url: command.url,
      request: requests[0] ?? { method: 'GET', path: '/', headers: [] },
      timeoutMs: Math.min(ctx.params.timeoutMs, PROBE_BUDGET_MS),
      signal: ctx.signal,
    });
    ctx.log('probe: close-delimited responses %s', closeDelimited);
    if (ctx.signal.aborted) return emptyResult();
    await writeFile(
      scriptPath,
      buildLuaScript({
        requests: requests.map((request) => requestBytes(request, url!.host)),
        countCloseDelimited: closeDelimited === true,
        countStatusCodes: options.statusCodes,
      }),
    );

    const file = tasksetPath ?? wrkPath;
    const args = tasksetPath === undefined ? command.args : ['-c', ctx.cpus!, wrkPath, ...command.args];
    ctx.log('spawning %s %o', file, args);
    const env = { ...process.env, [REPORT_PATH_ENV]: reportPath };
    const exit = await superviseWrk(ctx, file, args, env, `${reportPath}${STARTED_SUFFIX}`, { ...command, deadlineMs });

    const reportText = await readFile(reportPath, 'utf8').catch(() => undefined);
    if (exit.spawnError !== undefined) {
      throw new ToolError(`could not start ${file}: ${exit.spawnError.message}`, {
        plugin: PLUGIN,
        cause: exit.spawnError,
        suggestions: ['install wrk with: apt-get install wrk'],
      });
    }
    if (reportText === undefined && ctx.signal.aborted) return { ...emptyResult(), cpuUs: exit.lastCpuUs };
    if (reportText === undefined && exit.killedAtDeadline) {
      // wrk measured nothing it could hand over: what is known is that no connection's request
      // completed in time, so each counts as a timeout, and the result says wrk was killed.
      ctx.log('wrk did not stop by the hard deadline and was killed');
      const empty = emptyResult();
      return {
        ...empty,
        errors: { ...empty.errors, timeout: ctx.params.connections },
        ...(exit.lastCpuUs === undefined ? {} : { cpuUs: exit.lastCpuUs }),
        extra: { wrkKilledAtDeadline: 1 },
      };
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
      throw new ToolError(
        `wrk exited without writing its report (its done() did not run); stdout: ${exit.stdout.trim()}`,
        {
          plugin: PLUGIN,
        },
      );
    }

    const report = parseWrkReport(reportText);
    ctx.log(
      'report: %d requests, %d buckets read via %s',
      report.requests,
      report.buckets.length / 2,
      report.bucketReader,
    );
    const measurement = unansweredAsTimeouts(measureFromReport(report, ctx.params.connections), ctx.params.connections);
    const usage = await wrkUsage(report);
    const cpuUs = usage === undefined ? exit.lastCpuUs : usage.userCpuUs + usage.systemCpuUs;
    const usableCores = Math.min(command.threads, countCpus(ctx.cpus) ?? availableParallelism());
    const cpuCores = cpuUs === undefined || report.durationUs <= 0 ? undefined : cpuUs / report.durationUs;

    return {
      requests: measurement.requests,
      bytes: measurement.bytes,
      durationMs: measurement.durationMs,
      errors: measurement.errors,
      ...(measurement.statusCodes ? { statusCodes: measurement.statusCodes } : {}),
      latency: measurement.latency,
      ...(cpuUs === undefined ? {} : { cpuUs }),
      ...(usage === undefined ? {} : { cpuUsage: usage }),
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

/**
 * wrk counts a timeout only for a response that arrives late, never for a request left unanswered.
 * A run in which nothing at all completed and wrk counted no error had every connection's request
 * unanswered: one timeout per connection, what the other generators count for a silent target.
 */
function unansweredAsTimeouts<M extends Pick<LoadResult, 'requests' | 'errors'>>(
  measurement: M,
  connections: number,
): M {
  const anyError = Object.values(measurement.errors).some((n) => n > 0);
  if (measurement.requests > 0 || anyError) return measurement;
  return { ...measurement, errors: { ...measurement.errors, timeout: connections } };
}

/**
 * wrk's CPU over its life, every thread's: its getrusage (microseconds, with context switches), or
 * else utime and stime from its /proc/self/stat line (clock ticks); undefined when neither parses.
 */
async function wrkUsage(report: WrkReport): Promise<ProcessUsage | undefined> {
  if (report.rusage) return report.rusage;
  const times = parseProcStatTimes(report.procStat);
  if (times === undefined) return undefined;
  const perSecond = await clockTicksPerSecond();
  return { userCpuUs: ticksToUs(times.userTicks, perSecond), systemCpuUs: ticksToUs(times.systemTicks, perSecond) };
}

/** Number of CPUs in a taskset-style list ("0-3,6"), or undefined when unset or malformed. */
export function countCpus(list: string | undefined): number | undefined {
  return list === undefined ? undefined : expandCpuList(list)?.length;
}

function emptyResult(): LoadResult {
  const histogram = createLatencyHistogram();
  const latency = encodeHistogram(histogram);
  histogram.destroy();
  return {
    requests: 0,
    bytes: 0,
    durationMs: 0,
    errors: { connect: 0, read: 0, write: 0, timeout: 0, reset: 0, status: 0, parse: 0, tls: 0 },
    latency,
  };
}

/** The target URL without its zone, or undefined when it does not parse. */
function parseUrl(target: string): URL | undefined {
  try {
    return parseZonedUrl(target).url;
  } catch {
    return undefined;
  }
}
