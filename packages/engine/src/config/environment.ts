/**
 * `IOBENCH_*` environment variables as a config layer: one variable per config key
 * (`IOBENCH_SERVER_CPUS` sets `serverCpus`), typed by what the key holds; an unknown variable is an
 * error, since a misspelt `IOBENCH_CONECTIONS` silently ignored would run a plan other than the one
 * the user set.
 */
import { ConfigError, didYouMean, nearestNames } from '@iobench/core';
import { LIST_KEYS, NUMBER_KEYS, VERBATIM_KEYS } from './keys.js';
import type { ConfigSchema } from './schema.js';

/** The variables set, as a layer: values typed, and by key the variable's name and its text as given. */
export interface EnvironmentLayer {
  kind: 'environment';
  values: Record<string, unknown>;
  /** `serverCpus` -> `IOBENCH_SERVER_CPUS`, for the keys set. */
  names: Map<string, string>;
  /** The variable's text as the user wrote it, which a refusal shows. */
  texts: Map<string, string>;
  /** How a variable whose text has a format of its own is written, which a refusal says. */
  formats: Map<string, string>;
}

/**
 * How `IOBENCH_HEADERS` is written. A header value may hold commas (`accept: text/html,
 * application/json`) but never a line break, so lines — not commas — separate headers. Files of
 * variables (docker `--env-file`, systemd) hold no line break, so the config file's form, as JSON,
 * is read too; no header line starts with `[` or `{`, which are not in a header name.
 */
const HEADERS_FORMAT =
  'IOBENCH_HEADERS holds one "Name: value" header a line, or a JSON list of them (or an object of name -> value) as the config file\'s headers';

/** `IOBENCH_CONNECTIONS=8,64` -> `{ connections: [8, 64] }`, and so on for every key but plugin options. */
export function environmentLayer(schema: ConfigSchema, env: NodeJS.ProcessEnv): EnvironmentLayer {
  const layer: EnvironmentLayer = {
    kind: 'environment',
    values: {},
    names: new Map(),
    texts: new Map(),
    formats: new Map(),
  };
  const keys = Object.keys(schema.shape).filter((k) => !k.endsWith('Options') && k !== '$schema');
  const known = new Set<string>();
  for (const key of keys) {
    const name = `IOBENCH_${key.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase()}`;
    known.add(name);
    const raw = env[name];
    if (raw === undefined || raw === '') continue;
    layer.names.set(key, name);
    layer.texts.set(key, raw);
    if (key === 'headers') {
      layer.formats.set(key, HEADERS_FORMAT);
      layer.values[key] = headersFromText(name, raw);
    } else {
      layer.values[key] = typeFromString(key, raw);
    }
  }
  const unknown = Object.keys(env).filter((name) => name.startsWith('IOBENCH_') && !known.has(name));
  if (unknown.length > 0) {
    // Compared without the shared prefix, which would make every name look near every other.
    const suffixes = [...known].map((name) => name.slice('IOBENCH_'.length));
    const near = unknown.map((name) =>
      nearestNames(name.slice('IOBENCH_'.length), suffixes).map((suffix) => `IOBENCH_${suffix}`),
    );
    const lines = unknown.map((name, i) => `${name} is not an iobench setting${didYouMean(near[i] ?? [])}`);
    throw new ConfigError(`unknown environment variable${unknown.length > 1 ? 's' : ''}:\n  ${lines.join('\n  ')}`, {
      suggestions: near.some((n) => n.length === 0) ? [`The variables iobench reads: ${[...known].join(', ')}.`] : [],
    });
  }
  return layer;
}

/**
 * Types a string value from the environment or a flag by what the key holds: lists split on commas,
 * items trimmed, numbers typed; a verbatim key's text is left as it is.
 */
export function typeFromString(key: string, raw: string): unknown {
  if (VERBATIM_KEYS.has(key)) return raw;
  const one = (s: string) => {
    const t = s.trim();
    return NUMBER_KEYS.has(key) && t !== '' && !Number.isNaN(Number(t)) ? Number(t) : t;
  };
  return LIST_KEYS.has(key) ? raw.split(',').map(one) : one(raw);
}

/** `IOBENCH_HEADERS`'s text as the schema takes `headers` (see HEADERS_FORMAT); each line is checked there. */
function headersFromText(name: string, raw: string): unknown {
  const text = raw.trim();
  if (text.startsWith('[') || text.startsWith('{')) {
    try {
      return JSON.parse(text);
    } catch (error) {
      throw new ConfigError(`${name} starts with "${text[0]}" but is not JSON: ${(error as Error).message}`, {
        suggestions: [HEADERS_FORMAT],
      });
    }
  }
  return raw.split(/\r?\n/).filter((line) => line.trim() !== '');
}
