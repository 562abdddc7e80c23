/** What a run was measured on, and the shard of a plan it measured. */
import { z } from 'zod';
import { count } from './measures.js';

/** Environment the run was measured in. */
export const runEnvironment = z.object({
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
  /** Versions of external tools used (wrk, perf, ...), where found. */
  tools: z.record(z.string(), z.string()),
  /** CPU lists the server and load were pinned to, when they were. */
  pinning: z.object({ serverCpus: z.string().optional(), loadCpus: z.string().optional() }),
  /** `ulimit -n` soft limit of the iobench process. */
  fdLimit: z.number().optional(),
});
export type RunEnvironment = z.output<typeof runEnvironment>;

/** Network namespaces of a `--netns` point. */
export const networkPlacement = z.object({
  family: z.enum(['ipv6', 'ipv4']),
  serverNamespace: z.string(),
  loadNamespace: z.string(),
  /** Interface and address the server listened on, e.g. `iob0`, `fe80::1%iob0`. */
  serverInterface: z.string(),
  serverAddress: z.string(),
  /** Interface and address the load generator sent from, e.g. `iob1`, `fe80::2%iob1`. */
  loadInterface: z.string(),
  loadAddress: z.string(),
});
export type NetworkPlacement = z.output<typeof networkPlacement>;

/** The values of a plan that `--shard` splits, as the whole plan has them (before splitting). */
export const shardTotals = z.object({
  connections: z.array(count),
  idleConnections: z.array(count),
  rate: z.array(z.number()).optional(),
  requests: count.optional(),
});
export type ShardTotals = z.output<typeof shardTotals>;

/** A run that measured one shard of a plan (`iobench run --shard i/N`). */
export const shardRecord = z
  .object({
    /** This shard, 0 to `count` - 1. */
    index: count,
    /** How many shards the plan was split into. */
    count: count.min(1),
    /** The plan's totals: the shares of all `count` shards add up to these exactly. */
    totals: shardTotals,
  })
  .refine((s) => s.index < s.count, { message: 'expected a shard index below the shard count' });
export type ShardRecord = z.output<typeof shardRecord>;
