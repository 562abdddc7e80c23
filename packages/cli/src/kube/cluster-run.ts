/**
 * `iobench kube run`: one sharded run on a cluster, from rendered manifests to the shards' results.
 *
 *   apply -> server Deployment available -> every shard pod Running (waiting at the barrier)
 *     -> start instant = now + margin, written to the start ConfigMap -> load Job finished
 *     -> each shard's results.json (its log, or the results volume through a collect pod)
 *     -> delete what was applied (also on failure and on Ctrl-C)
 *
 * The instant is decided only when every shard can meet it, so a slow image pull or a busy
 * scheduler delays the run instead of failing it.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { InterruptedError, ToolError } from '@iobench/core';
import type { Kubectl } from './kubectl.js';
import { collectPod, type KubePlan, objectNames, START_KEY, shardResultsDir } from './manifests.js';
import { writeKubeFiles } from './plan-flags.js';

export interface ClusterRunOptions {
  /** The plan the files were rendered from; its shards wait at the barrier (`start: { barrier: true }`). */
  plan: KubePlan;
  /** The rendered files, in apply order, and their directory (the collect pod is written there too). */
  files: string[];
  dir: string;
  /** The header of files written here: the command that renders them again. */
  command: string[];
  kubectl: Kubectl;
  /** Time between writing the instant and the instant: the ConfigMap must reach every pod and each warm up. */
  startMarginMs: number;
  /** Longest wait for the server to be available and every shard pod to be Running. */
  readyTimeoutMs: number;
  /** Longest wait for the load Job to finish after the instant. */
  runTimeoutMs: number;
  /** How often pods and the Job are polled. */
  pollMs: number;
  /** Leave the objects behind after success or failure (an interrupted run is always cleaned up). */
  keep: boolean;
  /** Where each shard's results.json is written, as shard-<i>.json. */
  shardsDir: string;
  signal: AbortSignal;
  /** Progress, one line at a time (the command prints it on stderr). */
  log(line: string): void;
}

export interface ClusterRunResult {
  /** The instant written to the barrier. */
  startAt: string;
  /** shard-0.json ... shard-(N-1).json, in index order. */
  shardFiles: string[];
}

interface PodList {
  items: Array<{
    metadata: { name: string; annotations?: Record<string, string>; labels?: Record<string, string> };
    status?: {
      phase?: string;
      containerStatuses?: Array<{ state?: { waiting?: { reason?: string }; terminated?: { reason?: string } } }>;
    };
  }>;
}

interface JobStatus {
  status?: { conditions?: Array<{ type: string; status: string; reason?: string; message?: string }> };
}

const INDEX_KEY = 'batch.kubernetes.io/job-completion-index';

/** Runs the plan on the cluster; cleans up unless `keep` (always when interrupted). */
export async function runOnCluster(options: ClusterRunOptions): Promise<ClusterRunResult> {
  const { kubectl, plan, log } = options;
  const names = objectNames(plan.name);
  const applied: string[] = [];
  const apply = async (files: string[], step: string) => {
    await kubectl(['apply', ...files.flatMap((f) => ['-f', f])], { step });
    applied.push(...files);
  };
  try {
    await apply(options.files, 'applying the manifests');
    if (plan.server) {
      log(`waiting for deployment/${names.server} to be available`);
      const seconds = Math.ceil(options.readyTimeoutMs / 1000);
      await kubectl(['wait', '--for=condition=available', `deployment/${names.server}`, `--timeout=${seconds}s`], {
        step: 'waiting for the server Deployment to be available',
        timeoutMs: options.readyTimeoutMs + 30_000,
      });
    }
    log(`waiting for the ${plan.shards} shard pods of job/${names.load} to be Running`);
    const pods = await waitForShardsRunning(options);

    const startAt = new Date(Math.ceil((Date.now() + options.startMarginMs) / 1000) * 1000)
      .toISOString()
      .replace('.000Z', 'Z');
    await kubectl(
      ['patch', 'configmap', names.start, '--type', 'merge', '-p', JSON.stringify({ data: { [START_KEY]: startAt } })],
      { step: 'writing the start instant' },
    );
    log(`all ${plan.shards} shards Running; they start measuring at ${startAt}`);

    await waitForJob(options, pods);
    log(`job/${names.load} complete; collecting the shards’ results`);
    const texts =
      'logs' in plan.results
        ? await resultsFromLogs(options, await shardPods(options))
        : await resultsFromVolume(options, apply);
    const shardFiles: string[] = [];
    for (const [i, text] of texts.entries()) {
      const file = join(options.shardsDir, `shard-${i}.json`);
      await writeFile(file, text);
      shardFiles.push(file);
    }
    return { startAt, shardFiles };
  } finally {
    if (applied.length > 0 && (!options.keep || options.signal.aborted)) {
      log(`deleting what was applied (${applied.length} files)`);
      await kubectl(['delete', '--ignore-not-found', '--wait=false', ...applied.reverse().flatMap((f) => ['-f', f])], {
        step: 'deleting what was applied',
        uninterruptible: true,
      }).catch((error: Error) => log(`cleanup failed, delete by hand: ${error.message}`));
    } else if (applied.length > 0) {
      log(`kept what was applied (--keep): kubectl delete ${applied.map((f) => `-f ${f}`).join(' ')}`);
    }
  }
}

/** The load Job's pods by completion index (the Job controller annotates each pod with its index). */
async function shardPods(options: ClusterRunOptions): Promise<PodList['items']> {
  const out = await options.kubectl(
    ['get', 'pods', '-l', `job-name=${objectNames(options.plan.name).load}`, '-o', 'json'],
    { step: 'listing the shard pods' },
  );
  return (JSON.parse(out) as PodList).items;
}

function indexOf(pod: PodList['items'][number]): number {
  return Number(pod.metadata.annotations?.[INDEX_KEY] ?? pod.metadata.labels?.[INDEX_KEY]);
}

function describePod(pod: PodList['items'][number]): string {
  const state = pod.status?.containerStatuses?.[0]?.state;
  const reason = state?.waiting?.reason ?? state?.terminated?.reason;
  return `${pod.metadata.name} ${pod.status?.phase ?? 'Unknown'}${reason ? ` (${reason})` : ''}`;
}

/** Polls until every index 0..N-1 has a Running pod; a shard pod that ends before the start fails the run. */
async function waitForShardsRunning(options: ClusterRunOptions): Promise<PodList['items']> {
  const deadline = Date.now() + options.readyTimeoutMs;
  for (;;) {
    const pods = await shardPods(options);
    const ended = pods.filter((p) => p.status?.phase === 'Failed' || p.status?.phase === 'Succeeded');
    if (ended.length > 0) {
      throw new ToolError(
        `waiting for every shard pod to be Running: ${ended.map(describePod).join(', ')} ended before the start${await logTails(options, ended)}`,
      );
    }
    const running = new Set(pods.filter((p) => p.status?.phase === 'Running').map(indexOf));
    if (Array.from({ length: options.plan.shards }, (_, i) => i).every((i) => running.has(i))) return pods;
    if (Date.now() >= deadline) {
      throw new ToolError(
        `waiting for every shard pod to be Running: ${running.size} of ${options.plan.shards} after ${Math.round(options.readyTimeoutMs / 1000)} s (--ready-timeout); ${pods.map(describePod).join(', ') || 'no pods'}`,
        { suggestions: ['kubectl describe pods of the load Job says why (nodes short, image not pulled)'] },
      );
    }
    await pause(options);
  }
}

/** Polls the load Job until it is Complete; Failed, or still running after --run-timeout, fails the run. */
async function waitForJob(options: ClusterRunOptions, pods: PodList['items']): Promise<void> {
  const job = objectNames(options.plan.name).load;
  const deadline = Date.now() + options.startMarginMs + options.runTimeoutMs;
  for (;;) {
    const out = await options.kubectl(['get', 'job', job, '-o', 'json'], { step: 'waiting for the load Job' });
    const conditions = (JSON.parse(out) as JobStatus).status?.conditions ?? [];
    const holds = (type: string) => conditions.find((c) => c.type === type && c.status === 'True');
    if (holds('Complete')) return;
    const failed = holds('Failed');
    if (failed) {
      const now = await shardPods(options).catch(() => pods);
      const failedPods = now.filter((p) => p.status?.phase === 'Failed');
      throw new ToolError(
        `waiting for the load Job: job/${job} failed (${failed.reason ?? 'Failed'}${failed.message ? `: ${failed.message}` : ''})${await logTails(options, failedPods)}`,
      );
    }
    if (Date.now() >= deadline) {
      throw new ToolError(
        `waiting for the load Job: job/${job} not finished ${Math.round(options.runTimeoutMs / 1000)} s after its start (--run-timeout)`,
      );
    }
    await pause(options);
  }
}

/** The last lines of each pod's log, for an error that says why the pods failed. */
async function logTails(options: ClusterRunOptions, pods: PodList['items']): Promise<string> {
  const tails = await Promise.all(
    pods.map(async (p) => {
      const log = await options
        .kubectl(['logs', `pod/${p.metadata.name}`, '--tail=20'], { step: `reading the log of ${p.metadata.name}` })
        .catch((error: Error) => `(no log: ${error.message})`);
      return `\n${p.metadata.name}:\n  ${log.trim().split('\n').join('\n  ')}`;
    }),
  );
  return tails.join('');
}

/**
 * `--results-in-logs`: each shard's log is its stderr lines and, last, its results.json (`run
 * --json`, pretty-printed); the results are the lines from the first `{` line to the last `}` line.
 */
async function resultsFromLogs(options: ClusterRunOptions, pods: PodList['items']): Promise<string[]> {
  return Promise.all(
    Array.from({ length: options.plan.shards }, async (_, i) => {
      const pod =
        pods.find((p) => indexOf(p) === i && p.status?.phase === 'Succeeded') ?? pods.find((p) => indexOf(p) === i);
      const step = `collecting shard ${i}’s results`;
      if (!pod) throw new ToolError(`${step}: no pod of the load Job has completion index ${i}`);
      const log = await options.kubectl(['logs', `pod/${pod.metadata.name}`, '-c', 'load'], { step });
      return resultsInLog(log, `${step}: the log of pod/${pod.metadata.name}`);
    }),
  );
}

/** The results.json a shard printed with `run --json`, out of a log that also holds its stderr. */
export function resultsInLog(log: string, what: string): string {
  const lines = log.split('\n');
  const first = lines.indexOf('{');
  const last = lines.lastIndexOf('}');
  if (first < 0 || last < first) throw new ToolError(`${what} holds no results.json (no line "{" ... "}")`);
  const text = `${lines.slice(first, last + 1).join('\n')}\n`;
  try {
    JSON.parse(text);
  } catch (error) {
    throw new ToolError(`${what}: its results.json does not parse: ${(error as Error).message}`, { cause: error });
  }
  return text;
}

/** A shared volume: a collect pod mounts it, and `kubectl exec … cat` reads each shard's file. */
async function resultsFromVolume(
  options: ClusterRunOptions,
  apply: (files: string[], step: string) => Promise<void>,
): Promise<string[]> {
  const { kubectl, plan } = options;
  const name = objectNames(plan.name).collect;
  const [file] = await writeKubeFiles(
    options.dir,
    [{ name: 'collect-pod.yaml', objects: [collectPod(plan)] }],
    options.command,
  );
  await apply([file!], 'starting the collect pod');
  await kubectl(
    ['wait', '--for=condition=Ready', `pod/${name}`, `--timeout=${Math.ceil(options.readyTimeoutMs / 1000)}s`],
    {
      step: 'waiting for the collect pod',
      timeoutMs: options.readyTimeoutMs + 30_000,
    },
  );
  return Promise.all(
    Array.from({ length: plan.shards }, (_, i) =>
      kubectl(['exec', name, '-c', 'collect', '--', 'cat', `${shardResultsDir(i)}/results.json`], {
        step: `collecting shard ${i}’s results`,
      }),
    ),
  );
}

async function pause(options: ClusterRunOptions): Promise<void> {
  try {
    await sleep(options.pollMs, undefined, { signal: options.signal });
  } catch {
    throw new InterruptedError('interrupted');
  }
}
