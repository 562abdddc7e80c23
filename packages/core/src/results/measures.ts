/**
 * The measures every part of the results file is built from: counts, HDR histograms and their
 * latency summaries, error classes, and the record of a failure.
 */
import { z } from 'zod';
import { decodeHistogram, percentileOf } from '../histogram/index.js';

/** Something counted: requests, connections, syscalls. */
export const count = z.number().int().min(0);
/** Named figures (counters, syscalls, extras). */
export const numbers = z.record(z.string(), z.number());
/** A plugin's options as validated. */
export const options = z.record(z.string(), z.unknown());

/** An HTTP version as TLS ALPN names it: `http/1.1`, or `h2` (HTTP/2). */
export const httpProtocol = z.enum(['http/1.1', 'h2']);
export type HttpProtocol = z.output<typeof httpProtocol>;

/**
 * An HDR histogram in HdrHistogram's compressed V2 encoding, base64 (what
 * `encodeIntoCompressedBase64` of hdr-histogram-js produces). Values are microseconds, 3 significant
 * digits. Histograms encoded this way merge losslessly across threads, runs and hosts. The schema
 * checks one by decoding it: a string that does not decode is useless later.
 */
export const encodedHistogram = z.string().superRefine((encoded, ctx) => {
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
export type EncodedHistogram = z.output<typeof encodedHistogram>;

/** Latency summary in microseconds plus the encoded histogram it was computed from. */
const latencySummaryShape = z.object({
  p50: z.number(),
  /** Added after the others (k6's and hey's defaults); files written before it read it back from `hdr`. */
  p75: z.number(),
  p90: z.number(),
  /** Added with p75; read back from `hdr` like it. */
  p95: z.number(),
  p99: z.number(),
  p99_9: z.number(),
  p99_99: z.number(),
  max: z.number(),
  min: z.number(),
  mean: z.number(),
  stddev: z.number(),
  /** The encoded histogram; its total count equals the point's `requests`. */
  hdr: encodedHistogram,
});

/**
 * A latency summary. Percentiles added to the summary after files were first written (p75, p95)
 * are computed from the summary's own histogram when a file lacks them: the histogram is exact, so
 * the value is the one the point would have recorded.
 */
export const latencySummary = z.preprocess((input) => {
  if (typeof input !== 'object' || input === null) return input;
  const summary = input as Record<string, unknown>;
  if (typeof summary.hdr !== 'string' || (summary.p75 !== undefined && summary.p95 !== undefined)) return input;
  try {
    return { p75: percentileOf(summary.hdr, 75), p95: percentileOf(summary.hdr, 95), ...summary };
  } catch {
    // The histogram does not decode: `encodedHistogram` says so.
    return input;
  }
}, latencySummaryShape);
export type LatencySummary = z.output<typeof latencySummaryShape>;

/** Error classes every load generator maps its failures to. */
export const errorCounts = z.object({
  /** Could not connect (refused, unreachable). */
  connect: count,
  /** Failed reading a response. */
  read: count,
  /** Failed writing a request. */
  write: count,
  /** No response within the timeout. */
  timeout: count,
  /** Connection reset by the server. */
  reset: count,
  /** Response with a status outside 2xx/3xx (its code is counted in the point's `statusCodes`). */
  status: count,
  /** Response that could not be parsed as HTTP. */
  parse: count,
  /**
   * TLS handshake failed (an untrusted or expired certificate, a name mismatch, a protocol error).
   * Added after the others: files written before it read back with 0.
   */
  tls: count.default(0),
});
export type ErrorCounts = z.output<typeof errorCounts>;

/**
 * Completed responses by HTTP status code (`{"200": 1204, "404": 88}`), three-digit codes as keys.
 * Every response counted in `requests` is counted here once, when the generator counts them.
 */
export const statusCodes = z.record(z.string().regex(/^[1-9]\d\d$/, 'a three-digit HTTP status code'), count);
export type StatusCodes = z.output<typeof statusCodes>;

/** The error classes, in the order results list them. */
export const ERROR_CLASSES = errorCounts.keyof().options;

/** An error as results record it: its code, its message and the plugin it is blamed on. */
export const failureRecord = z.object({ code: z.string(), message: z.string(), plugin: z.string().optional() });
export type FailureRecord = z.output<typeof failureRecord>;
