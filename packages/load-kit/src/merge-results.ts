/**
 * Combines the threads' results into one `LoadResult`: counts, errors and status codes summed, histograms merged
 * exactly (bucket counts added), per-connection counts concatenated in thread order, per-second
 * series (counts, latency histograms and the open model's offered sends) added second by second.
 */
import {
  addStatusCodes,
  ERROR_CLASSES,
  type ErrorCounts,
  type LoadResult,
  mergeHistograms,
  type PerSecondSample,
} from '@iobench/core';
import { LATE_US } from './open-model/send-schedule.js';
import type { LoopStats, ThreadResult } from './thread-result.js';

/** Everything in a LoadResult that comes from the threads; the generator-bound verdict is added by the caller. */
export type MergedResult = Omit<LoadResult, 'generatorBound' | 'extra'> & { loop: LoopStats };

export function mergeThreadResults(results: ThreadResult[], targetRate: number | undefined): MergedResult {
  const errors = Object.fromEntries(ERROR_CLASSES.map((c) => [c, 0])) as unknown as ErrorCounts;
  for (const r of results) for (const c of ERROR_CLASSES) errors[c] += r.errors[c];

  const seconds = Math.max(
    0,
    ...results.map((r) => r.perSecondRequests.length),
    ...results.map((r) => r.perSecondErrors.length),
    ...results.map((r) => r.schedule?.offeredPerSecond.length ?? 0),
  );
  const perSecond: PerSecondSample[] = [];
  for (let s = 0; s < seconds; s++) {
    let requests = 0;
    let errorCount = 0;
    for (const r of results) {
      requests += r.perSecondRequests[s] ?? 0;
      errorCount += r.perSecondErrors[s] ?? 0;
    }
    const offered = results.some((r) => r.schedule)
      ? {
          offered: sum(results.map((r) => r.schedule?.offeredPerSecond[s] ?? 0)),
          late: sum(results.map((r) => r.schedule?.latePerSecond[s] ?? 0)),
        }
      : {};
    perSecond.push({ second: s, requests, errors: errorCount, ...offered });
  }

  const latencyPerSecond = mergePerSecondLatency(results, seconds);
  const merged: MergedResult = {
    requests: sum(results.map((r) => r.requests)),
    bytes: sum(results.map((r) => r.bytes)),
    durationMs: Math.max(0, ...results.map((r) => r.durationMs)),
    errors,
    statusCodes: addStatusCodes(results.map((r) => r.statusCodes)) ?? {},
    latency: mergeHistograms(results.map((r) => r.latency)),
    connectLatency: mergeHistograms(results.map((r) => r.connectLatency)),
    perSecond,
    ...(latencyPerSecond ? { latencyPerSecond } : {}),
    perConnection: results.flatMap((r) => r.perConnection),
    connectionsOpened: sum(results.map((r) => r.connectionsOpened)),
    loop: {
      utilization: Math.max(0, ...results.map((r) => r.loop.utilization)),
      delayP99Us: Math.max(0, ...results.map((r) => r.loop.delayP99Us)),
      delayMaxUs: Math.max(0, ...results.map((r) => r.loop.delayMaxUs)),
    },
  };
  if (targetRate !== undefined) {
    merged.latencyUncorrected = mergeHistograms(results.map((r) => r.latencyUncorrected ?? '').filter((h) => h !== ''));
    merged.schedule = {
      targetRate,
      lateAfterUs: Math.max(...results.map((r) => r.schedule?.lateAfterUs ?? LATE_US)),
      offered: sum(results.map((r) => r.schedule?.offered ?? 0)),
      lateSends: sum(results.map((r) => r.schedule?.lateSends ?? 0)),
      droppedSends: sum(results.map((r) => r.schedule?.droppedSends ?? 0)),
      sendLag: mergeHistograms(results.flatMap((r) => (r.schedule ? [r.schedule.sendLag] : []))),
    };
  }
  return merged;
}

/** Each second's histograms added across threads; undefined when a thread kept none. */
function mergePerSecondLatency(results: ThreadResult[], seconds: number): string[] | undefined {
  if (results.length === 0 || !results.every((r) => r.latencyPerSecond)) return undefined;
  return Array.from({ length: seconds }, (_, s) =>
    mergeHistograms(results.flatMap((r) => (r.latencyPerSecond![s] ? [r.latencyPerSecond![s]!] : []))),
  );
}

function sum(values: number[]): number {
  let total = 0;
  for (const v of values) total += v;
  return total;
}
