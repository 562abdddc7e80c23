// test-lane: unit (renders manifests; nothing is run).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { RENDERED_BY } from '../../src/kube/yaml-files.js';
import { iobench, tempDir } from '../helpers.js';
import { readManifests, validate } from '../kube-schemas.js';

const CHECKED_IN = new URL('../../../../deploy/kubernetes/', import.meta.url).pathname;

/** The header's command line, split as a shell would (the renderer quotes words with single quotes). */
function renderedBy(text: string): string[] {
  const line = text.split('\n').find((l) => l.startsWith(RENDERED_BY));
  assert.ok(line, 'the file does not say which command rendered it');
  return [...line.slice(RENDERED_BY.length).matchAll(/'((?:[^']|'\\'')*)'|(\S+)/g)].map(
    (m) => m[2] ?? m[1]!.replaceAll("'\\''", "'"),
  );
}

describe('iobench kube render', () => {
  test('deploy/kubernetes is exactly what `kube render` gives for the command in its headers', async () => {
    const checkedIn = await readManifests(CHECKED_IN);
    const [, , , ...args] = renderedBy(checkedIn.get('load-job.yaml')!.text);
    const out = await tempDir();
    const r = await iobench(['kube', 'render', ...args, '--out-dir', out]);
    assert.equal(r.code, 0, r.stderr);
    const rendered = await readManifests(out);
    assert.deepEqual([...rendered.keys()], [...checkedIn.keys()]);
    for (const [name, { text }] of rendered) {
      assert.equal(
        checkedIn.get(name)!.text,
        text,
        `deploy/kubernetes/${name} drifted: re-render it with ${args.join(' ')}`,
      );
    }
  });

  test('every manifest validates against the Kubernetes API schemas', async () => {
    for (const [name, { objects }] of await readManifests(CHECKED_IN)) for (const o of objects) validate(name, o);
    const broken = (await readManifests(CHECKED_IN)).get('load-job.yaml')!.objects[0]!;
    broken.spec.completionMode = 'indexed';
    broken.spec.parallelism = '4';
    assert.throws(
      () => validate('load-job.yaml', broken),
      /completionMode must be equal to one of the allowed values|parallelism must be integer/,
    );
  });

  test('an Indexed Job of N shards on nodes of their own, started together, results on a volume; then a merge of all N', async () => {
    const out = await tempDir();
    const r = await iobench([
      'kube',
      'render',
      '--shards',
      '3',
      '--target',
      'http://bench.example:80/',
      '--start-at',
      '2030-01-01T00:00:00Z',
      '--connections',
      '96',
      '--rate',
      '3000',
      '--arrivals',
      'poisson',
      '--seed',
      '7',
      '--duration',
      '20s',
      '--method',
      'POST',
      '--header',
      'content-type: application/json',
      '--body',
      '{"a":1}',
      '--out-dir',
      out,
    ]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /3 shards start measuring at 2030-01-01T00:00:00Z/);
    const files = await readManifests(out);
    for (const [name, { objects }] of files) for (const o of objects) validate(name, o);
    const job = files.get('load-job.yaml')!.objects[0]!;
    assert.equal(job.spec.completionMode, 'Indexed');
    assert.equal(job.spec.parallelism, 3);
    assert.equal(job.spec.completions, 3);
    const pod = job.spec.template.spec;
    const container = pod.containers[0];
    assert.deepEqual(container.args, [
      'run',
      '--target',
      'http://bench.example:80/',
      '--shard',
      '$(JOB_COMPLETION_INDEX)/3',
      '--start-at',
      '2030-01-01T00:00:00Z',
      '--out',
      '/results/shard-$(JOB_COMPLETION_INDEX)',
      '--force',
      '--connections',
      '96',
      '--duration',
      '20s',
      '--rate',
      '3000',
      '--arrivals',
      'poisson',
      '--seed',
      '7',
      '--method',
      'POST',
      '--header',
      'content-type: application/json',
      '--body',
      '{"a":1}',
    ]);
    assert.equal(
      container.env.find((e: { name: string }) => e.name === 'JOB_COMPLETION_INDEX').valueFrom.fieldRef.fieldPath,
      "metadata.annotations['batch.kubernetes.io/job-completion-index']",
    );
    const antiAffinity = pod.affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution[0];
    assert.equal(antiAffinity.topologyKey, 'kubernetes.io/hostname');
    assert.deepEqual(antiAffinity.labelSelector.matchExpressions[0].values, ['server', 'load']);
    assert.equal(pod.securityContext.runAsNonRoot, true);
    assert.deepEqual(pod.volumes, [{ name: 'results', persistentVolumeClaim: { claimName: 'iobench-results' } }]);
    const merge = files.get('merge-job.yaml')!.objects[0]!.spec.template.spec.containers[0];
    assert.deepEqual(merge.args, [
      'merge',
      '/results/shard-0/results.json',
      '/results/shard-1/results.json',
      '/results/shard-2/results.json',
      '--out',
      '/results/merged',
      '--force',
    ]);
    assert.equal(files.has('server.yaml'), false, 'a server of the user’s own: no server rendered');
    assert.match(r.stderr, /apply results-volume\.yaml, then load-job\.yaml/);
    for (const [name, { objects }] of files) {
      for (const o of objects.filter((o) => o.kind === 'Job')) {
        const { requests, limits } = o.spec.template.spec.containers[0].resources;
        assert.deepEqual(requests, { cpu: '1', memory: '1Gi' }, `${name}: requests`);
        assert.deepEqual(limits, requests, `${name}: limits equal requests (Guaranteed)`);
      }
    }
    assert.equal(files.get('results-volume.yaml')!.objects[0]!.spec.accessModes[0], 'ReadWriteMany');
  });

  test('the rendered server is Guaranteed like the shards; --colocate relaxes one shard per node to a preference', async () => {
    const out = await tempDir();
    const r = await iobench([
      'kube',
      'render',
      '--shards',
      '2',
      '--cpu',
      '2',
      '--memory',
      '512Mi',
      '--colocate',
      '--out-dir',
      out,
    ]);
    assert.equal(r.code, 0, r.stderr);
    const files = await readManifests(out);
    for (const [name, { objects }] of files) for (const o of objects) validate(name, o);
    const [deployment, service] = files.get('server.yaml')!.objects;
    const server = deployment!.spec.template.spec.containers[0];
    assert.deepEqual(server.args, ['serve', '--server', 'epoll', '--host', '0.0.0.0', '--port', '8080']);
    assert.deepEqual(server.resources, {
      requests: { cpu: '2', memory: '512Mi' },
      limits: { cpu: '2', memory: '512Mi' },
    });
    assert.deepEqual(service!.spec.selector, deployment!.spec.selector.matchLabels);
    const affinity = files.get('load-job.yaml')!.objects[0]!.spec.template.spec.affinity.podAntiAffinity;
    assert.equal(affinity.requiredDuringSchedulingIgnoredDuringExecution, undefined);
    assert.equal(
      affinity.preferredDuringSchedulingIgnoredDuringExecution[0].podAffinityTerm.topologyKey,
      'kubernetes.io/hostname',
    );
    const bad = await iobench(['kube', 'render', '--shards', '2', '--cpu', 'two', '--out-dir', out]);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--cpu must be a Kubernetes quantity such as 2, 500m or 1Gi \(got "two"\)/);
  });

  test('--start-barrier: no instant in the manifests; the shards wait for the start ConfigMap, mounted as a directory', async () => {
    const out = await tempDir();
    const r = await iobench([
      'kube',
      'render',
      '--shards',
      '2',
      '--start-barrier',
      '--results-in-logs',
      '--out-dir',
      out,
    ]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /once every shard pod is Running, write it: kubectl patch configmap iobench-start/);
    const files = await readManifests(out);
    for (const [name, { objects }] of files) for (const o of objects) validate(name, o);
    const [configMap, job] = files.get('load-job.yaml')!.objects as [any, any];
    assert.equal(configMap.kind, 'ConfigMap', 'the ConfigMap comes before the Job whose pods mount it');
    assert.deepEqual(configMap.data, { 'start-at': '' });
    const pod = job.spec.template.spec;
    const args: string[] = pod.containers[0].args;
    assert.ok(!args.includes('--start-at'), 'no baked instant');
    assert.deepEqual(args.slice(args.indexOf('--start-at-file'), args.indexOf('--start-at-file') + 4), [
      '--start-at-file',
      '/start/start-at',
      '--start-at-timeout',
      '30m',
    ]);
    assert.deepEqual(
      pod.containers[0].volumeMounts.find((m: { name: string }) => m.name === 'start'),
      { name: 'start', mountPath: '/start', readOnly: true },
      'a directory mount (a subPath mount is never updated by the kubelet)',
    );
    assert.deepEqual(pod.volumes.find((v: { name: string }) => v.name === 'start').configMap, {
      name: 'iobench-start',
    });
    assert.match(
      files.get('load-job.yaml')!.text,
      /^# Rendered by: iobench kube render --shards 2 --start-barrier --results-in-logs$/m,
    );
  });

  test('a plan the pods would refuse is refused when rendering, naming the flag (exit 2)', async () => {
    const out = await tempDir();
    const render = (...args: string[]) => iobench(['kube', 'render', '--out-dir', out, ...args]);
    const tooMany = await render('--shards', '100', '--connections', '64');
    assert.equal(tooMany.code, 2);
    assert.match(
      tooMany.stderr,
      /connections 64 cannot be split into 100 shards \(each shard needs at least one connection\)/,
    );
    const past = await render('--shards', '2', '--start-at', '2020-01-01T00:00:00Z');
    assert.equal(past.code, 2);
    assert.match(past.stderr, /--start-at 2020-01-01T00:00:00Z is in the past/);
    const bad = await render('--shards', '2', '--connections', 'many');
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--connections/);
    const server = await render('--shards', '2', '--server', 'nginx');
    assert.equal(server.code, 2);
    assert.match(server.stderr, /nginx/);
    const name = await render('--shards', '2', '--name', 'My_Bench');
    assert.equal(name.code, 2);
    assert.match(name.stderr, /--name must be a DNS label .* \(got "My_Bench"\)/);
    const bodyFile = await render('--shards', '2', '--method', 'POST', '--body', '@body.json');
    assert.equal(bodyFile.code, 2);
    assert.match(bodyFile.stderr, /--body @body\.json: the shards' pods cannot read files of this machine/);
    const header = await render('--shards', '2', '--header', 'no colon here');
    assert.equal(header.code, 2);
    assert.match(header.stderr, /header/i);
  });
});
