/** Rendered manifests read back and validated against the Kubernetes API schemas (kubernetes-models). */
import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Deployment } from 'kubernetes-models/apps/v1/Deployment';
import { Job } from 'kubernetes-models/batch/v1/Job';
import { ConfigMap } from 'kubernetes-models/v1/ConfigMap';
import { PersistentVolumeClaim } from 'kubernetes-models/v1/PersistentVolumeClaim';
import { Pod } from 'kubernetes-models/v1/Pod';
import { Service } from 'kubernetes-models/v1/Service';
import { parseAllDocuments } from 'yaml';

/** The Kubernetes API models (OpenAPI schemas of the API server, via kubernetes-models) by apiVersion/kind. */
const MODELS: Record<string, new (data: never) => { validate(): void }> = {
  'apps/v1/Deployment': Deployment,
  'v1/Service': Service,
  'v1/PersistentVolumeClaim': PersistentVolumeClaim,
  'v1/ConfigMap': ConfigMap,
  'v1/Pod': Pod,
  'batch/v1/Job': Job,
};

export type KubeObject = { apiVersion: string; kind: string; metadata: { name: string }; spec: Record<string, any> };

/** A YAML file's objects; the assertion names the file when it is not valid YAML. */
export function parseManifest(name: string, text: string): KubeObject[] {
  const docs = parseAllDocuments(text);
  for (const doc of docs) assert.deepEqual(doc.errors, [], `${name} is not valid YAML`);
  return docs.map((d) => d.toJS() as KubeObject);
}

export async function readManifests(dir: string): Promise<Map<string, { text: string; objects: KubeObject[] }>> {
  const files = new Map<string, { text: string; objects: KubeObject[] }>();
  for (const name of (await readdir(dir)).filter((f) => f.endsWith('.yaml')).sort()) {
    const text = await readFile(join(dir, name), 'utf8');
    files.set(name, { text, objects: parseManifest(name, text) });
  }
  return files;
}

/** Validates against the API schema; the error names the file, the object and what is wrong. */
export function validate(file: string, object: KubeObject): void {
  const Model = MODELS[`${object.apiVersion}/${object.kind}`];
  assert.ok(Model, `${file}: no API schema for ${object.apiVersion} ${object.kind}`);
  try {
    new Model(object as never).validate();
  } catch (error) {
    assert.fail(`${file}: ${object.kind} ${object.metadata?.name} does not validate: ${(error as Error).message}`);
  }
}
