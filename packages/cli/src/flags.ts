/** Turning command-line flags into a config layer (validated later by core's config schema). */
import { builtinNames, DEFAULT_PLAN } from '@iobench/builtins';
import { ConfigError, formatDurationMs } from '@iobench/core';
import {
  type Config,
  type ConfigKey,
  type ConfigSource,
  createConfigSchema,
  DURATION_KEYS,
  typeFromString,
} from '@iobench/engine/config';

/** Parses repeatable `key=value` options; values are JSON when they parse as JSON, else strings. */
export function parseKeyValues(flag: string, pairs: string[] | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const pair of pairs ?? []) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new ConfigError(`--${flag} expects key=value, received "${pair}"`);
    out[pair.slice(0, eq).trim()] = parseValue(pair.slice(eq + 1));
  }
  return out;
}

function parseValue(raw: string): unknown {
  try {
    return JSON.parse(raw);
  } catch {
    return raw;
  }
}

/**
 * `--server-opt bodySize=1024` applies to every server of the run; `--server-opt epoll.edgeTriggered=true`
 * to the named one only.
 */
export function scopePluginOptions(
  flag: string,
  pairs: string[] | undefined,
  pluginNames: string[],
): Record<string, Record<string, unknown>> {
  const out: Record<string, Record<string, unknown>> = {};
  for (const [key, value] of Object.entries(parseKeyValues(flag, pairs))) {
    const dot = key.indexOf('.');
    const scoped = dot > 0 ? key.slice(0, dot) : undefined;
    if (scoped && !pluginNames.includes(scoped)) {
      throw new ConfigError(
        `--${flag} ${key}=...: "${scoped}" is not one of this run's plugins (${pluginNames.join(', ')})`,
      );
    }
    for (const name of scoped ? [scoped] : pluginNames) {
      out[name] = { ...out[name], [scoped ? key.slice(dot + 1) : key]: value };
    }
  }
  return out;
}

/** Flag values to config keys, typed like environment values; undefined flags are left out. */
export function flagLayer(values: Record<string, string | string[] | undefined>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(values)) {
    if (value === undefined) continue;
    // A repeated flag (`-H a -H b`) is one list; each value is typed as a variable's would be.
    out[key] = Array.isArray(value) ? value.flatMap((v) => typeFromString(key, v)) : typeFromString(key, value);
  }
  return out;
}

/** What a run gets when nothing sets a key: the schema's defaults, with the built-in plan. */
const CONFIG_DEFAULTS: Config = createConfigSchema(DEFAULT_PLAN).parse({});

/** `[default: 5s]` for the flag of config `key`: the schema's default, written as the flag takes it. */
export function defaultNote(key: ConfigKey): string {
  const value = CONFIG_DEFAULTS[key];
  const shown = DURATION_KEYS.has(key)
    ? formatDurationMs(value as number)
    : Array.isArray(value)
      ? value.join(',')
      : String(value);
  return `[default: ${shown}]`;
}

/**
 * `--arrivals` help without its default, which differs by command: `run` defaults to poisson with
 * --find-capacity; the kube commands have no --find-capacity.
 */
export const ARRIVALS_HELP =
  'Open model: how requests arrive — uniform (gaps of exactly 1/rate, as wrk2 sends) or poisson (exponential gaps, seeded: many independent users)';

/** `iobench run`'s flags that set config keys, by flag name (`--idle-connections` sets `idleConnections`). */
export const RUN_CONFIG_FLAGS = {
  server: 'server',
  target: 'target',
  load: 'load',
  connections: 'connections',
  duration: 'duration',
  warmup: 'warmup',
  repeat: 'repeat',
  rate: 'rate',
  arrivals: 'arrivals',
  seed: 'seed',
  stages: 'stages',
  'find-capacity': 'findCapacity',
  'probe-duration': 'probeDuration',
  'capacity-rounds': 'capacityRounds',
  threads: 'threads',
  pipelining: 'pipelining',
  timeout: 'timeout',
  requests: 'requests',
  method: 'method',
  header: 'headers',
  body: 'body',
  'body-file': 'bodyFile',
  'requests-file': 'requestsFile',
  cacert: 'cacert',
  'idle-connections': 'idleConnections',
  'body-size': 'bodySize',
  work: 'work',
  'server-cpus': 'serverCpus',
  'load-cpus': 'loadCpus',
  profile: 'profile',
  out: 'out',
  reporter: 'reporter',
  threshold: 'thresholds',
} as const satisfies Record<string, ConfigKey>;

export type RunConfigFlag = keyof typeof RUN_CONFIG_FLAGS;

/** How config messages name the keys run flags set, where the flag is not the key in kebab-case. */
export const RUN_FLAG_NAMES: Record<string, string> = Object.fromEntries(
  Object.entries(RUN_CONFIG_FLAGS)
    .filter(([flag, key]) => flag !== key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`))
    .map(([flag, key]) => [key, `--${flag}`]),
);

/** The config-setting run flags among `flags`, by config key (for `flagLayer`). */
export function runFlagValues(
  flags: Partial<Record<RunConfigFlag, string | string[]>>,
): Record<string, string | string[] | undefined> {
  return Object.fromEntries(Object.entries(RUN_CONFIG_FLAGS).map(([flag, key]) => [key, flags[flag as RunConfigFlag]]));
}

/** The flags of `iobench run` (and `iobench config`) that set configuration, as parsed. */
export type RunSettingFlags = Partial<Record<RunConfigFlag, string | string[]>> & {
  netns?: boolean;
  'netns-family'?: string;
  insecure?: boolean;
  http2?: boolean;
};

/**
 * The config layer of `run`'s flags: each flag under its key, `--netns[-family]` as `netns`,
 * `-k` as `insecure`, `--[no-]http2` as `http2`, and `--body @FILE` as `bodyFile` (curl's spelling of a body from a file).
 */
export function runFlagLayer(flags: RunSettingFlags): Record<string, unknown> {
  const body = typeof flags.body === 'string' && flags.body.startsWith('@') ? flags.body.slice(1) : undefined;
  if (body !== undefined && flags['body-file'] !== undefined) {
    throw new ConfigError(`--body ${flags.body} and --body-file ${flags['body-file']}: give the body once`);
  }
  if (body === '') throw new ConfigError('--body @ expects a file name after "@", e.g. --body @body.json');
  const values = runFlagValues(body === undefined ? flags : { ...flags, body: undefined, 'body-file': body });
  return {
    ...flagLayer(values),
    ...(flags.insecure ? { insecure: true } : {}),
    ...(flags.http2 !== undefined ? { http2: String(flags.http2) } : {}),
    netns: flags['netns-family'] ?? (flags.netns ? 'ipv6' : undefined),
  };
}

/**
 * `iobench run URL`: the URL argument is `--target URL`. Anything else there is refused with what
 * the argument is for, and a flag the user may have meant (`iobench run epoll` -> `--server epoll`).
 */
export function targetFromArgument(
  argument: string | undefined,
  flags: { target?: string; server?: string },
): string | undefined {
  if (argument === undefined) return undefined;
  if (!/^https?:\/\//i.test(argument)) {
    const servers = builtinNames('server');
    throw new ConfigError(
      `"${argument}" is not a URL: the argument of \`iobench run\` is the URL of a running server to measure, such as http://127.0.0.1:8080/`,
      {
        suggestions: servers.includes(argument)
          ? [`to benchmark the built-in server "${argument}", use --server ${argument}`]
          : ['other settings are flags: `iobench run --help` lists them'],
      },
    );
  }
  if (flags.target !== undefined) {
    throw new ConfigError(`the URL ${argument} and --target ${flags.target}: give the target once`);
  }
  if (flags.server !== undefined) {
    throw new ConfigError(
      `the URL ${argument} and --server ${flags.server}: a run measures either a running server (the URL) or server plugins iobench starts (--server), not both`,
    );
  }
  return argument;
}

/** The `--server-opt`, `--load-opt` and `--reporter-opt` values of a command. */
export interface PluginOptionFlags {
  'server-opt'?: string[];
  'load-opt'?: string[];
  'reporter-opt'?: string[];
}

/**
 * Merges `--server-opt`, `--load-opt` and `--reporter-opt` into the config's option maps (over the
 * file's and the environment's) and records them as where those maps came from.
 */
export function applyPluginOptionFlags(
  loaded: { config: Config; sources: Record<string, ConfigSource> },
  flags: PluginOptionFlags,
): void {
  const { config } = loaded;
  const scopes: Array<[keyof PluginOptionFlags, 'serverOptions' | 'loadOptions' | 'reporterOptions', string[]]> = [
    ['server-opt', 'serverOptions', config.target ? [] : config.server],
    ['load-opt', 'loadOptions', config.load],
    ['reporter-opt', 'reporterOptions', config.reporter],
  ];
  for (const [flag, key, names] of scopes) {
    if (!flags[flag]?.length) continue;
    for (const [name, options] of Object.entries(scopePluginOptions(flag, flags[flag], names))) {
      config[key][name] = { ...config[key][name], ...options };
    }
    loaded.sources[key] = { kind: 'flag', name: `--${flag}` };
  }
}
