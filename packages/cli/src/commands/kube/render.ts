import { ConfigError } from '@iobench/core';
import { parseDurationMs } from '@iobench/engine/config';
import { parseStartAt } from '@iobench/engine/shard';
import { Flags } from '@oclif/core';
import { BaseCommand } from '../../base-command.js';
import { type KubePlan, objectNames, renderKube, START_BARRIER_TIMEOUT, START_KEY } from '../../kube/manifests.js';
import { KUBE_PLAN_FLAGS, kubePlanFromFlags, writeKubeFiles } from '../../kube/plan-flags.js';

export default class KubeRender extends BaseCommand {
  static override summary = 'Render Kubernetes manifests for a sharded run: server, Indexed Job of load shards, merge';

  static override description =
    `Writes to --out-dir: server.yaml (a Deployment + Service running \`iobench serve\`; none with --target), results-volume.yaml (a ReadWriteMany claim, unless --results-host-path), load-job.yaml (an Indexed Job of --shards pods, one per node, each running \`iobench run --shard $(JOB_COMPLETION_INDEX)/N --start-at T\` with the run flags given here; every pod Guaranteed: --cpu and --memory requested and limited) and merge-job.yaml (\`iobench merge\` of every shard). Apply the server and volume, then the load Job; when it completes, the merge Job. The run flags are \`iobench run\`'s own and the plan is checked as \`run\` would check it (e.g. --shards above --connections is refused), so the YAML cannot drift from the CLI. --start-at defaults to --start-in (2 minutes) from now: render right before applying; or --start-barrier: no instant in the manifests, the shards wait until you write one to the ConfigMap <name>-start (\`iobench kube run\` renders, applies, writes the instant once every shard runs, collects and merges for you).`;

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
    shards: KUBE_PLAN_FLAGS.shards,
    'out-dir': Flags.string({ char: 'o', description: 'Directory to write the manifests to', required: true }),
    ...pick(KUBE_PLAN_FLAGS, ['target', 'server', 'server-opt', 'port', 'image', 'name']),
    'start-at': Flags.string({
      description: 'ISO 8601 instant every shard starts measuring (after warm-up)',
      exclusive: ['start-in', 'start-barrier'],
    }),
    'start-in': Flags.string({
      description: 'Or: start that long after rendering, e.g. 2m',
      default: '2m',
      exclusive: ['start-at', 'start-barrier'],
    }),
    'start-barrier': Flags.boolean({
      description: `Or: no instant in the manifests; the shards wait (up to ${START_BARRIER_TIMEOUT}) for the ConfigMap <name>-start to hold one, written once they all run (what \`kube run\` does)`,
      exclusive: ['start-at'],
      default: false,
    }),
    ...omit(KUBE_PLAN_FLAGS, ['shards', 'target', 'server', 'server-opt', 'port', 'image', 'name']),
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(KubeRender);
    const start: KubePlan['start'] = flags['start-barrier']
      ? { barrier: true }
      : { at: flags['start-at'] ?? startIn(flags['start-in']) };
    if ('at' in start) parseStartAt(start.at);
    const plan = await kubePlanFromFlags(flags, start);
    const files = renderKube(plan);
    const command = renderCommand({ ...flags, ...('at' in start ? { 'start-at': start.at } : {}) });
    for (const path of await writeKubeFiles(flags['out-dir'], files, command)) process.stdout.write(`${path}\n`);
    const names = objectNames(plan.name);
    const first = [plan.server ? 'server.yaml' : '', 'size' in plan.results ? 'results-volume.yaml' : ''].filter(
      Boolean,
    );
    const when =
      'at' in start
        ? `${flags.shards} shards start measuring at ${start.at}; apply ${first.length ? `${first.join(' and ')}, then ` : ''}load-job.yaml before then`
        : `${flags.shards} shards wait for the start instant: apply ${[...first, 'load-job.yaml'].join(', ')}; once every shard pod is Running, write it: kubectl patch configmap ${names.start} --type merge -p '{"data":{"${START_KEY}":"'$(date -u -d '+90 seconds' +%Y-%m-%dT%H:%M:%SZ)'"}}'`;
    const collect =
      'logs' in plan.results
        ? `once the load Job completes, for each shard i: kubectl logs -l job-name=${names.load},batch.kubernetes.io/job-completion-index=i --tail=-1 | sed -n '/^{$/,/^}$/p' > shard-i.json, then iobench merge shard-*.json`
        : 'merge-job.yaml once the load Job completes';
    process.stderr.write(`iobench: ${when}, and ${collect}\n`);
  }
}

/** `--start-in 2m`: that long from now, as an ISO instant. */
function startIn(value: string): string {
  const ms = parseDurationMs(value);
  if (ms === undefined || ms <= 0)
    throw new ConfigError(`--start-in expects a duration such as 90s or 2m (got "${value}")`);
  return new Date(Date.now() + ms).toISOString();
}

/**
 * The command that renders these manifests again, for their header: every `kube render` flag set to
 * other than its default, in definition order (`kube run` heads its files with the same).
 */
export function renderCommand(flags: Record<string, unknown>): string[] {
  const args = Object.entries(KubeRender.flags).flatMap(([name, definition]) => {
    const value = flags[name];
    if (name === 'out-dir' || name === 'start-in' || value === undefined) return [];
    if (value === (definition as { default?: unknown }).default) return [];
    if (value === true) return [`--${name}`];
    return (Array.isArray(value) ? value : [value]).flatMap((v) => [`--${name}`, String(v)]);
  });
  return ['iobench', 'kube', 'render', ...args];
}

function pick<T extends object, K extends keyof T>(from: T, keys: K[]): Pick<T, K> {
  return Object.fromEntries(keys.map((k) => [k, from[k]])) as Pick<T, K>;
}

function omit<T extends object, K extends keyof T>(from: T, keys: K[]): Omit<T, K> {
  return Object.fromEntries(Object.entries(from).filter(([k]) => !keys.includes(k as K))) as Omit<T, K>;
}
