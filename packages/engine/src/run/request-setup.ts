/**
 * The requests of a run, from the common request settings (`-X`, `-H`, `--body`, `--body-file`,
 * `--requests-file`) and the certificate checks (`-k`, `--cacert`): read and validated once in
 * preflight, then handed to every generator in its `LoadTarget`, so that every generator sends the
 * same requests. These used to be per-generator options; given that way they are refused with the
 * flag to use instead.
 */
import {
  ConfigError,
  type LoadRequest,
  type LoadTarget,
  type LoadTls,
  originForm,
  parseZonedUrl,
  type RunPlan,
} from '@iobench/core';
import type { Config } from '../config/schema.js';
import { readBodyFile } from './request-body.js';
import { readRequestsFile } from './requests-file.js';

/** A request whose `path` is absent takes the path of the URL it is sent to (`--target`'s, an anchor's, `/`). */
export type PlannedRequest = Omit<LoadRequest, 'path'> & { path?: string };

/** What every point's load generator is given besides its URL. */
export interface RequestSetup {
  /** The requests each connection cycles through (one, unless `--requests-file`). */
  requests: PlannedRequest[];
  /** Certificate checks asked for; absent, the system's CAs. */
  tls?: LoadTls;
  /** As results record it (plan.request); absent for a plain GET with default checks. */
  recorded?: RunPlan['request'];
}

/**
 * The former per-generator options that are common settings now, and the flag that sets each —
 * what a `--load-opt method=POST` (or `loadOptions` in a config file) is told to use instead.
 */
const COMMON_REQUEST_OPTIONS: Record<string, string> = {
  method: '-X/--method (config key method)',
  headers: '-H/--header "Name: value" (config key headers)',
  body: '--body TEXT or --body-file FILE (config keys body, bodyFile)',
  path: 'the path of the --target URL, or a --requests-file (config key requestsFile)',
  insecure: '-k/--insecure (config key insecure)',
  ca: '--cacert FILE (config key cacert)',
};

/** Refuses load options that are common request settings now, naming the flag that sets each. */
export function refuseCommonRequestOptions(config: Config): void {
  const lines: string[] = [];
  for (const [plugin, options] of Object.entries(config.loadOptions)) {
    for (const key of Object.keys(options)) {
      const flag = COMMON_REQUEST_OPTIONS[key];
      if (flag)
        lines.push(`load option "${key}" (of ${plugin}) is a setting common to every load generator: use ${flag}`);
    }
  }
  if (lines.length > 0) {
    throw new ConfigError(lines.join('\n'), {
      suggestions: ['the common request settings apply to native, undici and wrk alike; see `iobench run --help`'],
    });
  }
}

/** Reads the body, the requests file and the CA file the config names, and checks them. */
export async function prepareRequests(config: Config): Promise<RequestSetup> {
  const headers = config.headers ?? [];
  let requests: PlannedRequest[];
  if (config.requestsFile !== undefined) {
    const origin = config.target ? parseZonedUrl(config.target).url.origin : undefined;
    const listed = await readRequestsFile(config.requestsFile, origin);
    requests = listed.map((request) => ({ ...request, headers: withHeaders(headers, request.headers) }));
  } else {
    const body =
      config.bodyFile !== undefined
        ? await readBodyFile(config.bodyFile, '--body-file')
        : config.body !== undefined
          ? new Uint8Array(Buffer.from(config.body, 'utf8'))
          : undefined;
    requests = [{ method: config.method ?? 'GET', headers, ...(body ? { body } : {}) }];
  }
  const tls = await tlsChecks(config);
  const plain =
    config.requestsFile === undefined && requests[0]!.method === 'GET' && !headers.length && !requests[0]!.body;
  const recorded: RunPlan['request'] =
    plain && !tls
      ? undefined
      : {
          requests: requests.map(({ method, path, headers, body }) => ({
            method,
            ...(path !== undefined ? { path } : {}),
            headers,
            ...(body ? { bodyBytes: body.length } : {}),
          })),
          ...(config.requestsFile ? { requestsFile: config.requestsFile } : {}),
          ...(config.bodyFile ? { bodyFile: config.bodyFile } : {}),
          ...(tls ? { insecure: tls.insecure } : {}),
          ...(config.cacert ? { cacert: config.cacert } : {}),
        };
  return { requests, ...(tls ? { tls } : {}), ...(recorded ? { recorded } : {}) };
}

/** The `LoadTarget` of a point sending to `url`: the requests with their paths, and the checks. */
export function loadTarget(setup: RequestSetup, url: string): LoadTarget {
  const path = originForm(parseZonedUrl(url).url);
  return {
    url,
    requests: setup.requests.map((request) => ({ ...request, path: request.path ?? path })),
    ...(setup.tls ? { tls: setup.tls } : {}),
  };
}

/** `-H` headers first, then the request's own; a name the request gives itself replaces the `-H` one. */
function withHeaders(common: Array<[string, string]>, own: Array<[string, string]>): Array<[string, string]> {
  const ownNames = new Set(own.map(([name]) => name.toLowerCase()));
  return [...common.filter(([name]) => !ownNames.has(name.toLowerCase())), ...own];
}

async function tlsChecks(config: Config): Promise<LoadTls | undefined> {
  if (config.cacert === undefined) return config.insecure ? { insecure: true } : undefined;
  const pem = Buffer.from(await readBodyFile(config.cacert, '--cacert')).toString('utf8');
  if (!pem.includes('-----BEGIN CERTIFICATE-----')) {
    throw new ConfigError(
      `--cacert ${config.cacert} must be a PEM file of CA certificates; it holds no "-----BEGIN CERTIFICATE-----"`,
    );
  }
  return { insecure: false, ca: pem };
}
