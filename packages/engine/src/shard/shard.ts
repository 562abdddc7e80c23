/**
 * Sharding a plan's load across N load generators (`iobench run --shard i/N`, one per Kubernetes
 * Indexed Job pod): each shard takes its share of connections, idle connections, rate and request
 * count so that the N shares add up exactly to the plan's totals. Pure functions; the CLI applies a
 * shard to the config before the run, and `merge` maps shard files back onto the totals.
 */

import type { ShardRecord, ShardTotals } from '@iobench/core';
import { ConfigError } from '@iobench/core';
import type { Config } from '../config/schema.js';

/** This process's place among the shards: `index` in 0..count-1. */
export interface Shard {
  index: number;
  count: number;
}

/** The variable a Kubernetes Indexed Job sets in each pod to the pod's completion index. */
export const SHARD_INDEX_ENV = 'JOB_COMPLETION_INDEX';

const SPEC_FORMAT = `i/N (e.g. 0/4), or auto/N or /N to take the index from ${SHARD_INDEX_ENV}`;

/**
 * Parses `--shard`: `i/N`, or `auto/N` and `/N`, which take the index from `JOB_COMPLETION_INDEX`
 * (set by a Kubernetes Indexed Job in each of its pods).
 */
export function parseShard(spec: string, env: NodeJS.ProcessEnv = process.env): Shard {
  const match = /^\s*(\d+|auto)?\s*\/\s*(\d+)\s*$/.exec(spec);
  if (!match) throw new ConfigError(`--shard expects ${SPEC_FORMAT}; received "${spec}"`);
  const count = Number(match[2]);
  if (count < 1) throw new ConfigError(`--shard ${spec}: the shard count must be at least 1 (got ${count})`);
  let index: number;
  if (match[1] === undefined || match[1] === 'auto') {
    const raw = env[SHARD_INDEX_ENV];
    if (raw === undefined || raw === '') {
      throw new ConfigError(
        `--shard ${spec} takes this shard's index from ${SHARD_INDEX_ENV} (set in each pod of a Kubernetes Indexed Job), which is not set`,
        { suggestions: [`give the index yourself: --shard 0/${count}`] },
      );
    }
    if (!/^\d+$/.test(raw.trim()) || Number(raw) >= count) {
      throw new ConfigError(
        `${SHARD_INDEX_ENV} must be a whole number from 0 to ${count - 1} for --shard ${spec} (got "${raw}")`,
      );
    }
    index = Number(raw);
  } else {
    index = Number(match[1]);
    if (index >= count) {
      throw new ConfigError(
        `--shard ${spec}: the index must be below the shard count, 0 to ${count - 1} (got ${index})`,
      );
    }
  }
  return { index, count };
}

/**
 * This shard's share of a whole count: the count divided evenly, the remainder spread one each over
 * the first shards, so the shares of all N shards add up to `total` exactly.
 */
export function shareOf(total: number, shard: Shard): number {
  return Math.floor(total / shard.count) + (shard.index < total % shard.count ? 1 : 0);
}

/**
 * This shard's share of a rate (requests per second, possibly fractional): the whole part split like
 * a count, the fraction on shard 0. Every partial sum is exactly representable, so the shares add up
 * to `rate` exactly in floating point too.
 */
export function rateShareOf(rate: number, shard: Shard): number {
  const whole = Math.floor(rate);
  return shareOf(whole, shard) + (shard.index === 0 ? rate - whole : 0);
}

/** The plan's values that sharding splits, as the config has them before splitting. */
export function shardTotals(
  config: Pick<Config, 'connections' | 'idleConnections' | 'rate' | 'requests'>,
): ShardTotals {
  return {
    connections: config.connections,
    idleConnections: config.idleConnections,
    ...(config.rate !== undefined ? { rate: config.rate } : {}),
    ...(config.requests !== undefined ? { requests: config.requests } : {}),
  };
}

/**
 * One shard's values of the totals. Refused (the same way on every shard, so that no shard runs
 * when another cannot): a total that would leave a shard without a connection, a request or a
 * request per second, and a swept list whose values would coincide on some shard (its points could
 * then not be told apart).
 */
export function shardValues(totals: ShardTotals, shard: Shard): ShardTotals {
  const { count } = shard;
  const tooSmall = (what: string, values: number[], unit: string) => {
    const small = values.find((v) => Math.floor(v) < count);
    if (small !== undefined) {
      throw new ConfigError(
        `${what} ${small} cannot be split into ${count} shards (each shard needs at least one ${unit}); use at most ${Math.floor(small)} shards or raise ${what}`,
      );
    }
  };
  tooSmall('connections', totals.connections, 'connection');
  if (totals.rate) tooSmall('rate', totals.rate, 'request per second');
  if (totals.requests !== undefined) tooSmall('requests', [totals.requests], 'request');
  const split = (what: string, values: number[], share: (v: number, s: Shard) => number) => {
    for (let index = 0; index < count; index++) {
      const shares = values.map((v) => share(v, { index, count }));
      const twice = shares.findIndex((s, i) => shares.indexOf(s) !== i);
      if (twice >= 0) {
        const first = shares.indexOf(shares[twice]!);
        throw new ConfigError(
          `${what} ${values[first]} and ${values[twice]} both give shard ${index}/${count} ${shares[twice]}, so its points could not be told apart; make the swept values differ by at least ${count}`,
        );
      }
    }
    return values.map((v) => share(v, shard));
  };
  return {
    connections: split('connections', totals.connections, shareOf),
    idleConnections: split('idle connections', totals.idleConnections, shareOf),
    ...(totals.rate ? { rate: split('rate', totals.rate, rateShareOf) } : {}),
    ...(totals.requests !== undefined ? { requests: shareOf(totals.requests, shard) } : {}),
  };
}

/**
 * The seed of one shard's Poisson draws, from the run's seed: shards given one seed must not draw
 * the same arrivals, since only independent Poisson streams add up to one Poisson stream at the
 * summed rate (what `merge` reports). Shard 0 keeps the seed, so `--shard 0/1` draws what the
 * unsharded run draws; the others take it through murmur3's 32-bit finaliser. Not a step of
 * `index × 0x9e3779b9` alone: each generator thread derives its own seed by that step
 * (load-kit's `threadSeed`), so shard 1's first thread would draw what shard 0's second draws.
 */
export function shardSeed(seed: number, shard: Shard): number {
  if (shard.index === 0) return seed >>> 0;
  let h = (seed + Math.imul(shard.index, 0x9e3779b9)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/** The config one shard runs, and the record of the shard (with the totals) for its results file. */
export function applyShard(config: Config, shard: Shard): { config: Config; shard: ShardRecord } {
  if (config.findCapacity.length > 0) {
    throw new ConfigError(
      '--find-capacity cannot run sharded: each probe’s rate follows from the previous probe’s result, which the shards would have to share while they run',
      { suggestions: ['run the search from one host (add --threads), or shard a --rate sweep and merge it'] },
    );
  }
  if (config.stages) {
    throw new ConfigError('--stages cannot run sharded yet: merge would have to add the shards’ stages back up', {
      suggestions: ['shard a --rate sweep instead, one rate per point'],
    });
  }
  const totals = shardTotals(config);
  return {
    config: {
      ...config,
      ...shardValues(totals, shard),
      ...(config.seed !== undefined ? { seed: shardSeed(config.seed, shard) } : {}),
    },
    shard: { index: shard.index, count: shard.count, totals },
  };
}
