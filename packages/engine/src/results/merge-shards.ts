/**
 * The shard files of one sharded run (`iobench run --shard i/N` on N load hosts): checked complete
 * and distinct, then mapped back onto the plan's totals (each file's plan and points carry the
 * shard's own share of connections, idle connections, rate and requests), so that `mergeResults`
 * merges them like any files of one plan.
 */

import type { PointParams, PointResult, RunPlan, ShardRecord, ShardTotals } from '@iobench/core';
import { ResultsMismatchError } from '@iobench/core';
import { shardValues } from '../shard/shard.js';
import type { MergeInput } from './merge.js';

const SUGGEST = 'merge the results.json of every shard of one run: `iobench run --shard i/N` for i = 0 to N-1';

/** True when any input measured a shard; then every input must, and `unshard` applies. */
export function isSharded(inputs: MergeInput[]): boolean {
  return inputs.some((i) => i.results.shard !== undefined);
}

/**
 * Checks that the inputs are the N shards of one run, each once (the error names the file that is
 * not a shard, the shard given twice, or the shards missing), and returns them in shard order,
 * mapped onto the totals.
 */
export function unshardInputs(inputs: MergeInput[]): MergeInput[] {
  const notShard = inputs.find((i) => i.results.shard === undefined);
  const first = inputs.find((i) => i.results.shard !== undefined)!;
  const count = first.results.shard!.count;
  if (notShard) {
    throw new ResultsMismatchError(
      `${notShard.file} is not a shard, but ${first.file} is shard ${describe(first.results.shard!)}: shard files merge only with the other shards of their run`,
      { suggestions: [SUGGEST] },
    );
  }
  const byIndex = new Map<number, MergeInput>();
  for (const input of inputs) {
    const shard = input.results.shard!;
    if (shard.count !== count) {
      throw new ResultsMismatchError(
        `${input.file} is shard ${describe(shard)} but ${first.file} is shard ${describe(first.results.shard!)}: they split different plans (${shard.count} and ${count} shards)`,
        { suggestions: [SUGGEST] },
      );
    }
    const earlier = byIndex.get(shard.index);
    if (earlier) {
      throw new ResultsMismatchError(
        `${earlier.file} and ${input.file} are both shard ${describe(shard)}; merging a shard twice would double its counts`,
        { suggestions: [SUGGEST] },
      );
    }
    byIndex.set(shard.index, input);
  }
  const missing = Array.from({ length: count }, (_, i) => i).filter((i) => !byIndex.has(i));
  if (missing.length > 0) {
    const given = [...byIndex].map(([i, input]) => `${i}: ${input.file}`).join(', ');
    throw new ResultsMismatchError(
      `shard(s) ${missing.map((i) => `${i}/${count}`).join(', ')} missing: a run split into ${count} shards merges from all ${count} (given ${given})`,
      { suggestions: [SUGGEST] },
    );
  }
  return [...byIndex.keys()].sort((a, b) => a - b).map((i) => unshard(byIndex.get(i)!));
}

/**
 * One shard file with the plan and points of the whole run (the totals in place of its share); its
 * `shard` record stays, so the merge can name each part's shard.
 */
function unshard({ file, results }: MergeInput): MergeInput {
  const shard = results.shard!;
  const own = shardValues(shard.totals, shard);
  const totalsPlan = planWithTotals(results.plan, shard.totals);
  const mismatch = (['connections', 'idleConnections', 'rate', 'requests'] as const).find(
    (key) => JSON.stringify(results.plan[key]) !== JSON.stringify(own[key]),
  );
  if (mismatch) {
    throw new ResultsMismatchError(
      `${file}: its plan's ${mismatch} (${JSON.stringify(results.plan[mismatch])}) is not shard ${describe(shard)}'s share of the recorded totals (${JSON.stringify(own[mismatch])}); is the file edited?`,
    );
  }
  return {
    file,
    results: {
      ...results,
      plan: totalsPlan,
      points: results.points.map((p) => pointWithTotals(p, own, shard.totals)),
    },
  };
}

function describe(shard: ShardRecord): string {
  return `${shard.index}/${shard.count}`;
}

/** The whole run's plan: the totals in place of the shard's values, in the sweep too. */
function planWithTotals(plan: RunPlan, totals: ShardTotals): RunPlan {
  const swept: Partial<Record<string, number[]>> = {
    connections: totals.connections,
    idleConnections: totals.idleConnections,
    rate: totals.rate,
  };
  return {
    ...plan,
    connections: totals.connections,
    idleConnections: totals.idleConnections,
    ...(totals.rate ? { rate: totals.rate } : {}),
    ...(totals.requests !== undefined ? { requests: totals.requests } : {}),
    sweep: plan.sweep.map((d) => ({ ...d, values: swept[d.key] ?? d.values })),
  };
}

/**
 * A shard's point as a point of the whole plan: each split parameter replaced by the total whose
 * share it is (shares of distinct totals are distinct: `shardValues` refuses the rest), and the
 * id's labels (`c22` -> `c64`) with them.
 */
function pointWithTotals(point: PointResult, own: ShardTotals, totals: ShardTotals): PointResult {
  const total = (values: number[] | undefined, mine: number[] | undefined, value: number | undefined) => {
    if (value === undefined || !values || !mine) return value;
    const at = mine.indexOf(value);
    return at >= 0 ? values[at] : value;
  };
  const params: PointParams = {
    ...point.params,
    connections: total(totals.connections, own.connections, point.params.connections)!,
    idleConnections: total(totals.idleConnections, own.idleConnections, point.params.idleConnections)!,
    ...(point.params.rate !== undefined ? { rate: total(totals.rate, own.rate, point.params.rate) } : {}),
    ...(point.params.requests !== undefined && totals.requests !== undefined ? { requests: totals.requests } : {}),
  };
  return { ...point, id: relabel(point.id, point.params, params), params };
}

/** `target/native/c22/idle3/r0` -> `target/native/c64/idle10/r0`: the plan's labels of split parameters. */
function relabel(id: string, from: PointParams, to: PointParams): string {
  const labels: Array<[string, number | undefined, number | undefined]> = [
    ['c', from.connections, to.connections],
    ['rate', from.rate, to.rate],
    ['idle', from.idleConnections, to.idleConnections],
  ];
  const parts = id.split('/');
  // The first two parts name the server and the load, the last the repeat: labels sit between.
  for (let i = 2; i < parts.length - 1; i++) {
    const hit = labels.find(([label, value]) => value !== undefined && parts[i] === `${label}${value}`);
    if (hit) {
      parts[i] = `${hit[0]}${hit[2]}`;
      labels.splice(labels.indexOf(hit), 1);
    }
  }
  return parts.join('/');
}
