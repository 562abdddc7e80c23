/**
 * Reads the JSON report the Lua `done()` writes and turns it into iobench's measurements: wrk's
 * summary, its error counts mapped to iobench's classes, and an HDR histogram rebuilt from wrk's raw
 * latency buckets after undoing wrk's built-in correction (see wrk-correction.ts).
 */
import {
  createLatencyHistogram,
  type EncodedHistogram,
  type ErrorCounts,
  encodeHistogram,
  type ProcessUsage,
  ToolError,
} from '@iobench/core';
import type { WRK_PERCENTILES } from './lua-script.js';
import { type LatencyBucket, undoWrkCorrection, wrkCorrectionIntervalUs } from './wrk-correction.js';

/** The report exactly as the Lua script writes it. */
export interface WrkReport {
  durationUs: number;
  /** Responses wrk completed, any status, including those slower than its timeout. */
  requests: number;
  bytes: number;
  errors: { connect: number; read: number; write: number; status: number; timeout: number };
  /** Responses delimited by connection close, or -1 when they were not counted. */
  closeDelimited: number;
  /**
   * Every response wrk completed by status code (including those over its timeout), or null when
   * they were not counted (the plugin's `statusCodes` option is off).
   */
  statusCodes: Record<string, number> | null;
  /** wrk's own percentiles of its corrected distribution (what wrk prints). */
  percentiles: Record<keyof typeof WRK_PERCENTILES, number>;
  /** How the Lua script read the buckets: through LuaJIT's FFI or wrk's `latency(i)`. */
  bucketReader: 'ffi' | 'lua';
  /** Flat [value, count, value, count, ...] of wrk's corrected distribution. */
  buckets: number[];
  /** wrk's getrusage(RUSAGE_SELF) at the end of the run; null where LuaJIT's FFI could not call it. */
  rusage?: ProcessUsage | null;
  /** wrk's /proc/self/stat line at the end of the run. */
  procStat: string;
}

/** What the report tells once wrk's correction is undone. */
export interface WrkMeasurement {
  /** Measured responses with a latency (the histogram's count). */
  requests: number;
  bytes: number;
  durationMs: number;
  errors: ErrorCounts;
  /** Responses by status code, when the Lua hook counted them. */
  statusCodes?: Record<string, number>;
  latency: EncodedHistogram;
  /** Measured distribution (no synthetic samples), ascending. */
  measuredBuckets: LatencyBucket[];
  /** wrk's correction interval; 0 when wrk applied none. */
  correctionIntervalUs: number;
  extra: Record<string, number>;
}

export function parseWrkReport(text: string): WrkReport {
  let report: WrkReport;
  try {
    report = JSON.parse(text) as WrkReport;
  } catch (cause) {
    throw new ToolError(`wrk's report is not valid JSON (${text.length} bytes)`, { plugin: 'wrk', cause });
  }
  if (typeof report.requests !== 'number' || !Array.isArray(report.buckets) || report.buckets.length % 2 !== 0) {
    throw new ToolError(`wrk's report lacks requests or latency buckets: ${text.slice(0, 200)}`, { plugin: 'wrk' });
  }
  return report;
}

/** Rebuilds iobench's measurements from wrk's report; `connections` is the `-c` wrk ran with. */
export function measureFromReport(report: WrkReport, connections: number): WrkMeasurement {
  const corrected: LatencyBucket[] = [];
  for (let i = 0; i < report.buckets.length; i += 2) corrected.push([report.buckets[i]!, report.buckets[i + 1]!]);

  const intervalUs = wrkCorrectionIntervalUs(report.durationUs, report.requests, connections);
  const measured = undoWrkCorrection(corrected, intervalUs);
  if (measured === undefined) {
    throw new ToolError(
      `wrk's latency distribution does not match wrk 4's stats_correct (interval ${intervalUs} us); this wrk build is not supported`,
      { plugin: 'wrk', suggestions: ['use the wrk 4.x from Debian (apt-get install wrk)'] },
    );
  }

  const histogram = createLatencyHistogram();
  let recorded = 0;
  for (const [valueUs, count] of measured) {
    histogram.recordValueWithCount(valueUs, count);
    recorded += count;
  }
  const latency = encodeHistogram(histogram);
  histogram.destroy();

  const { connect, read, write, status, timeout } = report.errors;
  // wrk counts each close-delimited response as a read error too; those are successes.
  const closeDelimited = Math.max(0, report.closeDelimited);
  const realRead = Math.max(0, read - closeDelimited);
  return {
    requests: recorded,
    bytes: report.bytes,
    durationMs: report.durationUs / 1000,
    // wrk folds resets into read/write errors, parse failures into read errors, and refused
    // connections into write errors: those classes cannot be told apart.
    errors: { connect, read: realRead, write, timeout, reset: 0, status, parse: 0, tls: 0 },
    ...(report.statusCodes ? { statusCodes: report.statusCodes } : {}),
    latency,
    measuredBuckets: measured,
    correctionIntervalUs: intervalUs,
    extra: {
      wrkCompleted: report.requests,
      // Completed after wrk's --timeout: wrk counts them as timeouts and keeps no latency for them.
      responsesOverTimeout: report.requests - recorded,
      wrkCorrectionIntervalUs: intervalUs,
      wrkCorrectedP50Us: report.percentiles.p50,
      wrkCorrectedP90Us: report.percentiles.p90,
      wrkCorrectedP99Us: report.percentiles.p99,
      wrkCorrectedP99_9Us: report.percentiles.p99_9,
      ...(report.closeDelimited >= 0 ? { closeDelimitedResponses: report.closeDelimited } : {}),
    },
  };
}
