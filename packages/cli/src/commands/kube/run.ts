import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '@iobench/core';
import { parseDurationMs } from '@iobench/engine/config';
import { prepareOutDir } from '@iobench/engine/output';
import { Flags } from '@oclif/core';
import { BaseCommand } from '../../base-command.js';
import { runOnCluster } from '../../kube/cluster-run.js';
import { kubectl } from '../../kube/kubectl.js';
import { renderKube } from '../../kube/manifests.js';
import { KUBE_PLAN_FLAGS, kubePlanFromFlags, writeKubeFiles } from '../../kube/plan-flags.js';
import Merge from '../merge.js';
import { renderCommand } from './render.js';

export default class KubeRun extends BaseCommand {
  static override summary = 'Run a sharded benchmark on Kubernetes: apply, start every shard together, merge, clean up';

  static override description =
    `Renders the manifests as \`kube render --start-barrier\` does (same flags), applies them with kubectl, waits for the server Deployment to be available and every shard pod to be Running, and only then decides the start instant (now + --start-margin) and writes it to the ConfigMap <name>-start that every shard waits on. When the load Job completes it collects each shard's results.json (with --results-in-logs from each pod's log, otherwise from the results volume through a small collect pod), merges them into --out/results.json (the shards' files stay in --out/shards) and deletes what it applied; also when a step fails, and on Ctrl-C. kubectl runs with your current context unless --context/--namespace; every call is bounded (--kubectl-timeout), and a failure names the step, the kubectl command and its stderr.

Exit codes: 0 merged; 1 a kubectl step or the load Job failed; 2 invalid flags or plan (nothing applied); 130 interrupted (what was applied is deleted).`;

  static override examples = [
    {
      description: '4 shards of 256 connections for 30 s against the epoll server, results through the pods’ logs',
      command:
        '<%= config.bin %> <%= command.id %> --shards 4 --connections 256 --duration 30s --results-in-logs --out merged',
    },
    {
      description: 'Against a server of your own, keeping the manifests and the objects for a look afterwards',
      command:
        '<%= config.bin %> <%= command.id %> --shards 2 --target http://my-server.default:8080/ --results-in-logs --manifests-dir k8s --keep --out merged',
    },
  ];

  static override flags = {
    ...KUBE_PLAN_FLAGS,
    out: Flags.string({
      char: 'o',
      description:
        'Directory for the merged results.json (and shards/shard-<i>.json); must be new or empty unless --force',
      required: true,
    }),
    force: Flags.boolean({ description: 'Write into an --out directory that already holds files' }),
    'manifests-dir': Flags.string({
      description: 'Write the manifests here and keep them [default: a temporary directory, removed at the end]',
    }),
    keep: Flags.boolean({ description: 'Leave the applied objects on the cluster after the run (not after Ctrl-C)' }),
    'start-margin': Flags.string({
      description:
        'Time from writing the start instant to the instant: the kubelet must update the ConfigMap in every pod (up to its sync period, 1 minute by default) and each shard warm up',
      default: '90s',
    }),
    'ready-timeout': Flags.string({
      description: 'Longest wait for the server to be available and every shard pod to be Running (image pulls)',
      default: '10m',
    }),
    'run-timeout': Flags.string({
      description: 'Longest wait for the load Job to finish after the start instant',
      default: '1h',
    }),
    'kubectl-timeout': Flags.string({ description: 'Longest any other kubectl call may take', default: '60s' }),
    context: Flags.string({ description: 'kubectl --context' }),
    namespace: Flags.string({ char: 'n', description: 'kubectl --namespace' }),
    'poll-interval': Flags.string({
      description: 'How often pods and the Job are polled',
      default: '2s',
      hidden: true,
    }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(KubeRun);
    const ms = (flag: 'start-margin' | 'ready-timeout' | 'run-timeout' | 'kubectl-timeout' | 'poll-interval') => {
      const value = parseDurationMs(flags[flag]);
      if (value === undefined || value <= 0)
        throw new ConfigError(`--${flag} expects a duration such as 90s or 10m (got "${flags[flag]}")`);
      return value;
    };
    const timing = {
      startMarginMs: ms('start-margin'),
      readyTimeoutMs: ms('ready-timeout'),
      runTimeoutMs: ms('run-timeout'),
      kubectlTimeoutMs: ms('kubectl-timeout'),
      pollMs: ms('poll-interval'),
    };
    const plan = await kubePlanFromFlags(flags, { barrier: true });
    // Refuse an --out that holds files before anything reaches the cluster.
    await prepareOutDir({ dir: flags.out, force: flags.force });
    const shardsDir = join(flags.out, 'shards');
    await mkdir(shardsDir, { recursive: true });

    const dir = flags['manifests-dir'] ?? (await mkdtemp(join(tmpdir(), 'iobench-kube-')));
    const command = renderCommand({ ...flags, 'start-barrier': true });
    const files = await writeKubeFiles(
      dir,
      renderKube(plan).filter((f) => f.name !== 'merge-job.yaml'), // merged here, not in the cluster
      command,
    );

    const controller = new AbortController();
    let interrupts = 0;
    const onSignal = (signal: NodeJS.Signals) => {
      if (++interrupts > 1) process.exit(130);
      process.stderr.write(
        `\niobench: ${signal === 'SIGINT' ? 'interrupted (Ctrl-C)' : `received ${signal}`}; deleting what was applied (again to quit at once)\n`,
      );
      controller.abort();
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
    try {
      const globalArgs = [
        ...(flags.context ? ['--context', flags.context] : []),
        ...(flags.namespace ? ['--namespace', flags.namespace] : []),
      ];
      const { shardFiles } = await runOnCluster({
        plan,
        files,
        dir,
        command,
        kubectl: kubectl({ globalArgs, timeoutMs: timing.kubectlTimeoutMs, signal: controller.signal }),
        ...timing,
        keep: flags.keep,
        shardsDir,
        signal: controller.signal,
        log: (line) => process.stderr.write(`iobench: ${line}\n`),
      });
      await Merge.run([...shardFiles, '--out', flags.out, '--force'], this.config);
    } finally {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      if (!flags['manifests-dir']) await rm(dir, { recursive: true, force: true });
    }
  }
}
