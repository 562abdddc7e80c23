/**
 * Loads the configuration from its layers — schema defaults < config file < `IOBENCH_*` environment
 * < flags — and validates the merged result once, so every error names the layer it came from.
 */
import { dirname } from 'node:path';
import { cosmiconfig } from 'cosmiconfig';
import type { z } from 'zod';
import { ConfigError } from '../errors.js';
import { type Config, configSchema, LIST_KEYS, NUMBER_KEYS } from './schema.js';

/** A partial config from one layer, as plain values (strings from env and flags already typed). */
export type ConfigLayer = Record<string, unknown>;

export interface LoadConfigOptions {
  /** Directory to search from (default: process.cwd()). */
  cwd?: string;
  /** Explicit config file (`--config`); otherwise cosmiconfig searches. */
  configPath?: string;
  /** Environment to read `IOBENCH_*` from (default: process.env). */
  env?: NodeJS.ProcessEnv;
  /** Values from command-line flags; highest precedence. */
  flags?: ConfigLayer;
}

export interface LoadedConfig {
  config: Config;
  /** The config file used, if any. */
  filePath?: string;
  /** Directory relative plugin paths are resolved from (the config file's, else cwd). */
  baseDir: string;
}

const MODULE_NAME = 'iobench';
const SEARCH_PLACES = [
  'package.json',
  '.iobenchrc',
  '.iobenchrc.json',
  '.iobenchrc.yaml',
  '.iobenchrc.yml',
  'iobench.config.js',
  'iobench.config.mjs',
  'iobench.config.ts',
];

export async function loadConfig(options: LoadConfigOptions = {}): Promise<LoadedConfig> {
  const cwd = options.cwd ?? process.cwd();
  const explorer = cosmiconfig(MODULE_NAME, { searchPlaces: SEARCH_PLACES, searchStrategy: 'project' });
  let found: { config: unknown; filepath: string; isEmpty?: boolean } | null;
  try {
    found = options.configPath ? await explorer.load(options.configPath) : await explorer.search(cwd);
  } catch (cause) {
    const where = options.configPath ?? `a config file under ${cwd}`;
    throw new ConfigError(`could not read ${where}: ${(cause as Error).message}`, { cause });
  }
  const fileLayer = found && !found.isEmpty ? found.config : {};
  if (typeof fileLayer !== 'object' || fileLayer === null || Array.isArray(fileLayer)) {
    throw new ConfigError(
      `config file ${found?.filepath}: expected an object of settings, received ${describe(fileLayer)}`,
    );
  }
  const envLayer = envToLayer(options.env ?? process.env);
  const flagLayer = options.flags ?? {};
  const layers: Array<[string, ConfigLayer]> = [
    [found ? `config file ${found.filepath}` : 'config', fileLayer as ConfigLayer],
    ['environment', envLayer.values],
    ['flags', flagLayer],
  ];
  const merged = mergeLayers(layers.map(([, layer]) => layer));
  const parsed = configSchema.safeParse(merged, { reportInput: true });
  if (!parsed.success) throw configErrorFrom(parsed.error, layers, envLayer.names);
  return {
    config: parsed.data,
    filePath: found?.filepath,
    baseDir: found ? dirname(found.filepath) : cwd,
  };
}

/** Later layers win; plugin option maps merge per plugin and per key. */
function mergeLayers(layers: ConfigLayer[]): ConfigLayer {
  const out: ConfigLayer = {};
  for (const layer of layers) {
    for (const [key, value] of Object.entries(layer)) {
      if (value === undefined) continue;
      if (key.endsWith('Options') && isObject(value) && isObject(out[key])) {
        const target = { ...(out[key] as Record<string, unknown>) };
        for (const [plugin, opts] of Object.entries(value)) {
          target[plugin] = isObject(opts) && isObject(target[plugin]) ? { ...target[plugin], ...opts } : opts;
        }
        out[key] = target;
      } else {
        out[key] = value;
      }
    }
  }
  return out;
}

/** `IOBENCH_SERVER_CPUS=0` -> `{ serverCpus: '0' }`; lists split on commas; numbers typed. */
function envToLayer(env: NodeJS.ProcessEnv): { values: ConfigLayer; names: Map<string, string> } {
  const values: ConfigLayer = {};
  const names = new Map<string, string>();
  const keys = Object.keys(configSchema.shape).filter((k) => !k.endsWith('Options') && k !== '$schema');
  for (const key of keys) {
    const name = `IOBENCH_${key.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase()}`;
    const raw = env[name];
    if (raw === undefined || raw === '') continue;
    values[key] = typeFromString(key, raw);
    names.set(key, name);
  }
  return { values, names };
}

/** Types a string value from the environment or a flag by what the key holds. */
export function typeFromString(key: string, raw: string): unknown {
  const one = (s: string) => {
    const t = s.trim();
    return NUMBER_KEYS.has(key) && t !== '' && !Number.isNaN(Number(t)) ? Number(t) : t;
  };
  return LIST_KEYS.has(key) ? raw.split(',').map(one) : one(raw);
}

function configErrorFrom(error: z.ZodError, layers: Array<[string, ConfigLayer]>, envNames: Map<string, string>) {
  const lines = error.issues.flatMap(specificIssues).map((issue) => {
    const top = issue.code === 'unrecognized_keys' ? issue.keys[0] : String(issue.path[0] ?? '');
    const source = [...layers].reverse().find(([, layer]) => top !== undefined && top in layer)?.[0] ?? 'config';
    if (issue.code === 'unrecognized_keys') {
      const where = issue.path.length ? ` in "${issue.path.join('.')}"` : '';
      return `${source}: unknown key${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `"${k}"`).join(', ')}${where}`;
    }
    const keyPath = issue.path.join('.') || '(root)';
    const via = source === 'environment' && envNames.has(top) ? ` (${envNames.get(top)})` : '';
    return `${source}${via}: "${keyPath}": ${stripInvalidInput(issue.message)}, received ${describe(issue.input)}`;
  });
  const known = Object.keys(configSchema.shape).join(', ');
  return new ConfigError(`invalid configuration:\n  ${lines.join('\n  ')}`, {
    suggestions: [`Known keys: ${known}`, 'Run `iobench run --help` for the flags and their meaning.'],
  });
}

/**
 * A value that may be one item or a list fails as a union; report the branch that got furthest
 * (e.g. `connections.1: expected number`) instead of zod's bare "Invalid input".
 */
function specificIssues(issue: z.core.$ZodIssue): z.core.$ZodIssue[] {
  if (issue.code !== 'invalid_union' || issue.errors.length === 0) return [issue];
  const depth = (branch: z.core.$ZodIssue[]) => Math.max(...branch.map((i) => i.path.length));
  const best = issue.errors.reduce((a, b) => (depth(b) > depth(a) ? b : a));
  if (depth(best) === 0) return [issue];
  return best.map((i) => ({ ...i, path: [...issue.path, ...i.path] }) as z.core.$ZodIssue);
}

function stripInvalidInput(message: string): string {
  return message.replace(/^Invalid input: /, '').replace(/, received \w+$/, '');
}

function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  const text = JSON.stringify(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
