/**
 * The results file as a zod schema: what `readResultsFile` checks before `report`, `compare` and
 * `merge` touch a file, so that a corrupt or hand-edited file is an error naming the field instead
 * of a crash deep in a reporter. The documented TypeScript types stay in `types.ts`; the check at
 * the bottom of this file fails to compile when the two disagree. Over 300 lines: it mirrors the
 * whole of `types.ts`, part by part, so that the compile-time check names the part that disagrees.
 */
import { z } from 'zod';
import { decodeHistogram } from '../histogram/index.js';
import type {
  CapacityResult,
  LatencySummary,
  MeasuredStart,
  NetworkPlacement,
  PointMergeSummary,
  PointParams,
  PointProfiles,
  PointResult,
  PointSchedule,
  ResultsFile,
  RunEnvironment,
  RunPlan,
  ServerPointStats,
  ShardRecord,
  ThresholdCheck,
} from './types.js';

/** Something counted: requests, connections, syscalls. */
const count = z.number().int().min(0);
const numbers = z.record(z.string(), z.number());
const options = z.record(z.string(), z.unknown());

/** An encoded histogram is checked by decoding it: a string that does not decode is useless later. */
const encodedHistogram = z.string().superRefine((encoded, ctx) => {
  try {
    decodeHistogram(encoded);
  } catch (error) {
    const preview = encoded.length > 24 ? `${encoded.slice(0, 24)}…` : encoded;
    ctx.addIssue({
      code: 'custom',
      message: `expected an HDR histogram (compressed V2, base64), received "${preview}" (${(error as Error).message})`,
    });
  }
});

const latencySummary = z.object({
  p50: z.number(),
  p90: z.number(),
  p99: z.number(),
  p99_9: z.number(),
  p99_99: z.number(),
  max: z.number(),
  min: z.number(),
  mean: z.number(),
  stddev: z.number(),
  hdr: encodedHistogram,
});

const errorCounts = z.object({
  connect: count,
  read: count,
  write: count,
  timeout: count,
  reset: count,
  status: count,
  parse: count,
  // Added later: optional so that earlier files still validate (readResultsFile fills in 0).
  tls: count.default(0),
});

const rateStage = z.object({ durationMs: z.number(), rate: z.number() });
const arrivals = z.enum(['uniform', 'poisson']);

const pointParams = z.object({
  connections: count,
  durationMs: z.number(),
  warmupMs: z.number(),
  threads: count,
  pipelining: count,
  timeoutMs: z.number(),
  rate: z.number().optional(),
  arrivals: arrivals.optional(),
  seed: count.optional(),
  stages: z.array(rateStage).optional(),
  requests: count.optional(),
  idleConnections: count,
  bodySize: count.optional(),
  work: z.string().optional(),
});

const serverPointStats = z.object({
  cpuUs: z.number(),
  userCpuUs: z.number(),
  systemCpuUs: z.number(),
  cpuUsPerRequest: z.number(),
  userCpuUsPerRequest: z.number().optional(),
  systemCpuUsPerRequest: z.number().optional(),
  voluntaryCtxSwitches: count,
  involuntaryCtxSwitches: count,
  ctxSwitches: count,
  ctxSwitchesPerRequest: z.number(),
  voluntaryCtxSwitchesPerRequest: z.number().optional(),
  involuntaryCtxSwitchesPerRequest: z.number().optional(),
  accepted: count,
  acceptedFirstHalf: count.optional(),
  refused: count,
  requests: count,
  errors: numbers,
  syscalls: numbers.optional(),
  syscallsPerRequest: numbers.optional(),
  extra: numbers.optional(),
});

const pointProfiles = z.object({
  perf: z
    .object({
      folded: z.string(),
      svg: z.string(),
      samples: count,
      frequencyHz: z.number(),
      event: z.string(),
    })
    .optional(),
  offcpu: z
    .object({ folded: z.string(), svg: z.string(), offCpuUs: count, switches: count, event: z.string() })
    .optional(),
  strace: z
    .object({
      file: z.string(),
      syscalls: z.record(z.string(), z.object({ calls: count, errors: count, seconds: z.number() })),
      callsPerRequest: numbers,
    })
    .optional(),
});

const networkPlacement = z.object({
  family: z.enum(['ipv6', 'ipv4']),
  serverNamespace: z.string(),
  loadNamespace: z.string(),
  serverInterface: z.string(),
  serverAddress: z.string(),
  loadInterface: z.string(),
  loadAddress: z.string(),
});

const measuredStart = z.object({
  at: z.string(),
  intendedAt: z.string().optional(),
  offsetMs: z.number().optional(),
});

const pointMergeSummary = z.object({
  parts: z.array(
    z.object({
      file: z.string(),
      hostname: z.string(),
      shard: count.optional(),
      connections: count,
      requests: count,
      rps: z.number(),
      measuredStart: measuredStart.optional(),
    }),
  ),
  startSkewMs: z.number().optional(),
});

const failure = z.object({ code: z.string(), message: z.string(), plugin: z.string().optional() });
const thresholdCheck = z.object({
  threshold: z.string(),
  metric: z.enum([
    'p50',
    'p90',
    'p99',
    'p99_9',
    'p99_99',
    'max',
    'mean',
    'rps',
    'errors',
    'errorRate',
    'cpuPerRequest',
    'dropped',
    'late',
  ]),
  op: z.enum(['<', '<=', '>', '>=']),
  limit: z.number(),
  value: z.number().optional(),
  pass: z.boolean(),
  caution: z.string().optional(),
});

const pointSchedule = z.object({
  targetRate: z.number(),
  achievedRate: z.number(),
  offered: count.optional(),
  lateSends: count,
  droppedSends: count,
  sendLagUs: latencySummary.optional(),
  // Added later: files written before the verdict read as not overloaded.
  overloaded: z.boolean().default(false),
  overloadReason: z.string().optional(),
});

const capacityProbe = z.object({
  search: z.string(),
  phase: z.enum(['saturation', 'search', 'repeat']),
  round: count.optional(),
  pass: z.boolean(),
  reason: z.string().optional(),
});

const pointResult = z.object({
  id: z.string(),
  server: z.string(),
  anchor: z.boolean().optional(),
  load: z.string(),
  target: z.string(),
  params: pointParams,
  repeat: count,
  serverOptions: options,
  loadOptions: options,
  status: z.enum(['ok', 'failed', 'interrupted']),
  error: failure.optional(),
  requests: count,
  bytes: count,
  durationMs: z.number(),
  rps: z.number(),
  errors: errorCounts,
  latencyUs: latencySummary,
  latencyUncorrectedUs: latencySummary.optional(),
  schedule: pointSchedule.optional(),
  perConnection: z
    .object({ connections: count, min: count, max: count, mean: z.number(), starved: count, counts: z.array(count) })
    .optional(),
  starvation: z
    .object({ starved: count, connections: count, seenIn: z.enum(['perConnection', 'acceptedFirstHalf']) })
    .optional(),
  perSecond: z
    .array(
      z.object({
        second: z.number(),
        requests: count,
        errors: count,
        offered: count.optional(),
        late: count.optional(),
        latencyUs: latencySummary.optional(),
      }),
    )
    .optional(),
  serverStats: serverPointStats.optional(),
  loadStats: z.object({
    cpuUs: z.number(),
    cpuUsPerRequest: z.number(),
    generatorBound: z.boolean(),
    generatorBoundReason: z.string().optional(),
    connectionsOpened: count.optional(),
    connectLatencyUs: latencySummary.optional(),
  }),
  loadExtra: numbers.optional(),
  idle: z.object({ requested: count, held: count }).optional(),
  profiles: pointProfiles.optional(),
  network: networkPlacement.optional(),
  measuredStart: measuredStart.optional(),
  merge: pointMergeSummary.optional(),
  thresholds: z.array(thresholdCheck).optional(),
  capacityProbe: capacityProbe.optional(),
  startedAt: z.string(),
});

const capacityResult = z.object({
  search: z.string(),
  server: z.string(),
  anchor: z.boolean().optional(),
  load: z.string(),
  params: pointParams,
  slo: z.array(z.string()),
  outcome: z.enum(['found', 'generator-bound', 'none', 'failed', 'interrupted']),
  rate: z.number().optional(),
  low: z.number().optional(),
  high: z.number().optional(),
  estimates: z.array(z.number()),
  saturationRps: z.number().optional(),
  probes: count,
  summary: z.string(),
});

const runEnvironment = z.object({
  hostname: z.string(),
  platform: z.string(),
  arch: z.string(),
  kernel: z.string(),
  cpuModel: z.string(),
  cpuCount: count,
  memoryBytes: z.number(),
  node: z.string(),
  iobench: z.string(),
  gitCommit: z.string().optional(),
  tools: z.record(z.string(), z.string()),
  pinning: z.object({ serverCpus: z.string().optional(), loadCpus: z.string().optional() }),
  fdLimit: z.number().optional(),
});

const runPlan = z.object({
  servers: z.array(z.string()),
  target: z.string().optional(),
  anchors: z.array(z.object({ name: z.string(), url: z.string() })).optional(),
  load: z.string(),
  loads: z.array(z.string()).optional(),
  connections: z.array(count),
  durationMs: z.number(),
  warmupMs: z.number(),
  repeat: count,
  threads: z.array(count),
  pipelining: count,
  timeoutMs: z.number(),
  rate: z.array(z.number()).optional(),
  arrivals: arrivals.optional(),
  seed: count.optional(),
  stages: z.array(rateStage).optional(),
  findCapacity: z.object({ slo: z.array(z.string()), probeDurationMs: z.number(), rounds: count }).optional(),
  requests: count.optional(),
  idleConnections: z.array(count),
  bodySize: z.array(count).optional(),
  work: z.array(z.string()).optional(),
  sweep: z.array(
    z.object({
      key: z.enum(['connections', 'threads', 'rate', 'idleConnections', 'bodySize', 'work']),
      values: z.array(z.union([z.number(), z.string()])),
    }),
  ),
  thresholds: z.array(z.string()).optional(),
  serverOptions: z.record(z.string(), options),
  loadOptions: options,
  pointCount: count,
});

const shardRecord = z
  .object({
    index: count,
    count: count.min(1),
    totals: z.object({
      connections: z.array(count),
      idleConnections: z.array(count),
      rate: z.array(z.number()).optional(),
      requests: count.optional(),
    }),
  })
  .refine((s) => s.index < s.count, { message: 'expected a shard index below the shard count' });

/**
 * The whole results file. Unknown keys are allowed (a merged file adds `env.hosts`; newer minor
 * versions may add fields); readers keep the file as written rather than this schema's output.
 */
export const resultsFileSchema = z.object({
  schemaVersion: z.number(),
  createdAt: z.string(),
  finishedAt: z.string().optional(),
  status: z.enum(['running', 'complete', 'interrupted', 'failed']),
  error: failure.optional(),
  env: runEnvironment,
  plan: runPlan,
  shard: shardRecord.optional(),
  points: z.array(pointResult),
  capacity: z.array(capacityResult).optional(),
});

/** True when A and B are the same type (not merely assignable: an optional key missing counts). */
type Same<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;

// Compile-time agreement of schema and types, part by part so that a mismatch names the part.
const agree = <_ extends true>() => undefined;
agree<Same<z.output<typeof latencySummary>, LatencySummary>>();
agree<Same<z.output<typeof pointParams>, PointParams>>();
agree<Same<z.output<typeof serverPointStats>, ServerPointStats>>();
agree<Same<z.output<typeof pointProfiles>, PointProfiles>>();
agree<Same<z.output<typeof networkPlacement>, NetworkPlacement>>();
agree<Same<z.output<typeof measuredStart>, MeasuredStart>>();
agree<Same<z.output<typeof pointMergeSummary>, PointMergeSummary>>();
agree<Same<z.output<typeof thresholdCheck>, ThresholdCheck>>();
agree<Same<z.output<typeof pointSchedule>, PointSchedule>>();
agree<Same<z.output<typeof pointResult>, PointResult>>();
agree<Same<z.output<typeof capacityResult>, CapacityResult>>();
agree<Same<z.output<typeof shardRecord>, ShardRecord>>();
agree<Same<z.output<typeof runEnvironment>, RunEnvironment>>();
agree<Same<z.output<typeof runPlan>, RunPlan>>();
agree<Same<z.output<typeof resultsFileSchema>, ResultsFile>>();
