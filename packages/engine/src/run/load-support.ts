/**
 * Whether the load generator can honour the plan: every setting beyond the baseline (`LoadSupports`
 * in the contract) must be declared by the generator. Checked in preflight, so that a plan the
 * generator would refuse is refused before any server starts.
 */

import type { LoadCapability, LoadPlugin } from '@iobench/core';
import { ConfigError } from '@iobench/core';
import type { Config } from '../config/schema.js';
import type { PluginRegistry } from '../plugin/resolve.js';

/** Each capability: how a plan asks for it (the setting, as the user writes it) and what it is. */
const CAPABILITIES: Record<LoadCapability, { askedBy(config: Config): string | undefined; what: string }> = {
  rate: {
    askedBy: (c) =>
      c.rate
        ? `--rate ${c.rate.join(',')}`
        : c.findCapacity.length > 0
          ? `--find-capacity ${c.findCapacity.map((t) => t.text).join(',')}`
          : c.stages
            ? '--stages'
            : undefined,
    what: 'the open model (a fixed request rate)',
  },
  arrivals: {
    askedBy: (c) =>
      c.stages
        ? '--stages'
        : c.arrivals === 'poisson' || (c.findCapacity.length > 0 && c.arrivals === undefined)
          ? '--arrivals poisson'
          : undefined,
    what: 'Poisson arrivals and ramping rates',
  },
  requests: {
    askedBy: (c) => (c.requests !== undefined ? `--requests ${c.requests}` : undefined),
    what: 'stopping after a request count',
  },
  pipelining: {
    askedBy: (c) => (c.pipelining > 1 ? `--pipelining ${c.pipelining}` : undefined),
    what: 'more than one request in flight per connection',
  },
  threads: {
    askedBy: (c) => (c.threads.some((t) => t > 1) ? `--threads ${c.threads.join(',')}` : undefined),
    what: 'more than one thread',
  },
  // Before tls: a generator without either is best told about the rarer one, which narrows the choice.
  http2: {
    askedBy: (c) => (c.http2 ? '--http2' : undefined),
    what: 'HTTP/2',
  },
  tls: {
    askedBy: (c) => {
      if (c.target?.startsWith('https:')) return `--target ${c.target}`;
      const anchor = c.target ? undefined : c.anchors.find((a) => a.url.startsWith('https:'));
      return anchor ? `anchor ${anchor.name} (${anchor.url})` : undefined;
    },
    what: 'https:// targets',
  },
  tlsVerify: {
    askedBy: (c) => (c.cacert !== undefined ? `--cacert ${c.cacert}` : undefined),
    what: 'checking certificates against a CA (a generator that speaks TLS without it never checks them, as if --insecure were given)',
  },
  request: {
    askedBy: (c) =>
      c.method !== undefined && c.method !== 'GET'
        ? `--method ${c.method}`
        : c.headers?.length
          ? `--header "${c.headers[0]!.join(': ')}"`
          : c.body !== undefined || c.bodyFile !== undefined
            ? c.bodyFile !== undefined
              ? `--body-file ${c.bodyFile}`
              : '--body'
            : undefined,
    what: 'requests other than a GET of the URL (method, headers, body)',
  },
  requestList: {
    askedBy: (c) => (c.requestsFile !== undefined ? `--requests-file ${c.requestsFile}` : undefined),
    what: 'a list of requests cycled per connection',
  },
};

/** True when `plugin` declares `capability`. */
export function loadSupports(plugin: LoadPlugin<any>, capability: LoadCapability): boolean {
  return plugin.supports?.[capability] === true;
}

/**
 * Throws a ConfigError (exit 2) for the first setting of `config` that `plugin` does not declare,
 * suggesting the generators of `registry` that do.
 */
export async function checkLoadSupport(
  plugin: LoadPlugin<any>,
  config: Config,
  registry: PluginRegistry,
): Promise<void> {
  for (const [capability, { askedBy, what }] of Object.entries(CAPABILITIES) as Array<
    [LoadCapability, (typeof CAPABILITIES)[LoadCapability]]
  >) {
    const setting = askedBy(config);
    if (setting === undefined || loadSupports(plugin, capability)) continue;
    const others = (await registry.available('load'))
      .map((p) => p.plugin as LoadPlugin<any>)
      .filter((p) => p.name !== plugin.name && loadSupports(p, capability));
    throw new ConfigError(`load generator "${plugin.name}" cannot honour ${setting}: it does not support ${what}`, {
      plugin: plugin.name,
      suggestions: [
        others.length > 0
          ? `use ${others.map((p) => `--load ${p.name}`).join(' or ')} instead`
          : `no available load generator supports ${what}`,
      ],
    });
  }
}
