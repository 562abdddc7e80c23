/**
 * The native plugin's `run`: resolves the target to an address, builds the request bytes once,
 * splits the load over threads, reports progress about once a second, merges the threads' results
 * and judges whether the generator was the bottleneck from its loops' busy time and its CPU.
 */
import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
// The headroom the run's open-file check and `iobench doctor` count too, so that all three agree.
import {
  FD_HEADROOM,
  type LoadContext,
  type LoadResult,
  type LoadTarget,
  PluginOptionsError,
  parseZonedUrl,
  requestBytes,
  ToolError,
  targetRequests,
} from '@iobench/core';
import { generatorVerdict, measureThreads, mergeThreadResults, round3, splitLoad } from '@iobench/load-kit';
import type { NativeOptions } from './options.js';
import { runThreads } from './run-threads.js';
import type { NativeEngine, NativeThreadResult, NativeThreadSpec } from './thread-spec.js';
import { uringEngineUnavailable } from './uring-setup.js';

export async function runNativeLoad(ctx: LoadContext, target: LoadTarget, options: NativeOptions): Promise<LoadResult> {
  const { url, connectHost, port } = parseZonedUrl(target.url);
  if (url.protocol !== 'http:') {
    throw new PluginOptionsError(
      `the native load generator speaks HTTP/1.x over plain TCP; target ${target.url} is ${url.protocol.slice(0, -1)}`,
      { plugin: 'native', suggestions: ['use --load undici for https:// targets'] },
    );
  }
  const { params } = ctx;
  const engine = chooseEngine(ctx, options.engine, params.rate !== undefined);
  const requests = targetRequests(target, url);
  const total: NativeThreadSpec = {
    host: await resolveHost(connectHost),
    port,
    requestList: requests.map((request) => requestBytes(request, url.host)),
    headOnly: requests.map((request) => request.method.toUpperCase() === 'HEAD'),
    connections: params.connections,
    pipelining: params.pipelining,
    durationMs: params.durationMs,
    requests: params.requests,
    rate: params.rate,
    arrivals: params.arrivals,
    seed: params.seed,
    stages: params.stages,
    timeoutMs: params.timeoutMs,
    localAddress: options.localAddress,
    engine,
  };
  const specs = splitLoad(total, params.threads);
  ctx.log(
    '%s engine, %d thread(s), %d connection(s) to %s:%d, %s',
    engine,
    specs.length,
    params.connections,
    total.host,
    port,
    params.rate ? `${params.rate} req/s, ${params.arrivals ?? 'uniform'} arrivals` : 'closed model',
  );

  const { results, cpu, usage } = await measureThreads(ctx, specs.length, (board, started) =>
    runThreads(specs, ctx.signal, board, started),
  );
  const fdLimitErrors = results.reduce((n, r) => n + r.fdLimitErrors, 0);
  const { loop, ...merged } = mergeThreadResults(results, params.rate);
  if (fdLimitErrors > 0) {
    // Fewer connections than asked is not the point the user asked for: fail it, saying how to fix it.
    throw new ToolError(
      `the native load generator ran out of file descriptors: opened ${merged.connectionsOpened ?? 0} of ` +
        `${params.connections} connections (${fdLimitErrors} connects failed with EMFILE/ENFILE); ` +
        `it needs about ${params.connections + FD_HEADROOM} descriptors`,
      {
        plugin: 'native',
        suggestions: [`raise the limit with \`ulimit -n ${params.connections + FD_HEADROOM}\` and run again`],
      },
    );
  }
  const { generatorBound, extra } = generatorVerdict(
    { loop, cpu, durationMs: merged.durationMs, threads: specs.length },
    options.saturationThreshold,
  );
  return {
    ...merged,
    // The threads' measured phase, without their start-up: what a request costs, not a worker's isolate.
    cpuUs: usage.userCpuUs + usage.systemCpuUs,
    cpuUsage: usage,
    syscalls: sumSyscalls(results),
    generatorBound,
    ioEngine: engine,
    extra: { ...extra, loopUtilization: round3(loop.utilization), fdLimitErrors, ...uringExtra(results) },
  };
}

/**
 * The engine the threads run. `auto` (the default): io_uring for the closed model, where it sends
 * more requests per CPU than epoll (benchmarks/README.md#what-bounds-a-request); epoll for the open
 * model, whose send timing it keeps tighter (its p99.9 send lag was half of io_uring's in the same
 * sitting: docs/methodology.md#capacity-and-overload); and epoll wherever io_uring cannot run (an
 * old kernel, a container's seccomp policy), said in the log. `io_uring` asked for where it cannot
 * run is refused with the reason.
 */
function chooseEngine(ctx: LoadContext, asked: NativeOptions['engine'], openModel: boolean): NativeEngine {
  if (asked === 'epoll' || (asked === 'auto' && openModel)) return 'epoll';
  const unavailable = uringEngineUnavailable();
  if (unavailable === undefined) return 'io_uring';
  if (asked === 'auto') {
    ctx.log('io_uring cannot run here (%s): the epoll engine runs instead', unavailable.reason);
    return 'epoll';
  }
  throw new PluginOptionsError(`engine=io_uring cannot run here: ${unavailable.reason}`, {
    plugin: 'native',
    suggestions: [unavailable.fix, 'or leave engine at its default, auto (epoll where io_uring cannot run)'],
  });
}

/** The threads' syscall counts, summed by syscall. */
function sumSyscalls(results: NativeThreadResult[]): Record<string, number> {
  return sumByName(results.map((r) => r.syscalls));
}

/** The io_uring engine's counts summed over threads, named `uring*` (none for epoll). */
function uringExtra(results: NativeThreadResult[]): Record<string, number> {
  const sums = sumByName(results.map((r) => r.uring as Record<string, number> | undefined));
  return Object.fromEntries(
    Object.entries(sums).map(([name, value]) => [`uring${name[0]!.toUpperCase()}${name.slice(1)}`, value]),
  );
}

/** Named counts added name by name; threads without any are skipped. */
function sumByName(records: Array<Record<string, number> | undefined>): Record<string, number> {
  const sums: Record<string, number> = {};
  for (const record of records)
    for (const [name, value] of Object.entries(record ?? {})) sums[name] = (sums[name] ?? 0) + value;
  return sums;
}

/** The target host as an address literal: names are looked up once, before any thread starts. */
async function resolveHost(host: string): Promise<string> {
  if (isIP(host.split('%')[0]!) !== 0) return host;
  try {
    return (await lookup(host)).address;
  } catch (cause) {
    throw new PluginOptionsError(
      `cannot resolve the target host ${JSON.stringify(host)}: ${(cause as Error).message}`,
      {
        plugin: 'native',
        cause,
      },
    );
  }
}
