/**
 * The measures every part of the results file is built from: counts, HDR histograms and their
 * latency summaries, error classes, and the record of a failure.
 */
import { z } from 'zod';
import { decodeHistogram } from '../histogram/index.js';

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
export const latencySummary = z.object({
  p50: z.number(),
  p90: z.number(),
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
export type LatencySummary = z.output<typeof latencySummary>;

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
  /** Response with a status outside 2xx/3xx. */
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

/** The error classes, in the order results list them. */
export const ERROR_CLASSES = errorCounts.keyof().options;

/** An error as results record it: its code, its message and the plugin it is blamed on. */
export const failureRecord = z.object({ code: z.string(), message: z.string(), plugin: z.string().optional() });
export type FailureRecord = z.output<typeof failureRecord>;
