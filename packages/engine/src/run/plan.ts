/** Turns a validated config into the ordered list of points a run measures. */

import type { PointParams, RunPlan, SweepDimension, SweepKey } from '@iobench/core';
import { SWEEP_PARAMETERS } from '@iobench/core';
import type { Config } from '../config/schema.js';

/** One point to measure: a server (or the external target), the load, its parameters and repeat. */
export interface PlannedPoint {
  id: string;
  /** Server plugin name; undefined when measuring `config.target` or an anchor. */
  server?: string;
  /** Load generator plugin name. */
  load: string;
  /** An externally started server measured alongside the plugins, in the same sitting. */
  anchor?: { name: string; url: string };
  params: PointParams;
  repeat: number;
}

/**
 * The open model's settings as every point records them: how requests arrive (uniform unless set,
 * Poisson for a capacity search), the seed of Poisson draws, and a staged rate — whose stages are the
 * measured phase and whose highest rate is the point's `rate`. Empty for the closed model.
 */
export function openModelParams(config: Config): Pick<PointParams, 'arrivals' | 'seed' | 'stages' | 'rate'> & {
  durationMs?: number;
} {
  const capacity = config.findCapacity.length > 0;
  if (!config.rate && !config.stages && !capacity) return {};
  const arrivals = config.arrivals ?? (capacity ? 'poisson' : 'uniform');
  return {
    arrivals,
    ...(arrivals === 'poisson' && config.seed !== undefined ? { seed: config.seed } : {}),
    ...(config.stages
      ? {
          stages: config.stages,
          rate: Math.max(...config.stages.map((s) => s.rate)),
          durationMs: config.stages.reduce((total, s) => total + s.durationMs, 0),
        }
      : {}),
  };
}

/** True when the run draws Poisson arrivals, so that it needs a seed. */
export function drawsArrivals(config: Config): boolean {
  return openModelParams(config).arrivals === 'poisson';
}

/** The values each sweepable parameter takes; a parameter that is not set has none. */
function dimensionValues(config: Config): Record<SweepKey, Array<number | string>> {
  return {
    connections: config.connections,
    threads: config.threads,
    rate: config.rate ?? [],
    idleConnections: config.idleConnections,
    bodySize: config.bodySize ?? [],
    work: config.work ?? [],
  };
}

/** The parameters that take more than one value. */
export function sweepDimensions(config: Config): SweepDimension[] {
  const values = dimensionValues(config);
  return SWEEP_PARAMETERS.filter(({ key }) => values[key].length > 1).map(({ key }) => ({ key, values: values[key] }));
}

/**
 * Points run in a stable order: one server at a time, then each load generator, then the cross
 * product of the swept parameters (connections outermost), then repeats — so that every point
 * restarts its server and a point's repeats sit side by side.
 */
export function planPoints(config: Config): PlannedPoint[] {
  type Series = { server?: string; anchor?: { name: string; url: string } };
  const series: Series[] = config.target
    ? [{}]
    : [...config.server.map((server) => ({ server })), ...config.anchors.map((anchor) => ({ anchor }))];
  const values = dimensionValues(config);
  let combos: Array<Partial<Record<SweepKey, number | string>>> = [{}];
  for (const { key } of SWEEP_PARAMETERS) {
    const vs = values[key];
    if (vs.length === 0) continue;
    combos = combos.flatMap((combo) => vs.map((v) => ({ ...combo, [key]: v })));
  }
  const swept = new Set(sweepDimensions(config).map((d) => d.key));
  const open = openModelParams(config);
  const points: PlannedPoint[] = [];
  for (const { server, anchor } of series) {
    for (const [load, combo] of config.load.flatMap((l) => combos.map((c) => [l, c] as const))) {
      const params: PointParams = {
        connections: combo.connections as number,
        durationMs: config.duration,
        warmupMs: config.warmup,
        threads: combo.threads as number,
        pipelining: config.pipelining,
        timeoutMs: config.timeout,
        idleConnections: combo.idleConnections as number,
        ...open,
        ...(combo.rate !== undefined ? { rate: combo.rate as number } : {}),
        ...(config.requests !== undefined ? { requests: config.requests } : {}),
        ...(config.http2 ? { http2: true } : {}),
        ...(combo.bodySize !== undefined ? { bodySize: combo.bodySize as number } : {}),
        ...(combo.work !== undefined ? { work: combo.work as string } : {}),
      };
      const tags = SWEEP_PARAMETERS.filter(({ key }) => key === 'connections' || swept.has(key)).map(
        ({ key, idTag }) => `${idTag}${combo[key]}`,
      );
      for (let repeat = 0; repeat < config.repeat; repeat++) {
        const name = server ?? anchor?.name ?? 'target';
        points.push({
          id: [name, load, ...tags, `r${repeat}`].join('/'),
          server,
          load,
          ...(anchor ? { anchor } : {}),
          params,
          repeat,
        });
      }
    }
  }
  return points;
}

/** The plan as recorded in the results file. */
export function describePlan(
  config: Config,
  points: PlannedPoint[],
  serverOptions: RunPlan['serverOptions'],
  loadOptions: RunPlan['loadOptions'],
  request?: RunPlan['request'],
): RunPlan {
  return {
    servers: config.target ? [] : config.server,
    ...(config.target ? { target: config.target } : {}),
    ...(config.anchors.length && !config.target ? { anchors: config.anchors } : {}),
    loads: config.load,
    connections: config.connections,
    // A capacity search measures probes of probeDuration; stages last as long as they add up to.
    durationMs:
      config.findCapacity.length > 0 ? config.probeDuration : (openModelParams(config).durationMs ?? config.duration),
    warmupMs: config.warmup,
    repeat: config.repeat,
    threads: config.threads,
    pipelining: config.pipelining,
    timeoutMs: config.timeout,
    ...(config.rate !== undefined ? { rate: config.rate } : {}),
    ...openModelPlan(config),
    ...(config.requests !== undefined ? { requests: config.requests } : {}),
    ...(config.http2 ? { http2: true } : {}),
    idleConnections: config.idleConnections,
    ...(config.bodySize !== undefined ? { bodySize: config.bodySize } : {}),
    ...(config.work !== undefined ? { work: config.work } : {}),
    sweep: sweepDimensions(config),
    ...(request ? { request } : {}),
    ...(config.thresholds.length ? { thresholds: config.thresholds.map((t) => t.text) } : {}),
    serverOptions,
    loadOptions,
    pointCount: points.length,
  };
}

/** The open-model settings of the plan, as results record them. */
function openModelPlan(config: Config): Pick<RunPlan, 'arrivals' | 'seed' | 'stages' | 'findCapacity'> {
  const { arrivals, seed, stages } = openModelParams(config);
  return {
    ...(arrivals ? { arrivals } : {}),
    ...(seed !== undefined ? { seed } : {}),
    ...(stages ? { stages } : {}),
    ...(config.findCapacity.length > 0
      ? {
          findCapacity: {
            slo: config.findCapacity.map((t) => t.text),
            probeDurationMs: config.probeDuration,
            rounds: config.capacityRounds,
          },
        }
      : {}),
  };
}
