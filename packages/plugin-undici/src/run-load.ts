/**
 * The undici plugin's `run`: turns the context and options into thread specs, runs them, reports
 * progress about once a second, merges the threads' results and judges whether the generator was
 * the bottleneck.
 */
import { rootCertificates } from 'node:tls';
import {
  ConfigError,
  type LoadContext,
  type LoadResult,
  type LoadTarget,
  type LoadTls,
  notHttp2Error,
  PluginOptionsError,
  parseZonedUrl,
  targetRequests,
} from '@iobench/core';
import { generatorVerdict, measureThreads, mergeThreadResults, round3, splitLoad } from '@iobench/load-kit';
import type { UndiciOptions } from './options.js';
import { runThreads } from './run-threads.js';
import type { ThreadSpec, TlsSpec } from './thread-spec.js';

export async function runUndiciLoad(ctx: LoadContext, target: LoadTarget, options: UndiciOptions): Promise<LoadResult> {
  // undici takes no IPv6 zone in a URL: `[fe80::1%iob1]` is split off and given to the connector.
  const { url, zone } = parseZonedUrl(target.url);
  const { params } = ctx;
  const total: ThreadSpec = {
    origin: url.origin,
    requestList: targetRequests(target, url).map(({ method, path, headers, body }) => ({
      method,
      path,
      headers: headers.flat(),
      ...(body ? { body } : {}),
    })),
    connections: params.connections,
    pipelining: params.pipelining,
    durationMs: params.durationMs,
    requests: params.requests,
    rate: params.rate,
    arrivals: params.arrivals,
    seed: params.seed,
    stages: params.stages,
    timeoutMs: params.timeoutMs,
    localAddress: options.localAddress,
    zone,
    ...(url.protocol === 'https:' ? { tls: tlsSpec(target.tls) } : {}),
    http2: params.http2 === true,
  };
  const specs = splitLoad(total, params.threads);
  ctx.log(
    '%d thread(s), %d connection(s) to %s, %s',
    specs.length,
    params.connections,
    url.origin,
    params.rate ? `${params.rate} req/s, ${params.arrivals ?? 'uniform'} arrivals` : 'closed model',
  );
  if (total.http2 && url.protocol !== 'https:') {
    // Core refuses such a plan; this guards the SDK caller. undici negotiates h2 only in TLS.
    throw new ConfigError(
      `HTTP/2 needs an https:// target (got ${target.url}): h2 is negotiated in the TLS handshake`,
      {
        plugin: 'undici',
      },
    );
  }

  const { results, cpu } = await measureThreads(ctx, specs.length, (board) => runThreads(specs, ctx.signal, board));
  const rejected = results.find((r) => r.requestRejected !== undefined)?.requestRejected;
  if (rejected !== undefined) {
    throw new PluginOptionsError(
      `undici refused to send a request of the run (built from --method, --header, --body or --requests-file): ${rejected}`,
      { plugin: 'undici' },
    );
  }

  const http2Refused = results.find((r) => r.http2Refused !== undefined)?.http2Refused;
  if (http2Refused !== undefined) throw notHttp2Error(http2Refused.origin, http2Refused.chosen, { plugin: 'undici' });

  const { loop, ...merged } = mergeThreadResults(results, params.rate);
  const { generatorBound, extra } = generatorVerdict(
    { loop, cpu, durationMs: merged.durationMs, threads: specs.length },
    options.saturationThreshold,
  );
  return {
    ...merged,
    // Every connection negotiated it: with http2 the connector refuses any other, and without it
    // ALPN offers http/1.1 only.
    ...(merged.connectionsOpened ? { protocol: total.http2 ? 'h2' : 'http/1.1' } : {}),
    generatorBound,
    extra: {
      ...extra,
      eventLoopUtilization: round3(loop.utilization),
      eventLoopDelayP99Us: loop.delayP99Us,
      eventLoopDelayMaxUs: loop.delayMaxUs,
    },
  };
}

/** The certificate checks of `--insecure` and `--cacert` (whose PEM iobench has read), as `tls.connect` takes them. */
function tlsSpec(tls: LoadTls | undefined): TlsSpec {
  if (tls?.ca === undefined) return { rejectUnauthorized: !tls?.insecure };
  return { rejectUnauthorized: !tls.insecure, ca: [...rootCertificates, tls.ca] };
}
