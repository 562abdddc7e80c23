/**
 * HdrHistogram log export: one `.hlog` per point, in HdrHistogram's own interval log format, so
 * results open in HistogramLogAnalyzer, HistogramLogProcessor and friends. The measured phase is one
 * interval (iobench keeps one latency histogram per point, not one per second).
 */
import { decodeHistogram, type PointResult } from '@iobench/core';
import { HistogramLogWriter } from 'hdr-histogram-js';

/** Tag of the interval holding the open model's latency measured from the actual send time. */
export const UNCORRECTED_TAG = 'uncorrected';

/** A file name for a point id: `node/undici/c8/r0` -> `node_undici_c8_r0`. */
export function hlogFileName(pointId: string): string {
  return `${pointId.replace(/[^A-Za-z0-9.-]+/g, '_').replace(/^_+|_+$/g, '') || 'point'}.hlog`;
}

/**
 * The log text for one point. The latency histogram (microseconds; corrected for coordinated
 * omission in the open model) is the untagged interval that HdrHistogram's tools read by default;
 * the uncorrected one, when present, follows with `Tag=uncorrected`. Undefined for a point that
 * recorded nothing.
 */
export function renderHlog(point: PointResult): string | undefined {
  const latency = decodeHistogram(point.latencyUs.hdr);
  if (latency.totalCount === 0) return undefined;
  let text = '';
  const writer = new HistogramLogWriter((chunk) => {
    text += chunk;
  });
  const startMs = Date.parse(point.startedAt);
  writer.outputLogFormatVersion();
  // Written by hand: the library's outputStartTime adds a stray blank line after the comment.
  if (Number.isFinite(startMs))
    writer.outputComment(
      `[StartTime: ${(startMs / 1000).toFixed(3)} (seconds since epoch), ${new Date(startMs).toISOString()}]`,
    );
  writer.outputComment(
    `[iobench point ${point.id}: server ${point.server}, load ${point.load}, ${point.params.connections} connections, repeat ${point.repeat}]`,
  );
  writer.outputComment(
    `[Values in microseconds; Interval_Max in milliseconds. ${point.requests} requests in ${point.durationMs} ms.]`,
  );
  writer.outputLegend();
  const endS = point.durationMs / 1000;
  // Timestamps are relative to StartTime; 1000 turns the microsecond max into milliseconds.
  writer.outputIntervalHistogram(latency, 0, endS, 1000);
  if (point.latencyUncorrectedUs) {
    const uncorrected = decodeHistogram(point.latencyUncorrectedUs.hdr);
    uncorrected.tag = UNCORRECTED_TAG;
    writer.outputIntervalHistogram(uncorrected, 0, endS, 1000);
  }
  return text;
}
