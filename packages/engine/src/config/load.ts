/**
 * Loads the configuration from its layers — schema defaults < config file < `IOBENCH_*` environment
 * < flags — and validates the merged result once, so every error names the layer it came from.
 */
import { statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { ConfigError } from '@iobench/core';
import createDebug from 'debug';
import { environmentLayer } from './environment.js';
import { configErrorFrom, describeValue, type NamedLayer } from './issues.js';
import { CONFIG_FILE_NAMES, readConfigFile } from './read-file.js';
import { type Config, createConfigSchema, FILE_PATH_KEYS, type PlanDefaults } from './schema.js';
import { projectDirs, whyUntrusted } from './trust.js';

const debug = createDebug('iobench:config');

/** A partial config from one layer, as plain values (strings from env and flags already typed). */
export type ConfigLayer = Record<string, unknown>;

export interface LoadConfigOptions {
  /** Directory to search from (default: process.cwd()). */
  cwd?: string;
  /** Explicit config file (`--config`), read wherever it is; otherwise the project is searched. */
  configPath?: string;
  /** Environment to read `IOBENCH_*` from (default: process.env). */
  env?: NodeJS.ProcessEnv;
  /** Values from command-line flags by config key; highest precedence. Messages name them `--kebab-case`. */
  flags?: ConfigLayer;
  /** How messages name a flag whose name is not `--` and the kebab-case key, by key: `{ thresholds: '--threshold' }`. */
  flagNames?: Record<string, string>;
  /** The servers and load a config that names none measures (the CLI's built-ins). */
  defaults: PlanDefaults;
}

/** A config file the search passed over because another user could have written it. */
export interface IgnoredConfigFile {
  filePath: string;
  /** Why, e.g. `/tmp/x is writable by every user and owned by uid 1001, ...`. */
  reason: string;
}

/** Where a setting's value came from. */
export type ConfigSource =
  | { kind: 'default' }
  | { kind: 'file'; filePath: string }
  | { kind: 'environment'; name: string }
  | { kind: 'flag'; name: string };

export interface LoadedConfig {
  config: Config;
  /** Where each top-level setting came from: the highest layer that set it, else the default. */
  sources: Record<string, ConfigSource>;
  /** The config file used, if any. */
  filePath?: string;
  /**
   * Config files the search found after the one used, nearest first, which it therefore did not
   * read (only the first file holding settings is used; they are never merged).
   */
  shadowed: string[];
  /** Directory relative plugin paths are resolved from (the config file's, else cwd). */
  baseDir: string;
  /**
   * Config files the search passed over as untrusted before it settled, so files it would
   * otherwise have read. Callers warn about each; `--config` reads one on purpose.
   */
  ignored: IgnoredConfigFile[];
}

export async function loadConfig(options: LoadConfigOptions): Promise<LoadedConfig> {
  const cwd = options.cwd ?? process.cwd();
  const found = options.configPath ? await readExplicit(resolve(cwd, options.configPath)) : await searchConfigFile(cwd);
  const fileLayer = found.config ?? {};
  if (typeof fileLayer !== 'object' || fileLayer === null || Array.isArray(fileLayer)) {
    throw new ConfigError(
      `config file ${found.filePath}: expected an object of settings, received ${describeValue(fileLayer)}`,
    );
  }
  const schema = createConfigSchema(options.defaults);
  const layers: NamedLayer[] = [
    { kind: 'file', values: fileLayer as ConfigLayer, filePath: found.filePath },
    environmentLayer(schema, options.env ?? process.env),
    { kind: 'flags', values: options.flags ?? {}, names: new Map(Object.entries(options.flagNames ?? {})) },
  ];
  const merged = mergeLayers(layers.map((layer) => layer.values));
  const parsed = schema.safeParse(merged, { reportInput: true });
  if (!parsed.success) throw configErrorFrom(parsed.error, layers);
  const sources = sourcesOf(Object.keys(parsed.data), layers);
  const config = parsed.data;
  for (const key of FILE_PATH_KEYS) {
    const path = config[key];
    if (path === undefined) continue;
    const source = sources[key];
    config[key] = resolve(source?.kind === 'file' ? dirname(source.filePath) : cwd, path);
  }
  return {
    config,
    sources,
    filePath: found.filePath,
    shadowed: found.shadowed,
    baseDir: found.filePath ? dirname(found.filePath) : cwd,
    ignored: found.ignored,
  };
}

/** For each key, the last layer that set it (the one whose value won), named as the user wrote it. */
function sourcesOf(keys: string[], layers: NamedLayer[]): Record<string, ConfigSource> {
  const kebab = (key: string) => key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
  return Object.fromEntries(
    keys.map((key): [string, ConfigSource] => {
      const layer = [...layers].reverse().find((l) => l.values[key] !== undefined);
      if (layer?.kind === 'file' && layer.filePath) return [key, { kind: 'file', filePath: layer.filePath }];
      if (layer?.kind === 'environment') return [key, { kind: 'environment', name: layer.names.get(key) ?? key }];
      if (layer?.kind === 'flags') return [key, { kind: 'flag', name: layer.names?.get(key) ?? `--${kebab(key)}` }];
      return [key, { kind: 'default' }];
    }),
  );
}

interface FoundConfig {
  filePath?: string;
  config?: unknown;
  ignored: IgnoredConfigFile[];
  shadowed: string[];
}

/** `--config FILE`: read wherever it is, since the user named it. */
async function readExplicit(filePath: string): Promise<FoundConfig> {
  return { filePath, config: await readConfigFile(filePath), ignored: [], shadowed: [] };
}

/**
 * The nearest config file from `cwd` up to the project root that holds settings (empty files and
 * package.json without an `iobench` key are passed over). Untrusted files are judged by owner and
 * directory before anything is read, let alone run; an untrusted package.json is passed over
 * quietly, since most hold no iobench settings and telling would mean reading it.
 */
async function searchConfigFile(cwd: string): Promise<FoundConfig> {
  const ignored: IgnoredConfigFile[] = [];
  let used: { filePath: string; config: unknown } | undefined;
  const shadowed: string[] = [];
  for (const dir of projectDirs(cwd)) {
    for (const name of CONFIG_FILE_NAMES) {
      const filePath = join(dir, name);
      if (!isFile(filePath)) continue;
      const reason = whyUntrusted(filePath);
      if (reason) {
        debug('skipping %s: %s', filePath, reason);
        if (name !== 'package.json' && !used) ignored.push({ filePath, reason });
        continue;
      }
      if (used) {
        // Past the file used, only tell which others hold settings; a JavaScript config is never run for that.
        if (await mayHoldSettings(filePath)) shadowed.push(filePath);
        continue;
      }
      const config = await readConfigFile(filePath);
      if (config !== undefined) used = { filePath, config };
    }
  }
  return { ...used, ignored, shadowed };
}

/** Whether a file the search passed over holds settings, judged without running it. */
async function mayHoldSettings(filePath: string): Promise<boolean> {
  if (/\.(js|mjs|ts)$/.test(filePath)) return statSync(filePath).size > 0;
  return (await readConfigFile(filePath).catch(() => 'unreadable')) !== undefined;
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
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

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
