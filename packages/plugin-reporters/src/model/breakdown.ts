/**
 * Where a request's CPU goes, server and generator side by side: user and system time, softirq time,
 * syscalls and context switches per request, each the median across the ok repeats. A row per
 * server, sweep value and load generator (one cell of the sweep may hold several generators).
 *
 * Softirq is machine-wide in /proc/stat: a side has its own figure only when server and generator
 * were pinned to disjoint CPUs (`interruptTime.attribution` 'pinned'); the machine's total is there
 * either way.
 */
import { type LoadPointStats, type PointResult, type ServerPointStats, spreadOf } from '@iobench/core';
import type { AggregatedPoint, SweepValue } from './sweep-model.js';

/** One side's cost per request (medians); undefined figures were not measured. */
export interface SideCost {
  userCpuUs?: number;
  systemCpuUs?: number;
  softirqUs?: number;
  syscalls?: number;
  ctxSwitches?: number;
}

export interface BreakdownRow {
  server: string;
  anchor: boolean;
  x: SweepValue | undefined;
  load: string;
  /** The server's cost; undefined for a target or an anchor iobench did not start. */
  serverSide?: SideCost;
  generator: SideCost;
  /** Softirq per request over every CPU of the machine. */
  machineSoftirqUs?: number;
}

/** The breakdown rows of one sweep group's aggregated points; a row only where something was measured beyond the total. */
export function breakdownRows(points: AggregatedPoint[]): BreakdownRow[] {
  return points.flatMap((a) => {
    const loads = [...new Set(a.ok.map((p) => p.load))];
    return loads.flatMap((load) => {
      const measured = a.ok.filter((p) => p.load === load && p.requests > 0);
      if (!measured.some((p) => p.serverStats || p.loadStats.userCpuUs !== undefined || p.interruptTime)) return [];
      const median = (f: (p: PointResult) => number | undefined) =>
        spreadOf(measured.map(f).filter((v): v is number => v !== undefined))?.median;
      const serverSide = measured.some((p) => p.serverStats)
        ? {
            userCpuUs: median((p) => p.serverStats?.userCpuUsPerRequest),
            systemCpuUs: median((p) => p.serverStats?.systemCpuUsPerRequest),
            softirqUs: median((p) => p.interruptTime?.server?.softirqUsPerRequest),
            syscalls: median((p) => syscallsPerRequest(p, p.serverStats)),
            ctxSwitches: median((p) => p.serverStats?.ctxSwitchesPerRequest),
          }
        : undefined;
      return [
        {
          server: a.server,
          anchor: a.anchor,
          x: a.x,
          load,
          ...(serverSide ? { serverSide } : {}),
          generator: {
            userCpuUs: median((p) => p.loadStats.userCpuUsPerRequest),
            systemCpuUs: median((p) => p.loadStats.systemCpuUsPerRequest),
            softirqUs: median((p) => p.interruptTime?.generator?.softirqUsPerRequest),
            syscalls: median((p) => syscallsPerRequest(p, p.loadStats)),
            ctxSwitches: median((p) => generatorSwitches(p.loadStats)),
          },
          machineSoftirqUs: median((p) => p.interruptTime?.softirqUsPerRequest),
        },
      ];
    });
  });
}

/** Every counted syscall per request, from the raw counts (the per-request figures are rounded). */
function syscallsPerRequest(p: PointResult, stats: Pick<ServerPointStats | LoadPointStats, 'syscalls'> | undefined) {
  if (!stats?.syscalls) return undefined;
  return Object.values(stats.syscalls).reduce((sum, n) => sum + n, 0) / p.requests;
}

function generatorSwitches(stats: LoadPointStats): number | undefined {
  const { voluntaryCtxSwitchesPerRequest: vol, involuntaryCtxSwitchesPerRequest: invol } = stats;
  return vol === undefined && invol === undefined ? undefined : (vol ?? 0) + (invol ?? 0);
}
