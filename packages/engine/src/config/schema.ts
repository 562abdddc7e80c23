/**
 * The configuration schema: the one place where every run setting, its constraint and its default
 * live. `.iobenchrc` files, `IOBENCH_*` variables and CLI flags are all validated by it, and the JSON
 * Schema editors use (`iobench.schema.json`) is generated from it. Custom error messages read
 * "expected ..." (config/issues.ts turns them into "<key> must be ...").
 */

import type { RateStage } from '@iobench/core';
import {
  formatDurationMs,
  HTTP_TOKEN,
  parseHeaderLine,
  parseThreshold,
  THRESHOLD_METRICS,
  type Threshold,
} from '@iobench/core';
import { z } from 'zod';
import { MAX_DURATION_MS, readDuration } from './duration.js';

/**
 * The shortest measured phase accepted. wrk looks at its stop flag only every 100 ms and opening
 * the connections alone takes milliseconds, so a shorter phase measures start-up, not the server.
 */
export const MIN_DURATION_MS = 100;

const DURATION = 'expected a duration such as 500ms, 10s or 1m, or a number of seconds';

/**
 * A duration setting, in milliseconds after parsing. Bare numbers are seconds; `minMs` is the
 * smallest accepted (0 allows "none", as for the warm-up); more than an hour is refused, since a
 * bare `5000` written when milliseconds were meant would otherwise run for 83 minutes.
 */
const duration = (minMs: number) =>
  z.union([z.number(), z.string()], { error: DURATION }).transform((value, ctx) => {
    const parsed = readDuration(value);
    if (parsed === undefined) {
      ctx.addIssue({ code: 'custom', message: DURATION });
      return z.NEVER;
    }
    const { ms, bare } = parsed;
    if (ms < 0 || (ms === 0 && minMs > 0)) {
      const what = minMs > 0 ? 'a positive duration' : 'a duration of zero or more';
      ctx.addIssue({ code: 'custom', message: `expected ${what}, such as 500ms or 10s` });
      return z.NEVER;
    }
    if (ms < minMs) {
      ctx.addIssue({ code: 'custom', message: `expected at least ${formatDurationMs(minMs)}` });
      return z.NEVER;
    }
    if (ms > MAX_DURATION_MS) {
      const hint = bare
        ? ` (a bare number is seconds: ${value} is ${formatDurationMs(ms)}; for milliseconds write ${value}ms)`
        : '';
      ctx.addIssue({ code: 'custom', message: `expected at most ${formatDurationMs(MAX_DURATION_MS)}${hint}` });
      return z.NEVER;
    }
    return ms;
  });

/**
 * The settings that take a duration (`500ms`, `10s`, a bare number of seconds) and hold
 * milliseconds: one table, so that the keys env variables and flags read as durations are these and
 * no probing of the schema is needed.
 */
const DURATION_SETTINGS = {
  duration: duration(MIN_DURATION_MS)
    .prefault('5s')
    .describe(
      `Measured phase per point: seconds (a bare number) or a duration such as 500ms, 10s, 1m; at least ${MIN_DURATION_MS}ms, at most 1h`,
    ),
  warmup: duration(0)
    .prefault('1s')
    .describe('Warm-up before each measured phase, not recorded: seconds (a bare number) or e.g. 500ms; 0 for none'),
  timeout: duration(1)
    .prefault('5s')
    .describe('Per-request timeout: seconds (a bare number) or a duration such as 500ms'),
  probeDuration: duration(MIN_DURATION_MS)
    .prefault('1s')
    .describe('Measured phase of each capacity probe (its warm-up is warmup): seconds or a duration such as 500ms'),
};

/** Keys that take a duration (`1s`) and hold milliseconds. */
export const DURATION_KEYS: ReadonlySet<string> = new Set(Object.keys(DURATION_SETTINGS));

/** A threshold such as `p99<10ms`, parsed; the message of a bad one quotes it (see thresholds.ts). */
const threshold = z.string().transform((text, ctx): Threshold => {
  const parsed = parseThreshold(text);
  if ('error' in parsed) {
    ctx.addIssue({ code: 'custom', message: parsed.error });
    return z.NEVER;
  }
  return parsed.threshold;
});

/** One stage of a ramping rate, `<duration>:<req/s>` such as `30s:50000`. */
const STAGE = 'expected <duration>:<requests per second> stages such as 10s:1000,30s:50000';
const stage = z.string().transform((text, ctx): RateStage[] => {
  const stages: RateStage[] = [];
  for (const part of text.split(',')) {
    const m = /^\s*([^:]+):\s*(\d+(?:\.\d+)?)(k?)\s*$/.exec(part);
    const parsed = m ? readDuration(m[1]!.trim()) : undefined;
    if (!m || parsed === undefined || parsed.ms <= 0) {
      ctx.addIssue({ code: 'custom', message: `${STAGE}; "${part.trim()}" is not one` });
      return z.NEVER;
    }
    stages.push({ durationMs: parsed.ms, rate: Number(m[2]) * (m[3] ? 1000 : 1) });
  }
  return stages;
});

/**
 * Request headers, `Name: value` lines as `-H` takes them, or an object of name -> value in a
 * config file; validated line by line, kept as `[name, value]` pairs in the order given.
 */
const headers = z
  .union([z.array(z.string()), z.record(z.string(), z.string())], {
    error: 'expected "Name: value" header lines or an object of header name -> value',
  })
  .transform((value, ctx): Array<[string, string]> => {
    const lines = Array.isArray(value) ? value : Object.entries(value).map(([name, v]) => `${name}: ${v}`);
    const pairs: Array<[string, string]> = [];
    for (const line of lines) {
      const parsed = parseHeaderLine(line);
      if ('error' in parsed) {
        ctx.addIssue({ code: 'custom', message: `${JSON.stringify(line)}: ${parsed.error}` });
        return z.NEVER;
      }
      pairs.push(parsed.header);
    }
    return pairs;
  });

/** A flag or variable gives a boolean as a string. */
const booleanSetting = z
  .union([z.boolean(), z.enum(['true', 'false'])], { error: 'expected true or false' })
  .transform((v) => v === true || v === 'true');

/**
 * The settings that name a file. In a config file they are relative to that file (as `plugins`
 * are); from a flag or variable, to the working directory. `loadConfig` makes them absolute.
 */
export const FILE_PATH_KEYS = ['bodyFile', 'cacert', 'requestsFile'] as const;

const positiveInt = z.number().int().positive();
const oneOrMany = <T extends z.ZodType>(item: T) =>
  z.union([item, z.array(item).min(1)]).transform((v) => (Array.isArray(v) ? v : [v]) as z.output<T>[]);

const pluginOptions = z
  .record(z.string(), z.record(z.string(), z.unknown()))
  .default({})
  .describe('Options per plugin name, validated by that plugin’s own schema');

const cpuList = z
  .string()
  .regex(/^\d+(-\d+)?(,\d+(-\d+)?)*$/, 'expected a CPU list such as 0 or 0-1 or 0,2')
  .optional();

/**
 * What a run measures when the config names no servers or load. Core knows no plugin: the program
 * that embeds it (the CLI, through its built-ins package) chooses these.
 */
export interface PlanDefaults {
  /** Server plugins benchmarked when `server` is not set. */
  server: string[];
  /** Load generator plugin used when `load` is not set. */
  load: string;
}

/** The configuration schema, with `defaults` as the default servers and load. */
export function createConfigSchema(defaults: PlanDefaults) {
  return z
    .strictObject({
      $schema: z.string().optional().describe('Path or URL of the JSON Schema, for editors'),
      plugins: z
        .array(z.string())
        .default([])
        .describe('Extra plugin modules to load: paths (relative to the config file) or package names'),
      server: oneOrMany(z.string().min(1))
        .default(() => [...defaults.server])
        .describe('Server plugins to benchmark, one after another'),
      target: z
        .url({ protocol: /^https?$/, error: 'expected an http:// URL such as http://127.0.0.1:8080/' })
        .optional()
        .describe('Benchmark an already running server at this URL instead of starting server plugins'),
      anchors: z
        .array(
          z.strictObject({
            name: z.string().regex(/^[a-z0-9][a-z0-9._-]*$/i, 'expected a short name such as nginx'),
            url: z.url({ protocol: /^https?$/, error: 'expected an http:// URL such as http://127.0.0.1:8080/' }),
          }),
        )
        .default([])
        .describe('Servers you started yourself (e.g. nginx), measured alongside the plugins so reports show ratios'),
      load: oneOrMany(z.string().min(1))
        .prefault(defaults.load)
        .describe('Load generator plugin(s); a list measures every server under each generator'),
      connections: oneOrMany(positiveInt).default([64]).describe('Concurrent connections; a list sweeps'),
      duration: DURATION_SETTINGS.duration,
      warmup: DURATION_SETTINGS.warmup,
      repeat: positiveInt.default(1).describe('Repeats of every point'),
      threads: oneOrMany(positiveInt).default([1]).describe('Load generator threads; a list sweeps'),
      pipelining: positiveInt.default(1).describe('Requests in flight per connection'),
      timeout: DURATION_SETTINGS.timeout,
      rate: oneOrMany(z.number().positive())
        .optional()
        .describe('Open model: overall requests per second; a list sweeps'),
      arrivals: z
        .enum(['uniform', 'poisson'])
        .optional()
        .describe(
          'Open model: how requests arrive — uniform (gaps of exactly 1/rate, as wrk2 sends) or poisson (exponential gaps: many independent users); default uniform with rate and stages, poisson with findCapacity',
        ),
      seed: z
        .number()
        .int()
        .min(0)
        .max(2 ** 32 - 1)
        .optional()
        .describe('Seed of the Poisson arrivals, to reproduce a schedule; default a random one, recorded in results'),
      stages: oneOrMany(stage)
        .transform((lists) => lists.flat())
        .optional()
        .describe(
          'Open model with a ramping rate, like k6’s ramping-arrival-rate: <duration>:<req/s> stages, each ramping from the previous rate (0 first) to its own, e.g. 10s:1000,30s:50000,10s:50000; the stages together are the measured phase',
        ),
      findCapacity: oneOrMany(threshold)
        .default([])
        .describe(
          'Find each server’s capacity: the highest open-model rate whose measured phase meets every SLO (threshold syntax: p99<5ms, errors<0.1%) without overloading or saturating the generator',
        ),
      probeDuration: DURATION_SETTINGS.probeDuration,
      capacityRounds: positiveInt
        .default(3)
        .describe('Refinement rounds of each capacity search; their spread is the interval of the answer'),
      requests: positiveInt.optional().describe('Stop each point after this many requests'),
      http2: z
        .union([z.boolean(), z.enum(['true', 'false'])], { error: 'expected true or false' })
        .default(false)
        .transform((v) => v === true || v === 'true')
        .describe(
          'HTTP/2 over TLS: the load negotiates h2 with ALPN (a target that does not is refused, never measured over HTTP/1.1), and pipelining is concurrent streams per connection; needs an https:// target',
        ),
      idleConnections: oneOrMany(z.number().int().min(0))
        .default([0])
        .describe('Idle keep-alive connections held open during each measured phase; a list sweeps'),
      bodySize: oneOrMany(z.number().int().min(0))
        .optional()
        .describe('Response body bytes for every server (overrides serverOptions); a list sweeps'),
      work: oneOrMany(z.string().min(1))
        .optional()
        .describe(
          'Handler work for every server: none, cpu:<µs> or wait:<µs> (overrides serverOptions); a list sweeps',
        ),
      method: z
        .string()
        .regex(HTTP_TOKEN, 'expected an HTTP method token such as GET or POST')
        .optional()
        .describe('HTTP method of every request (curl -X); default GET'),
      headers: headers
        .optional()
        .describe(
          'Request headers sent with every request: "Name: value" lines (curl/wrk -H), or an object of name -> value',
        ),
      body: z.string().optional().describe('Request body (UTF-8 text), sent with a Content-Length'),
      bodyFile: z
        .string()
        .min(1)
        .optional()
        .describe('Request body read from this file, bytes as they are (relative to the config file)'),
      insecure: booleanSetting
        .optional()
        .describe('https:// targets: accept any certificate (self-signed, expired, another name), like curl -k'),
      cacert: z
        .string()
        .min(1)
        .optional()
        .describe(
          'https:// targets: PEM file of CA certificates (or the self-signed certificate itself) trusted besides the system ones (relative to the config file)',
        ),
      requestsFile: z
        .string()
        .min(1)
        .optional()
        .describe(
          'A list of requests each connection cycles through, in the requests-file format of docs/requests-file.md (relative to the config file)',
        ),
      out: z.string().min(1).optional().describe('Output directory; default iobench-results/<timestamp>'),
      reporter: z.array(z.string().min(1)).default(['console']).describe('Reporter plugins'),
      thresholds: oneOrMany(threshold)
        .default([])
        .describe(
          `Pass/fail criteria checked on every measured point; the run exits 1 when one fails. <metric><op><value>, op <, <=, > or >=, metric ${THRESHOLD_METRICS.join(', ')}: p99<10ms, p99.9<50ms, rps>50000, errors<0.1%, cpuPerRequest<20us`,
        ),
      serverOptions: pluginOptions,
      loadOptions: pluginOptions,
      reporterOptions: pluginOptions,
      serverCpus: cpuList.describe('Pin server processes to these CPUs (taskset -c syntax)'),
      loadCpus: cpuList.describe('Pin the load generator to these CPUs (taskset -c syntax)'),
      profile: z
        .array(z.enum(['perf', 'strace', 'offcpu']))
        .default([])
        .describe(
          'Profile each server during the measured phase: perf (flame graph per point), offcpu (off-CPU flame graph: where threads waited, from sched_switch) and/or strace (syscall counts)',
        ),
      netns: z
        .union([z.boolean(), z.enum(['ipv6', 'ipv4', 'true', 'false'])], {
          error: 'expected true, false, "ipv6" or "ipv4"',
        })
        .default(false)
        .transform((v): false | 'ipv6' | 'ipv4' =>
          v === true || v === 'true' ? 'ipv6' : v === false || v === 'false' ? false : v,
        )
        .describe(
          'Run server and load in two network namespaces joined by a veth pair (iob0/iob1): true or ipv6 for IPv6 link-local, ipv4 for a /30; needs root (CAP_SYS_ADMIN, CAP_NET_ADMIN) and ip(8)',
        ),
    })
    .superRefine((config, ctx) => {
      refineOpenModel(config, ctx);
      // iobench's own servers speak HTTP/1.1 over plain TCP, and h2 is negotiated in the TLS handshake.
      if (config.http2 && !config.target?.startsWith('https:')) {
        ctx.addIssue({
          code: 'custom',
          path: ['http2'],
          message: `needs an https:// target: HTTP/2 is negotiated in the TLS handshake (ALPN), and iobench's own servers speak HTTP/1.1 over plain TCP; this run has ${config.target ? `target ${config.target}` : `servers ${config.server.join(', ')}`}`,
        });
      }
      refineRequest(config, ctx);
      // Server CPU is read from the server host iobench starts; a target it did not start has none.
      const index = config.thresholds.findIndex((t) => t.metric === 'cpuPerRequest');
      if (config.target && index >= 0) {
        ctx.addIssue({
          code: 'custom',
          path: ['thresholds', index],
          message: `"${config.thresholds[index]!.text}": expected a threshold iobench can measure on a target it did not start (cpuPerRequest needs the server's CPU, read only from servers iobench starts), received cpuPerRequest with target ${config.target}`,
        });
      }
    });
}

/** The request settings that exclude each other. */
function refineRequest(
  config: {
    body?: string;
    bodyFile?: string;
    requestsFile?: string;
    method?: string;
    insecure?: boolean;
    cacert?: string;
  },
  ctx: z.RefinementCtx,
): void {
  const refuse = (path: string, message: string) => ctx.addIssue({ code: 'custom', path: [path], message });
  if (config.body !== undefined && config.bodyFile !== undefined)
    refuse('bodyFile', 'cannot be combined with body: give the body as text or as a file, not both');
  if (config.requestsFile !== undefined) {
    // Each request of the file has its own method and body; headers apply to every request.
    if (config.method !== undefined)
      refuse('method', 'cannot be combined with requestsFile: every request of the file names its method');
    if (config.body !== undefined || config.bodyFile !== undefined)
      refuse(
        config.body !== undefined ? 'body' : 'bodyFile',
        'cannot be combined with requestsFile: a request of the file takes its body from an @file line',
      );
  }
  if (config.insecure && config.cacert !== undefined)
    refuse(
      'cacert',
      'cannot be combined with insecure: insecure accepts any certificate, so there is nothing to trust',
    );
}

/** What the open-model settings may not be combined with, said before anything starts. */
function refineOpenModel(
  config: {
    rate?: number[];
    stages?: RateStage[];
    findCapacity: Threshold[];
    arrivals?: string;
    seed?: number;
    requests?: number;
    repeat: number;
  },
  ctx: z.RefinementCtx,
): void {
  const refuse = (path: string, message: string) => ctx.addIssue({ code: 'custom', path: [path], message });
  if (config.stages && config.rate)
    refuse('stages', 'cannot be combined with rate: the stages set the rate, second by second');
  if (config.findCapacity.length > 0) {
    if (config.rate) refuse('findCapacity', 'cannot be combined with rate: the search chooses the rates');
    if (config.stages) refuse('findCapacity', 'cannot be combined with stages: the search chooses the rates');
    if (config.requests !== undefined)
      refuse('findCapacity', 'cannot be combined with requests: every probe runs for probeDuration');
    if (config.repeat > 1)
      refuse('findCapacity', 'cannot be combined with repeat: capacityRounds sets how often the search is refined');
    const unsupported = config.findCapacity.find((t) => t.metric === 'rps');
    if (unsupported)
      refuse(
        'findCapacity',
        `"${unsupported.text}" is no SLO: rps is what the search finds; give latency, errors, dropped or late`,
      );
  }
  const open = config.rate || config.stages || config.findCapacity.length > 0;
  if (!open && config.arrivals)
    refuse('arrivals', 'applies only to the open model: give rate, stages or findCapacity too');
  if (!open && config.seed !== undefined)
    refuse('seed', 'applies only to the open model: give rate, stages or findCapacity too');
  if (config.stages?.every((s) => s.rate === 0)) refuse('stages', 'expected a stage with a rate above 0');
}

/** The configuration schema's type. */
export type ConfigSchema = ReturnType<typeof createConfigSchema>;
/** Config as written by users (before defaults and transforms). */
export type ConfigInput = z.input<ConfigSchema>;
/** Config after validation: defaults applied, durations in milliseconds, lists normalised. */
export type Config = z.output<ConfigSchema>;

/** The JSON Schema of `.iobenchrc`, generated from the zod schema with `defaults`. */
export function configJsonSchema(defaults: PlanDefaults): Record<string, unknown> {
  return z.toJSONSchema(createConfigSchema(defaults), { io: 'input', unrepresentable: 'any' }) as Record<
    string,
    unknown
  >;
}

/** Typed identity helper for `iobench.config.{js,mjs,ts}` files. */
export function defineConfig(config: ConfigInput): ConfigInput {
  return config;
}
