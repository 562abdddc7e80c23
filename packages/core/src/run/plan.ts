/** Turns a validated config into the ordered list of points a run measures. */
import type { Config } from '../config/schema.js';
import type { PointParams, RunPlan } from '../results/types.js';

/** One point to measure: a server (or the external target), the load, its parameters and repeat. */
export interface PlannedPoint {
  id: string;
  /** Server plugin name; undefined when measuring `config.target`. */
  server?: string;
  params: PointParams;
  repeat: number;
}

/**
 * Points run in a stable order: one server at a time, then each parameter value, then repeats, so
 * that a server is restarted for every point and its repeats sit side by side.
 */
export function planPoints(config: Config): PlannedPoint[] {
  const servers: Array<string | undefined> = config.target ? [undefined] : config.server;
  const points: PlannedPoint[] = [];
  for (const server of servers) {
    for (const connections of config.connections) {
      for (let repeat = 0; repeat < config.repeat; repeat++) {
        const params: PointParams = {
          connections,
          durationMs: config.duration,
          warmupMs: config.warmup,
          threads: config.threads,
          pipelining: config.pipelining,
          timeoutMs: config.timeout,
          ...(config.rate !== undefined ? { rate: config.rate } : {}),
          ...(config.requests !== undefined ? { requests: config.requests } : {}),
        };
        points.push({ id: `${server ?? 'target'}/${config.load}/c${connections}/r${repeat}`, server, params, repeat });
      }
    }
  }
  return points;
}

export function describePlan(
  config: Config,
  points: PlannedPoint[],
  serverOptions: RunPlan['serverOptions'],
  loadOptions: RunPlan['loadOptions'],
): RunPlan {
  return {
    servers: config.target ? [] : config.server,
    ...(config.target ? { target: config.target } : {}),
    load: config.load,
    connections: config.connections,
    durationMs: config.duration,
    warmupMs: config.warmup,
    repeat: config.repeat,
    threads: config.threads,
    pipelining: config.pipelining,
    timeoutMs: config.timeout,
    ...(config.rate !== undefined ? { rate: config.rate } : {}),
    ...(config.requests !== undefined ? { requests: config.requests } : {}),
    serverOptions,
    loadOptions,
    pointCount: points.length,
  };
}
