/**
 * The flags `kube render` and `kube run` share, and the one place they become a `KubePlan`: the plan
 * is checked as each shard's `iobench run` and the server's `iobench serve` will check it, so a plan
 * the pods would refuse is refused before anything is written or applied.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createRegistry, DEFAULT_PLAN } from '@iobench/builtins';
import { ConfigError, validatePluginOptions } from '@iobench/core';
import { configErrorFrom, createConfigSchema } from '@iobench/engine/config';
import { IOBENCH_VERSION } from '@iobench/engine/env';
import { shardTotals, shardValues } from '@iobench/engine/shard';
import { Flags } from '@oclif/core';
import Run from '../commands/run.js';
import { ARRIVALS_HELP, parseKeyValues, type RunSettingFlags, runFlagLayer, scopePluginOptions } from '../flags.js';
import { type KubeFile, type KubePlan, serviceUrl } from './manifests.js';
import { kubeFileText } from './yaml-files.js';

/** The `iobench run` flags every shard takes, passed through to the load pods as given. */
const SHARD_RUN_FLAGS = [
  'load',
  'connections',
  'duration',
  'warmup',
  'repeat',
  'rate',
  'arrivals',
  'seed',
  'idle-connections',
  'threads',
  'pipelining',
  'timeout',
  'requests',
  'method',
  'header',
  'body',
  'insecure',
  'http2',
  'load-opt',
] as const;

/** run's --arrivals, its help without the default --find-capacity gives (not a flag of the kube commands). */
const arrivals: typeof Run.flags.arrivals = {
  ...Run.flags.arrivals,
  description: `${ARRIVALS_HELP} [default: uniform]`,
};

const runFlags = {
  ...(Object.fromEntries(SHARD_RUN_FLAGS.map((name) => [name, Run.flags[name]])) as Pick<
    typeof Run.flags,
    (typeof SHARD_RUN_FLAGS)[number]
  >),
  arrivals,
};

/** What the server, the shards and their pods are: every flag of `kube render` but where and when. */
export const KUBE_PLAN_FLAGS = {
  shards: Flags.integer({ description: 'Load pods (shards) the plan is split into', required: true, min: 1 }),
  target: Flags.string({
    description: 'URL the shards measure [default: the rendered Service, http://<name>-server:<port>/]',
  }),
  server: Flags.string({ char: 's', description: 'Server plugin the Deployment serves', default: 'epoll' }),
  'server-opt': Flags.string({
    description: 'Server option key=value for the Deployment, repeatable',
    multiple: true,
    multipleNonGreedy: true,
  }),
  port: Flags.integer({
    description: 'Port the server listens on and the Service exposes',
    default: 8080,
    min: 1,
    max: 65535,
  }),
  image: Flags.string({
    description: 'The iobench image (see the Dockerfile)',
    default: `iobench:${IOBENCH_VERSION}`,
  }),
  name: Flags.string({
    description: 'Prefix of the objects’ names and their app.kubernetes.io/instance label',
    default: 'iobench',
  }),
  'storage-class': Flags.string({
    description: 'Storage class of the results claim (it must offer ReadWriteMany)',
    exclusive: ['results-host-path', 'results-in-logs'],
  }),
  'results-in-logs': Flags.boolean({
    description:
      'No shared volume (any cluster): each shard prints its results.json to its log (`run --json`); collected with kubectl logs and merged locally',
    exclusive: ['storage-class', 'results-host-path'],
    default: false,
  }),
  'results-size': Flags.string({ description: 'Size of the results claim', default: '1Gi' }),
  'results-host-path': Flags.string({
    description: 'Write results to this directory of each node instead of a claim (e.g. kind with a shared extraMount)',
    exclusive: ['storage-class', 'results-in-logs'],
  }),
  cpu: Flags.string({
    description: 'CPU of every pod, requested and limited alike (Guaranteed pods), e.g. 2 or 1500m',
    default: '1',
  }),
  memory: Flags.string({ description: 'Memory of every pod, requested and limited alike', default: '1Gi' }),
  colocate: Flags.boolean({
    description: 'Let shards share a node with each other or the server when nodes run short (default: one per node)',
    default: false,
  }),
  ...runFlags,
};

/** Parsed flags, loosely typed: both commands' flags hold the plan flags. */
export type KubeFlags = Record<string, string | string[] | number | boolean | undefined> & {
  shards: number;
  server: string;
  port: number;
  image: string;
  name: string;
  cpu: string;
  memory: string;
  colocate: boolean;
  'results-in-logs': boolean;
  'results-size': string;
};

/** The plan the flags describe, checked as the pods will check it; `start` says how the shards start. */
export async function kubePlanFromFlags(flags: KubeFlags, start: KubePlan['start']): Promise<KubePlan> {
  const name = flags.name;
  if (!/^[a-z0-9]([-a-z0-9]{0,40}[a-z0-9])?$/.test(name)) {
    throw new ConfigError(
      `--name must be a DNS label of at most 42 characters: lower-case letters, digits and "-" (got "${name}")`,
    );
  }
  for (const flag of ['cpu', 'memory'] as const) {
    if (!/^\d+(\.\d+)?(m|k|M|G|T|Ki|Mi|Gi|Ti)?$/.test(flags[flag]))
      throw new ConfigError(`--${flag} must be a Kubernetes quantity such as 2, 500m or 1Gi (got "${flags[flag]}")`);
  }
  const target = (flags.target as string | undefined) ?? serviceUrl(name, flags.port);
  await checkPlan(flags, target);
  const runArgs = SHARD_RUN_FLAGS.flatMap((flag) => {
    const value = flags[flag];
    if (value === undefined || value === false) return [];
    if (value === true) return [`--${flag}`];
    return (Array.isArray(value) ? value : [value]).flatMap((v) => [`--${flag}`, String(v)]);
  });
  const hostPath = flags['results-host-path'] as string | undefined;
  const storageClass = flags['storage-class'] as string | undefined;
  return {
    name,
    shards: flags.shards,
    image: flags.image,
    ...(flags.target
      ? {}
      : {
          server: { plugin: flags.server, port: flags.port, options: (flags['server-opt'] as string[]) ?? [] },
        }),
    resources: { cpu: flags.cpu, memory: flags.memory },
    spread: !flags.colocate,
    target,
    start,
    runArgs,
    results: flags['results-in-logs']
      ? { logs: true }
      : hostPath
        ? { hostPath }
        : { size: flags['results-size'], ...(storageClass ? { storageClass } : {}) },
  };
}

/** Writes each file into `dir` (created if need be), headed by `command`; returns their paths in apply order. */
export async function writeKubeFiles(dir: string, files: KubeFile[], command: string[]): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  const paths: string[] = [];
  for (const file of files) {
    const path = join(dir, file.name);
    await writeFile(path, kubeFileText(file, command));
    paths.push(path);
  }
  return paths;
}

async function checkPlan(flags: KubeFlags, target: string): Promise<void> {
  // The pods run the image, not this checkout: a body file here is not there.
  if (typeof flags.body === 'string' && flags.body.startsWith('@')) {
    throw new ConfigError(
      `--body ${flags.body}: the shards' pods cannot read files of this machine; give the body as text`,
    );
  }
  const values = Object.fromEntries(SHARD_RUN_FLAGS.map((f) => [f, flags[f]])) as RunSettingFlags;
  const layer = runFlagLayer({ ...values, target });
  const parsed = createConfigSchema(DEFAULT_PLAN).safeParse(layer, { reportInput: true });
  if (!parsed.success) throw configErrorFrom(parsed.error, [{ kind: 'flags', values: layer }]);
  const config = parsed.data;
  shardValues(shardTotals(config), { index: 0, count: flags.shards });
  const registry = createRegistry(process.cwd());
  const loadOptions = scopePluginOptions('load-opt', flags['load-opt'] as string[] | undefined, config.load);
  for (const name of config.load) {
    const load = await registry.resolve('load', name);
    await validatePluginOptions(load.plugin, loadOptions[name] ?? {});
  }
  const server = await registry.resolve('server', flags.server);
  await validatePluginOptions(server.plugin, {
    ...parseKeyValues('server-opt', flags['server-opt'] as string[] | undefined),
    host: '0.0.0.0',
    port: flags.port,
  });
}
