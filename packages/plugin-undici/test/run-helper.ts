/** Runs the undici plugin the way core does: options through the schema, params with bounded defaults. */
import type { LoadParams, LoadProgress, LoadRequest, LoadResult, LoadTls } from '@iobench/core';
import undici, { undiciOptionsSchema } from '../src/index.js';

export interface RunOverrides {
  params?: Partial<LoadParams>;
  options?: Record<string, unknown>;
  /** `LoadTarget.requests`: what iobench's -X, -H, --body and --requests-file make. */
  requests?: LoadRequest[];
  /** `LoadTarget.tls`: what -k and --cacert make. */
  tls?: LoadTls;
  signal?: AbortSignal;
  onProgress?: (progress: LoadProgress) => void;
}

export function runUndici(url: string, overrides: RunOverrides = {}): Promise<LoadResult> {
  const params: LoadParams = {
    connections: 4,
    durationMs: 500,
    threads: 1,
    pipelining: 1,
    timeoutMs: 2000,
    ...overrides.params,
  };
  return undici.run(
    {
      log: () => {},
      signal: overrides.signal ?? new AbortController().signal,
      params,
      onProgress: overrides.onProgress,
    },
    { url, requests: overrides.requests, tls: overrides.tls },
    undiciOptionsSchema.parse(overrides.options ?? {}),
  );
}
