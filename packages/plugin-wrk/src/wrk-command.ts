/**
 * Turns iobench's load parameters into one wrk command line, refusing what wrk cannot do rather than
 * silently doing something else.
 */
import { ConfigError, type LoadParams } from '@iobench/core';

/** The wrk invocation for one run. */
export interface WrkCommand {
  /** Arguments after the wrk executable (options, then the URL). */
  args: string[];
  /** Threads wrk runs with (never more than connections). */
  threads: number;
  /** Seconds given to `-d`: wrk only takes whole seconds. */
  durationS: number;
  /**
   * When the requested duration is not a whole number of seconds: interrupt wrk (SIGINT) after this
   * many milliseconds; wrk then stops within its 100 ms tick and reports as usual.
   */
  stopAfterMs?: number;
  /** Seconds given to `--timeout`: wrk only takes whole seconds. */
  timeoutS: number;
  url: string;
}

export interface WrkCommandOptions {
  /** Path of the generated Lua script (which holds the requests). */
  scriptPath: string;
}

const PLUGIN = 'wrk';

/** Builds wrk's arguments, or throws ConfigError for parameters wrk cannot honour. */
export function buildWrkCommand(params: LoadParams, targetUrl: string, options: WrkCommandOptions): WrkCommand {
  if (params.rate !== undefined) {
    throw new ConfigError(
      `wrk runs a closed model only (each connection waits for its response); rate ${params.rate} req/s cannot be honoured`,
      {
        plugin: PLUGIN,
        suggestions: ['use --load native (the default) or --load undici for --rate', 'wrk2 is not packaged in Debian'],
      },
    );
  }
  if (params.requests !== undefined) {
    throw new ConfigError(`wrk stops after a duration only; a request count (${params.requests}) cannot be honoured`, {
      plugin: PLUGIN,
      suggestions: ['use --duration with wrk, or --load native for --requests'],
    });
  }
  if (params.pipelining !== 1) {
    throw new ConfigError(
      `wrk pipelining is not supported by this plugin: pipelining must be 1 (got ${params.pipelining}); wrk records one latency per pipelined batch, not per request`,
      { plugin: PLUGIN, suggestions: ['use --load native for --pipelining'] },
    );
  }
  if (!Number.isInteger(params.connections) || params.connections < 1) {
    throw new ConfigError(`connections must be a positive integer (got ${params.connections})`, { plugin: PLUGIN });
  }
  // wrk refuses fewer connections than threads; one thread per connection is the most it can use.
  const threads = Math.max(1, Math.min(params.threads, params.connections));
  if (params.connections % threads !== 0) {
    throw new ConfigError(
      `wrk gives every thread connections/threads connections: connections (${params.connections}) must be a multiple of threads (${threads})`,
      { plugin: PLUGIN, suggestions: ['pick connections divisible by --threads, or --threads 1'] },
    );
  }
  if (!(params.durationMs > 0)) {
    throw new ConfigError(`durationMs must be positive (got ${params.durationMs})`, { plugin: PLUGIN });
  }

  const durationS = Math.ceil(params.durationMs / 1000);
  const whole = params.durationMs % 1000 === 0;
  const timeoutS = Math.max(1, Math.ceil(params.timeoutMs / 1000));
  const url = targetUrl;

  const args = [
    '--threads',
    String(threads),
    '--connections',
    String(params.connections),
    '--duration',
    `${durationS}s`,
    '--timeout',
    `${timeoutS}s`,
    '--script',
    options.scriptPath,
  ];
  args.push(url);

  return { args, threads, durationS, timeoutS, url, ...(whole ? {} : { stopAfterMs: params.durationMs }) };
}
