import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createRegistry, DEFAULT_PLAN } from '@iobench/builtins';
import { ConfigError, validatePluginOptions } from '@iobench/core';
import { configErrorFrom, createConfigSchema, parseDurationMs } from '@iobench/engine/config';
import { IOBENCH_VERSION } from '@iobench/engine/env';
import { parseStartAt, shardTotals, shardValues } from '@iobench/engine/shard';
import { Flags } from '@oclif/core';
import { BaseCommand } from '../../base-command.js';
import { flagLayer, parseKeyValues, runFlagValues, scopePluginOptions } from '../../flags.js';
import { type KubePlan, renderKube, serviceUrl } from '../../kube/manifests.js';
import { kubeFileText } from '../../kube/yaml-files.js';
import Run from '../run.js';

/** The `iobench run` flags every shard takes, passed through to the load pods as given. */
const SHARD_RUN_FLAGS = [
  'load',
  'connections',
  'duration',
  'warmup',
  'repeat',
  'rate',
  'idle-connections',
  'threads',
  'pipelining',
  'timeout',
  'requests',
  'load-opt',
] as const;

const runFlags = Object.fromEntries(SHARD_RUN_FLAGS.map((name) => [name, Run.flags[name]])) as Pick<
  typeof Run.flags,
  (typeof SHARD_RUN_FLAGS)[number]
>;

export default class KubeRender extends BaseCommand {
  static override summary = 'Render Kubernetes manifests for a sharded run: server, Indexed Job of load shards, merge';

  static override description =
    `Writes to --out-dir: server.yaml (a Deployment + Service running \`iobench serve\`; none with --target), results-volume.yaml (a ReadWriteMany claim, unless --results-host-path), load-job.yaml (an Indexed Job of --shards pods, one per node, each running \`iobench run --shard $(JOB_COMPLETION_INDEX)/N --start-at T\` with the run flags given here; every pod Guaranteed: --cpu and --memory requested and limited) and merge-job.yaml (\`iobench merge\` of every shard). Apply the server and volume, then the load Job; when it completes, the merge Job. The run flags are \`iobench run\`'s own and the plan is checked as \`run\` would check it (e.g. --shards above --connections is refused), so the YAML cannot drift from the CLI. --start-at defaults to --start-in (2 minutes) from now: render right before applying.`;

  static override examples = [
    {
      description: '4 shards of 256 connections for 30 s against the epoll server, starting in 2 minutes',
      command: '<%= config.bin %> <%= command.id %> --shards 4 --connections 256 --duration 30s --out-dir k8s',
    },
    {
      description: 'Against a server of your own, at a fixed instant',
      command:
        '<%= config.bin %> <%= command.id %> --shards 2 --target http://my-server.default:8080/ --start-at 2030-01-01T12:00:00Z --out-dir k8s',
    },
  ];

  static override flags = {
    shards: Flags.integer({ description: 'Load pods (shards) the plan is split into', required: true, min: 1 }),
    'out-dir': Flags.string({ char: 'o', description: 'Directory to write the manifests to', required: true }),
    target: Flags.string({
      description: 'URL the shards measure [default: the rendered Service, http://<name>-server:<port>/]',
    }),
    server: Flags.string({ char: 's', description: 'Server plugin the Deployment serves', default: 'epoll' }),
    'server-opt': Flags.string({
      description: 'Server option key=value for the Deployment, repeatable',
      multiple: true,
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
    'start-at': Flags.string({
      description: 'ISO 8601 instant every shard starts measuring (after warm-up)',
      exclusive: ['start-in'],
    }),
    'start-in': Flags.string({
      description: 'Or: start that long after rendering, e.g. 2m',
      default: '2m',
      exclusive: ['start-at'],
    }),
    'storage-class': Flags.string({
      description: 'Storage class of the results claim (it must offer ReadWriteMany)',
      exclusive: ['results-host-path', 'results-in-logs'],
    }),
    'results-in-logs': Flags.boolean({
      description:
        'No shared volume (any cluster): each shard prints its results.json to its log (`run --json`); collect with kubectl logs and merge locally',
      exclusive: ['storage-class', 'results-host-path'],
      default: false,
    }),
    'results-size': Flags.string({ description: 'Size of the results claim', default: '1Gi' }),
    'results-host-path': Flags.string({
      description:
        'Write results to this directory of each node instead of a claim (e.g. kind with a shared extraMount)',
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

  async run(): Promise<void> {
    const { flags } = await this.parse(KubeRender);
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
    const startAt = flags['start-at'] ?? startIn(flags['start-in']);
    parseStartAt(startAt);
    const target = flags.target ?? serviceUrl(name, flags.port);
    await checkPlan(flags, target);

    const runArgs = SHARD_RUN_FLAGS.flatMap((flag) => {
      const value = flags[flag];
      if (value === undefined) return [];
      return (Array.isArray(value) ? value : [value]).flatMap((v) => [`--${flag}`, v]);
    });
    const plan: KubePlan = {
      name,
      shards: flags.shards,
      image: flags.image,
      ...(flags.target
        ? {}
        : { server: { plugin: flags.server, port: flags.port, options: flags['server-opt'] ?? [] } }),
      resources: { cpu: flags.cpu, memory: flags.memory },
      spread: !flags.colocate,
      target,
      startAt,
      runArgs,
      results: flags['results-in-logs']
        ? { logs: true }
        : flags['results-host-path']
          ? { hostPath: flags['results-host-path'] }
          : {
              size: flags['results-size'],
              ...(flags['storage-class'] ? { storageClass: flags['storage-class'] } : {}),
            },
    };
    const command = ['iobench', 'kube', 'render', ...renderArgs({ ...flags, 'start-at': startAt })];
    await mkdir(flags['out-dir'], { recursive: true });
    for (const file of renderKube(plan)) {
      await writeFile(join(flags['out-dir'], file.name), kubeFileText(file, command));
      process.stdout.write(`${join(flags['out-dir'], file.name)}\n`);
    }
    const first = [plan.server ? 'server.yaml' : '', 'size' in plan.results ? 'results-volume.yaml' : ''].filter(
      Boolean,
    );
    process.stderr.write(
      `iobench: ${flags.shards} shards start measuring at ${startAt}; apply ${first.length ? `${first.join(' and ')}, then ` : ''}load-job.yaml before then, and ${'logs' in plan.results ? `once the load Job completes, for each shard i: kubectl logs -l job-name=${name}-load,batch.kubernetes.io/job-completion-index=i > shard-i.json, then iobench merge shard-*.json` : 'merge-job.yaml once the load Job completes'}\n`,
    );
  }
}

type RenderFlags = Record<string, string | string[] | number | boolean | undefined>;

/** `--start-in 2m`: that long from now, as an ISO instant. */
function startIn(value: string): string {
  const ms = parseDurationMs(value);
  if (ms === undefined || ms <= 0)
    throw new ConfigError(`--start-in expects a duration such as 90s or 2m (got "${value}")`);
  return new Date(Date.now() + ms).toISOString();
}

/**
 * The plan checked as each shard's `iobench run` and the server's `iobench serve` will check it, so
 * that a plan the pods would refuse is refused here: config values, plugin names and options, and
 * whether it splits into --shards.
 */
async function checkPlan(flags: RenderFlags & { shards: number; server: string; port: number }, target: string) {
  const values = Object.fromEntries(SHARD_RUN_FLAGS.map((f) => [f, flags[f]])) as Record<string, string | string[]>;
  const layer = flagLayer({ ...runFlagValues(values), target });
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

/** The flags that render these manifests again: every flag set to other than its default, in definition order. */
function renderArgs(flags: RenderFlags): string[] {
  return Object.entries(KubeRender.flags).flatMap(([name, definition]) => {
    const value = flags[name];
    if (name === 'out-dir' || name === 'start-in' || value === undefined) return [];
    if (value === (definition as { default?: unknown }).default) return [];
    return (Array.isArray(value) ? value : [value]).flatMap((v) => [`--${name}`, String(v)]);
  });
}
