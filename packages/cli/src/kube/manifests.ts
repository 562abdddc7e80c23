/**
 * The Kubernetes objects of a sharded iobench run, as pure functions of the plan: a server
 * Deployment + Service running `iobench serve`, a volume for results, an Indexed Job whose pods
 * each run one shard (`iobench run --shard $(JOB_COMPLETION_INDEX)/N --start-at T`) on nodes of
 * their own, and a Job that merges the shards. `iobench kube render` writes them; the load pods'
 * arguments are `iobench run`'s own flags, so the manifests cannot drift from the CLI.
 *
 * The start instant is either baked in (`--start-at T`) or left to a barrier: the shards wait for
 * the start ConfigMap, mounted as a directory, to hold it (`--start-at-file`), and `iobench kube
 * run` writes it once every shard is Running.
 */

import type { IDeployment } from 'kubernetes-models/apps/v1/Deployment';
import type { IJob } from 'kubernetes-models/batch/v1/Job';
import type { IConfigMap } from 'kubernetes-models/v1/ConfigMap';
import type { IPersistentVolumeClaim } from 'kubernetes-models/v1/PersistentVolumeClaim';
import type { IPod } from 'kubernetes-models/v1/Pod';
import type { IPodAffinityTerm } from 'kubernetes-models/v1/PodAffinityTerm';
import type { IPodSpec } from 'kubernetes-models/v1/PodSpec';
import type { IResourceRequirements } from 'kubernetes-models/v1/ResourceRequirements';
import type { IService } from 'kubernetes-models/v1/Service';
import type { IVolume } from 'kubernetes-models/v1/Volume';

/**
 * Where shards write results.json and the merge reads them: a claim (ReadWriteMany), a node
 * directory, or (`logs`, any cluster) each shard's log: the shards print their results.json
 * (`run --json`), `kubectl logs` collects them and `iobench merge` runs where kubectl does.
 */
export type ResultsVolume = { storageClass?: string; size: string } | { hostPath: string } | { logs: true };

/** What to render: a plan split into `shards` load pods against one server. */
export interface KubePlan {
  /** Prefix of every object's name and the `app.kubernetes.io/instance` label, e.g. `iobench`. */
  name: string;
  shards: number;
  /** The iobench image (the repository's Dockerfile), e.g. `iobench:0.1.0`. */
  image: string;
  /**
   * The server Deployment: `iobench serve --server <plugin> --port <port>` plus `--server-opt`s;
   * none when the shards measure a server of the user's own (`--target`).
   */
  server?: { plugin: string; port: number; options: string[] };
  /**
   * CPU and memory of every pod, as requests equal to limits so that the pods are Guaranteed (a
   * BestEffort or Burstable benchmark pod shares its CPUs with whatever else lands on the node).
   */
  resources: { cpu: string; memory: string };
  /** One shard per node and none beside the server (required anti-affinity); false: preferred only. */
  spread: boolean;
  /** URL the load pods measure; the rendered Service unless another target is given. */
  target: string;
  /**
   * When every shard starts its first measured phase: a fixed ISO 8601 instant, or a barrier — the
   * shards wait (up to `START_BARRIER_TIMEOUT`) for the start ConfigMap to hold the instant.
   */
  start: { at: string } | { barrier: true };
  /** `iobench run` flags every shard runs with, e.g. `['--connections', '256', '--duration', '30s']`. */
  runArgs: string[];
  results: ResultsVolume;
}

/** One file of the rendering: a name such as `load-job.yaml` and its objects, in apply order. */
export interface KubeFile {
  name: string;
  objects: Array<IDeployment | IService | IPersistentVolumeClaim | IConfigMap | IJob | IPod>;
}

/** Where results live inside every pod. */
export const RESULTS_MOUNT = '/results';
/** Where the start ConfigMap is mounted: a directory, not a subPath, so that the kubelet updates it. */
export const START_MOUNT = '/start';
/** The start ConfigMap's key, empty until the instant is decided; a file under `START_MOUNT`. */
export const START_KEY = 'start-at';
/**
 * How long a shard waits at the barrier: longer than `kube run` waits for every shard to be Running
 * (image pulls on every node) plus the ConfigMap's propagation; bounded, so that a barrier nobody
 * opens does not hold the nodes forever.
 */
export const START_BARRIER_TIMEOUT = '30m';
/** The image's user (the Dockerfile's `USER 10001`): numeric, so that `runAsNonRoot` can be checked. */
export const IMAGE_UID = 10001;

/** The files `kube render` writes, in the order they are applied. */
export function renderKube(plan: KubePlan): KubeFile[] {
  return [
    ...(plan.server ? [{ name: 'server.yaml', objects: [serverDeployment(plan), serverService(plan)] }] : []),
    ...('size' in plan.results ? [{ name: 'results-volume.yaml', objects: [resultsClaim(plan)] }] : []),
    {
      name: 'load-job.yaml',
      objects: 'barrier' in plan.start ? [startConfigMap(plan), loadJob(plan)] : [loadJob(plan)],
    },
    ...('logs' in plan.results ? [] : [{ name: 'merge-job.yaml', objects: [mergeJob(plan)] }]),
  ];
}

/** The Service's in-cluster URL, the load pods' target by default. */
export function serviceUrl(name: string, port: number): string {
  return `http://${name}-server:${port}/`;
}

/** The names of the objects `kube run` waits on, reads and writes. */
export function objectNames(name: string) {
  return {
    server: `${name}-server`,
    load: `${name}-load`,
    start: `${name}-start`,
    collect: `${name}-collect`,
  };
}

/** Each shard's results.json; the index is expanded by the kubelet from the pod's environment. */
export function shardResultsDir(index: number | string): string {
  return `${RESULTS_MOUNT}/shard-${index}`;
}

function labels(plan: KubePlan, component: 'server' | 'load' | 'merge' | 'collect'): Record<string, string> {
  return {
    'app.kubernetes.io/name': 'iobench',
    'app.kubernetes.io/instance': plan.name,
    'app.kubernetes.io/component': component,
  };
}

/** Non-root, no added privileges: a load generator and a server need neither. */
function podSecurity(): Pick<IPodSpec, 'securityContext'> {
  return {
    securityContext: {
      runAsNonRoot: true,
      runAsUser: IMAGE_UID,
      runAsGroup: IMAGE_UID,
      fsGroup: IMAGE_UID,
      seccompProfile: { type: 'RuntimeDefault' },
    },
  };
}

const containerSecurity = { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } };

/** Requests = limits: the Guaranteed QoS class. */
function resources(plan: KubePlan): IResourceRequirements {
  const amounts = { cpu: plan.resources.cpu, memory: plan.resources.memory };
  return { requests: amounts, limits: { ...amounts } };
}

function serverDeployment(plan: KubePlan): IDeployment {
  const { plugin, port, options } = plan.server!;
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: objectNames(plan.name).server, labels: labels(plan, 'server') },
    spec: {
      replicas: 1,
      selector: { matchLabels: labels(plan, 'server') },
      template: {
        metadata: { labels: labels(plan, 'server') },
        spec: {
          ...podSecurity(),
          containers: [
            {
              name: 'server',
              image: plan.image,
              imagePullPolicy: 'IfNotPresent',
              args: [
                'serve',
                '--server',
                plugin,
                '--host',
                '0.0.0.0',
                '--port',
                String(port),
                ...options.flatMap((o) => ['--server-opt', o]),
              ],
              ports: [{ name: 'http', containerPort: port }],
              readinessProbe: { tcpSocket: { port: 'http' }, periodSeconds: 5 },
              resources: resources(plan),
              securityContext: containerSecurity,
            },
          ],
        },
      },
    },
  };
}

function serverService(plan: KubePlan): IService {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: `${plan.name}-server`, labels: labels(plan, 'server') },
    spec: {
      selector: labels(plan, 'server'),
      ports: [{ name: 'http', port: plan.server!.port, targetPort: 'http' }],
    },
  };
}

function resultsClaim(plan: KubePlan): IPersistentVolumeClaim {
  const results = plan.results as Extract<ResultsVolume, { size: string }>;
  return {
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    metadata: {
      name: `${plan.name}-results`,
      labels: { 'app.kubernetes.io/name': 'iobench', 'app.kubernetes.io/instance': plan.name },
    },
    spec: {
      // Shards on different nodes write to it at once.
      accessModes: ['ReadWriteMany'],
      ...(results.storageClass ? { storageClassName: results.storageClass } : {}),
      resources: { requests: { storage: results.size } },
    },
  };
}

function resultsVolume(plan: KubePlan): IVolume {
  if ('logs' in plan.results) return { name: 'results', emptyDir: {} };
  return 'hostPath' in plan.results
    ? { name: 'results', hostPath: { path: plan.results.hostPath, type: 'DirectoryOrCreate' } }
    : { name: 'results', persistentVolumeClaim: { claimName: `${plan.name}-results` } };
}

function loadJob(plan: KubePlan): IJob {
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name: objectNames(plan.name).load, labels: labels(plan, 'load') },
    spec: {
      completionMode: 'Indexed',
      completions: plan.shards,
      parallelism: plan.shards,
      // A shard run again would start after --start-at, measure alone and be refused: fail instead.
      backoffLimit: 0,
      template: {
        metadata: { labels: labels(plan, 'load') },
        spec: {
          restartPolicy: 'Never',
          ...podSecurity(),
          affinity: { podAntiAffinity: antiAffinity(plan) },
          containers: [
            {
              name: 'load',
              image: plan.image,
              imagePullPolicy: 'IfNotPresent',
              args: [
                'run',
                '--target',
                plan.target,
                '--shard',
                `$(JOB_COMPLETION_INDEX)/${plan.shards}`,
                ...('at' in plan.start
                  ? ['--start-at', plan.start.at]
                  : ['--start-at-file', `${START_MOUNT}/${START_KEY}`, '--start-at-timeout', START_BARRIER_TIMEOUT]),
                '--out',
                shardResultsDir('$(JOB_COMPLETION_INDEX)'),
                '--force',
                ...('logs' in plan.results ? ['--json'] : []),
                ...plan.runArgs,
              ],
              env: [
                {
                  // The Job controller sets it too; declared so that $(JOB_COMPLETION_INDEX) above expands.
                  name: 'JOB_COMPLETION_INDEX',
                  valueFrom: {
                    fieldRef: { fieldPath: "metadata.annotations['batch.kubernetes.io/job-completion-index']" },
                  },
                },
              ],
              volumeMounts: [
                { name: 'results', mountPath: RESULTS_MOUNT },
                ...('barrier' in plan.start ? [{ name: 'start', mountPath: START_MOUNT, readOnly: true }] : []),
              ],
              resources: resources(plan),
              securityContext: containerSecurity,
            },
          ],
          volumes: [
            resultsVolume(plan),
            ...('barrier' in plan.start ? [{ name: 'start', configMap: { name: objectNames(plan.name).start } }] : []),
          ],
        },
      },
    },
  };
}

/** The barrier: empty until `kube run` (or you) writes the instant, once every shard is Running. */
function startConfigMap(plan: KubePlan): IConfigMap {
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: objectNames(plan.name).start, labels: labels(plan, 'load') },
    data: { [START_KEY]: '' },
  };
}

/**
 * A pod that only sleeps with the results volume mounted, so that `kube run` can read each shard's
 * results.json from it (`kubectl exec … cat`) once the load Job has completed. Small: it measures
 * nothing and runs after the load.
 */
export function collectPod(plan: KubePlan): IPod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: objectNames(plan.name).collect, labels: labels(plan, 'collect') },
    spec: {
      restartPolicy: 'Never',
      ...podSecurity(),
      containers: [
        {
          name: 'collect',
          image: plan.image,
          imagePullPolicy: 'IfNotPresent',
          command: ['sleep', '3600'],
          volumeMounts: [{ name: 'results', mountPath: RESULTS_MOUNT, readOnly: true }],
          resources: { requests: { cpu: '10m', memory: '32Mi' }, limits: { cpu: '100m', memory: '64Mi' } },
          securityContext: containerSecurity,
        },
      ],
      volumes: [resultsVolume(plan)],
    },
  };
}

/**
 * One shard per node, none beside the server: shards that share a node share its CPUs. Required by
 * default; with `spread: false` only preferred, for clusters with fewer nodes than shards.
 */
function antiAffinity(plan: KubePlan): NonNullable<NonNullable<IPodSpec['affinity']>['podAntiAffinity']> {
  const term: IPodAffinityTerm = {
    labelSelector: {
      matchLabels: { 'app.kubernetes.io/name': 'iobench', 'app.kubernetes.io/instance': plan.name },
      matchExpressions: [{ key: 'app.kubernetes.io/component', operator: 'In', values: ['server', 'load'] }],
    },
    topologyKey: 'kubernetes.io/hostname',
  };
  return plan.spread
    ? { requiredDuringSchedulingIgnoredDuringExecution: [term] }
    : { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 100, podAffinityTerm: term }] };
}

function mergeJob(plan: KubePlan): IJob {
  const files = Array.from({ length: plan.shards }, (_, i) => `${shardResultsDir(i)}/results.json`);
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name: `${plan.name}-merge`, labels: labels(plan, 'merge') },
    spec: {
      backoffLimit: 0,
      template: {
        metadata: { labels: labels(plan, 'merge') },
        spec: {
          restartPolicy: 'Never',
          ...podSecurity(),
          containers: [
            {
              name: 'merge',
              image: plan.image,
              imagePullPolicy: 'IfNotPresent',
              args: ['merge', ...files, '--out', `${RESULTS_MOUNT}/merged`, '--force'],
              volumeMounts: [{ name: 'results', mountPath: RESULTS_MOUNT }],
              resources: resources(plan),
              securityContext: containerSecurity,
            },
          ],
          volumes: [resultsVolume(plan)],
        },
      },
    },
  };
}
