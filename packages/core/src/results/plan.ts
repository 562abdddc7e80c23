/** The run's plan as results record it: what was asked for, the parameters a point is measured at. */
import { z } from 'zod';
import { count, options } from './measures.js';

/** One stage of a ramping arrival rate (`--stages 10s:1000,30s:50000`). */
export const rateStage = z.object({
  durationMs: z.number(),
  /** Requests per second reached at the end of the stage. */
  rate: z.number(),
});
export type RateStage = z.output<typeof rateStage>;

/** Open model: how requests arrive (uniform gaps, or Poisson with a seed). */
const arrivals = z.enum(['uniform', 'poisson']);

/** The parameters that identify a point in a plan. */
export const pointParams = z.object({
  connections: count,
  durationMs: z.number(),
  warmupMs: z.number(),
  threads: count,
  pipelining: count,
  timeoutMs: z.number(),
  /** Open model: requests per second (the highest stage's, with `stages`). */
  rate: z.number().optional(),
  /** Open model: how requests arrived (uniform gaps, or Poisson with `seed`). */
  arrivals: arrivals.optional(),
  /** Open model with Poisson arrivals: the seed of the draws, to reproduce the schedule. */
  seed: count.optional(),
  /** Open model with a ramping rate: each stage ramps from the previous stage's rate (0 first) to its own. */
  stages: z.array(rateStage).optional(),
  requests: count.optional(),
  /** HTTP/2 over TLS (`--http2`): `pipelining` is then concurrent streams per connection. */
  http2: z.boolean().optional(),
  /** Idle keep-alive connections held open during the measured phase. */
  idleConnections: count,
  /** Response body bytes, when the plan sets it for every server. */
  bodySize: count.optional(),
  /** Handler work (`none`, `cpu:<µs>`, `wait:<µs>`), when the plan sets it for every server. */
  work: z.string().optional(),
});
export type PointParams = z.output<typeof pointParams>;

/** The run parameters a plan can sweep. */
export const sweepKey = z.enum(['connections', 'threads', 'rate', 'idleConnections', 'bodySize', 'work']);
export type SweepKey = z.output<typeof sweepKey>;

/** A parameter the plan sweeps (takes more than one value), in plan order. */
export const sweepDimension = z.object({
  key: sweepKey,
  values: z.array(z.union([z.number(), z.string()])),
});
export type SweepDimension = z.output<typeof sweepDimension>;

/** How a capacity search probes (`--find-capacity`). */
export const capacityPlan = z.object({
  /** SLOs every passing probe meets, as written (`p99<5ms`). */
  slo: z.array(z.string()),
  /** Each probe's measured phase, milliseconds (its warm-up is the plan's). */
  probeDurationMs: z.number(),
  /** Refinement rounds that give the answer its interval. */
  rounds: count,
});
export type CapacityPlan = z.output<typeof capacityPlan>;

/**
 * A plan as files written before `loads` became the only list hold it: `load` (the first
 * generator), `loads` (missing in the oldest), and `loadOptions` of the first generator only; read
 * as `loads` and `loadOptions` by generator name.
 */
function fromEarlierPlan(plan: unknown): unknown {
  if (typeof plan !== 'object' || plan === null || typeof (plan as { load?: unknown }).load !== 'string') return plan;
  const { load, loads, loadOptions, ...rest } = plan as { load: string; loads?: string[]; loadOptions?: unknown };
  return { ...rest, loads: loads ?? [load], loadOptions: { [load]: loadOptions ?? {} } };
}

/**
 * What was sent when it was not a plain GET of the URL (`-X`, `-H`, `--body`, `--requests-file`),
 * and the certificate checks asked for (`-k`, `--cacert`).
 */
export const requestPlan = z.object({
  /** Each request of the list, in cycle order; `path` absent: the URL's. Bodies by size only. */
  requests: z.array(
    z.object({
      method: z.string(),
      path: z.string().optional(),
      headers: z.array(z.tuple([z.string(), z.string()])),
      bodyBytes: count.optional(),
    }),
  ),
  requestsFile: z.string().optional(),
  bodyFile: z.string().optional(),
  /** https:// targets: any certificate accepted. */
  insecure: z.boolean().optional(),
  /** https:// targets: the CA file trusted besides the system's. */
  cacert: z.string().optional(),
});
export type RequestPlan = z.output<typeof requestPlan>;

/** The run's plan, as resolved from config: what was asked for. */
export const runPlan = z.preprocess(
  fromEarlierPlan,
  z.object({
    servers: z.array(z.string()),
    target: z.string().optional(),
    /** Externally started servers measured alongside the plugins (e.g. nginx), by name. */
    anchors: z.array(z.object({ name: z.string(), url: z.string() })).optional(),
    /** Every load generator the plan crosses with the servers; each point names its own. */
    loads: z.array(z.string()),
    connections: z.array(count),
    durationMs: z.number(),
    warmupMs: z.number(),
    repeat: count,
    threads: z.array(count),
    pipelining: count,
    timeoutMs: z.number(),
    rate: z.array(z.number()).optional(),
    /** Open model: how requests arrive. */
    arrivals: arrivals.optional(),
    /** Open model with Poisson arrivals: the seed of the draws. */
    seed: count.optional(),
    /** Open model with a ramping rate. */
    stages: z.array(rateStage).optional(),
    /** `--find-capacity`: the SLOs, and how each search probes. */
    findCapacity: capacityPlan.optional(),
    requests: count.optional(),
    /** `--http2`: every point's load spoke HTTP/2 over TLS. */
    http2: z.boolean().optional(),
    idleConnections: z.array(count),
    bodySize: z.array(count).optional(),
    work: z.array(z.string()).optional(),
    /** The parameters that take more than one value: what reports plot against. */
    sweep: z.array(sweepDimension),
    /** The requests sent, when not a plain GET of the URL; see `requestPlan`. */
    request: requestPlan.optional(),
    /** Thresholds every measured point is checked against (`--threshold`), as written. */
    thresholds: z.array(z.string()).optional(),
    /** Each server's options, by server name. */
    serverOptions: z.record(z.string(), options),
    /** Each load generator's options, by generator name. */
    loadOptions: z.record(z.string(), options),
    /** Number of points the plan runs (servers x loads x swept values x repeats). */
    pointCount: count,
  }),
);
export type RunPlan = z.output<typeof runPlan>;

/** Reads a plan as written by any version-1 file, earlier ones included (see `fromEarlierPlan`). */
export function readPlan(plan: unknown): RunPlan {
  return runPlan.parse(plan);
}
