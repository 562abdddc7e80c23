/**
 * The undici plugin's `run`: turns the context and options into thread specs, runs them, reports
 * progress about once a second, merges the threads' results and judges whether the generator was
 * the bottleneck.
 */
import { readFile } from 'node:fs/promises';
import { rootCertificates } from 'node:tls';
import {
  ConfigError,
  type LoadContext,
  type LoadResult,
  type LoadTarget,
  PluginOptionsError,
  parseZonedUrl,
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
    method: options.method,
    path: options.path ?? `${url.pathname}${url.search}`,
    headers: Object.entries(options.headers).flat(),
    body: options.body,
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
    ...(url.protocol === 'https:' ? { tls: await tlsSpec(options) } : {}),
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
      `undici refused the request built from options method/path/headers/body: ${rejected} ` +
        `(method ${JSON.stringify(total.method)}, path ${JSON.stringify(total.path)}, headers ${JSON.stringify(options.headers)})`,
      { plugin: 'undici' },
    );
  }

  const http2Refused = results.find((r) => r.http2Refused !== undefined)?.http2Refused;
  if (http2Refused !== undefined) {
    throw new ConfigError(http2Refused, {
      plugin: 'undici',
      suggestions: ['Drop --http2 to measure it over HTTP/1.1, or enable HTTP/2 on the server.'],
    });
  }

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

/** The certificate checks the options ask for; the `ca` file is read here, once, for every thread. */
async function tlsSpec(options: UndiciOptions): Promise<TlsSpec> {
  if (options.ca === undefined) return { rejectUnauthorized: !options.insecure };
  let pem: string;
  try {
    pem = await readFile(options.ca, 'utf8');
  } catch (cause) {
    throw new PluginOptionsError(
      `options.ca must be a readable PEM file of CA certificates (got ${JSON.stringify(options.ca)}: ${(cause as Error).message})`,
      { plugin: 'undici', cause },
    );
  }
  if (!pem.includes('-----BEGIN CERTIFICATE-----')) {
    throw new PluginOptionsError(
      `options.ca must be a PEM file of CA certificates (got ${JSON.stringify(options.ca)}, which holds no "-----BEGIN CERTIFICATE-----")`,
      { plugin: 'undici' },
    );
  }
  return { rejectUnauthorized: !options.insecure, ca: [...rootCertificates, pem] };
}
