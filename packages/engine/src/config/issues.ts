/**
 * Turns the schema's validation issues into lines a user can act on: the thing (key path, flag or
 * variable), what it must be, what was received, and where it came from. What a key accepts is
 * worded from the JSON Schema generated from the zod schema, so the words follow the checks; a
 * custom message in the schema ("expected a duration such as ...") is used instead where there is one.
 */
import { isDeepStrictEqual } from 'node:util';
import { ConfigError, didYouMean, nearestNames } from '@iobench/core';
import { z } from 'zod';
import type { EnvironmentLayer } from './environment.js';
import { configJsonSchema } from './schema.js';

/** One layer of settings and how messages name where its values came from. */
export type NamedLayer =
  | { kind: 'file'; values: Record<string, unknown>; filePath?: string }
  | EnvironmentLayer
  | { kind: 'flags'; values: Record<string, unknown>; names?: Map<string, string> };

/**
 * A ConfigError with one line per problem. Only unknown keys suggest keys: the nearest known ones,
 * in their line; when none is near, a hint says where the settings are listed. A refused variable
 * whose text has a format of its own (IOBENCH_HEADERS) says how it is written.
 */
export function configErrorFrom(error: z.ZodError, layers: NamedLayer[]): ConfigError {
  const issues = error.issues.flatMap(specificIssues);
  const lines = issues.flatMap((issue) => explain(issue, layers));
  const unknownWithoutGuess = issues.some(
    (issue) => issue.code === 'unrecognized_keys' && issue.keys.some((k) => nearestKeys(k, issue.path).length === 0),
  );
  const formats = issues.flatMap((issue) => {
    const layer = layerOf(issue, layers);
    return layer?.kind === 'environment' ? [layer.formats.get(topKey(issue))].filter((f) => f !== undefined) : [];
  });
  return new ConfigError(`invalid configuration:\n  ${lines.join('\n  ')}`, {
    suggestions: [
      ...new Set(formats),
      ...(unknownWithoutGuess
        ? ['The settings and what each accepts: `iobench run --help`, or iobench.schema.json in @iobench/engine.']
        : []),
    ],
  });
}

/** A value as messages show it: JSON, shortened. */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  const text = JSON.stringify(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

/** The top-level key an issue is about. */
function topKey(issue: z.core.$ZodIssue): string {
  return String(issue.path[0] ?? (issue.code === 'unrecognized_keys' ? issue.keys[0] : ''));
}

/** The layer whose value won the merge, so the one the bad value came from. */
function layerOf(issue: z.core.$ZodIssue, layers: NamedLayer[]): NamedLayer | undefined {
  const top = topKey(issue);
  return [...layers].reverse().find((l) => top in l.values);
}

function explain(issue: z.core.$ZodIssue, layers: NamedLayer[]): string[] {
  const top = topKey(issue);
  const layer = layerOf(issue, layers);
  if (issue.code === 'unrecognized_keys') {
    const where = issue.path.length ? ` in ${issue.path.join('.')}` : '';
    return issue.keys.map(
      (key) => `${fileSource(layer)}: unknown key "${key}"${where}${didYouMean(nearestKeys(key, issue.path))}`,
    );
  }
  const custom = customMessage(issue);
  if (layer?.kind === 'flags' || layer?.kind === 'environment') {
    // Flags and variables are one string each: name them as typed and show that string.
    const name = layer.names?.get(top) ?? (layer.kind === 'flags' ? `--${kebab(top)}` : top);
    if (custom && isComplete(custom)) return [`${name} ${custom}`];
    const must = custom ?? mustBe([top]) ?? zodMessage(issue);
    // A switch (`--http2`) has nothing to show: "(got true)" only repeats that it was given.
    if (['true', 'false'].includes(String(layer.values[top]))) return [`${name} ${must}`];
    const given = layer.kind === 'environment' ? layer.texts.get(top) : asTyped(layer.values[top]);
    return [`${name} ${must} (got ${JSON.stringify(given)})`];
  }
  const path = issue.path.join('.') || '(the file)';
  if (custom && isComplete(custom)) return [`${fileSource(layer)}: ${path} ${custom}`];
  const must = custom ?? mustBe(issue.path) ?? zodMessage(issue);
  if (issue.code === 'invalid_type' && issue.input === undefined) {
    return [`${fileSource(layer)}: ${path} is missing; it ${must}`];
  }
  return [`${fileSource(layer)}: ${path} ${must} (got ${describeValue(issue.input)})`];
}

/**
 * A value that may be one item or a list fails as a union; report the branch that got furthest
 * (e.g. `connections.1`) when one did, else the union itself (worded from the key's schema).
 */
function specificIssues(issue: z.core.$ZodIssue): z.core.$ZodIssue[] {
  if (issue.code !== 'invalid_union' || issue.errors.length === 0) return [issue];
  const depth = (branch: z.core.$ZodIssue[]) => Math.max(...branch.map((i) => i.path.length));
  const best = issue.errors.reduce((a, b) => (depth(b) > depth(a) ? b : a));
  if (depth(best) === 0) return [issue];
  return best.map((i) => ({ ...i, path: [...issue.path, ...i.path] }) as z.core.$ZodIssue);
}

function fileSource(layer: NamedLayer | undefined): string {
  return layer?.kind === 'file' && layer.filePath ? `config file ${layer.filePath}` : 'config';
}

const defaultErrorMap = z.locales.en().localeError;

/** The schema's own message (`expected ...` becomes `must be ...`), or undefined for zod's default one. */
function customMessage(issue: z.core.$ZodIssue): string | undefined {
  const byDefault = defaultErrorMap(issue as unknown as z.core.$ZodRawIssue);
  if (issue.message === (typeof byDefault === 'string' ? byDefault : byDefault?.message)) return undefined;
  return issue.message.startsWith('expected ') ? `must be ${issue.message.slice('expected '.length)}` : issue.message;
}

/**
 * A message that starts by quoting the value it is about (`"p99<10": expected ..., received "10"`)
 * already says what was received, of an item the key's whole value would hide.
 */
function isComplete(message: string): boolean {
  return message.startsWith('"');
}

/** zod's words, for issues the schema cannot put better: `Too big: expected ...`. */
function zodMessage(issue: z.core.$ZodIssue): string {
  return `is invalid: ${issue.message.replace(/^Invalid input: /, '').replace(/, received \w+$/, '')}`;
}

/** Flag and variable values arrive typed (lists split on commas); show them as the user wrote them. */
function asTyped(value: unknown): string {
  return Array.isArray(value) ? value.join(',') : String(value);
}

function kebab(key: string): string {
  return key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}

interface JsonSchema {
  type?: string | string[];
  enum?: unknown[];
  anyOf?: JsonSchema[];
  items?: JsonSchema;
  properties?: Record<string, JsonSchema>;
  additionalProperties?: JsonSchema | boolean;
  minimum?: number;
  exclusiveMinimum?: number;
  minLength?: number;
  format?: string;
}

let rootSchema: JsonSchema | undefined;

/** The config JSON Schema at a key path (`connections.1` -> an item of connections). */
function schemaAt(path: PropertyKey[]): JsonSchema | undefined {
  // Only the shapes are read here, which the plan's default servers and load do not change.
  rootSchema ??= configJsonSchema({ server: [], load: '-' }) as JsonSchema;
  let node: JsonSchema | undefined = rootSchema;
  for (const segment of path) {
    if (!node) return undefined;
    const branches: JsonSchema[] = node.anyOf ?? [node];
    node =
      typeof segment === 'number'
        ? branches.find((b) => b.items)?.items
        : (branches.find((b) => b.properties?.[String(segment)])?.properties?.[String(segment)] ??
          branches.map((b) => b.additionalProperties).find((a): a is JsonSchema => typeof a === 'object'));
  }
  return node;
}

/** `must be a positive integer or a list of them`, from the schema at `path`. */
function mustBe(path: PropertyKey[]): string | undefined {
  const schema = schemaAt(path);
  return schema ? `must be ${inWords(schema)}` : undefined;
}

function inWords(s: JsonSchema): string {
  if (s.anyOf) {
    const [one, many] = s.anyOf;
    if (s.anyOf.length === 2 && one && many?.type === 'array' && isDeepStrictEqual(many.items, one)) {
      return `${inWords(one)} or a list of them`;
    }
    return s.anyOf.map(inWords).join(' or ');
  }
  if (s.enum) return s.enum.map((v) => JSON.stringify(v)).join(' or ');
  if (Array.isArray(s.type)) return s.type.map((type) => inWords({ ...s, type })).join(' or ');
  switch (s.type) {
    case 'integer':
    case 'number': {
      if (s.exclusiveMinimum === 0) return `a positive ${s.type}`;
      if (s.minimum === 0) return `a non-negative ${s.type}`;
      return s.type === 'integer' ? 'an integer' : 'a number';
    }
    case 'boolean':
      return 'true or false';
    case 'string':
      return s.format === 'uri' ? 'a URL' : s.minLength ? 'a non-empty string' : 'a string';
    case 'array':
      return s.items ? `a list of ${plural(inWords(s.items))}` : 'a list';
    case 'object':
      return typeof s.additionalProperties === 'object' && s.additionalProperties.type === 'object'
        ? 'an object of objects by name'
        : 'an object';
    default:
      return 'a valid value';
  }
}

/** `a non-empty string` -> `non-empty strings`; anything else is left as it is. */
function plural(words: string): string {
  const one = /^an? (\S+(?: \S+)?)$/.exec(words);
  return one ? `${one[1]}s` : words;
}

/** The known keys at `path` nearest to `key` (see `nearestNames`), if any are near. */
function nearestKeys(key: string, path: PropertyKey[]): string[] {
  return nearestNames(key, Object.keys(schemaAt(path)?.properties ?? {}));
}
