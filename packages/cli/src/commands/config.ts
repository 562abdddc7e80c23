import { basename } from 'node:path';
import { formatDurationMs, renderTable } from '@iobench/core';
import { type ConfigSource, DURATION_KEYS } from '@iobench/engine/config';
import { validatePlugins } from '@iobench/engine/run';
import { Flags } from '@oclif/core';
import { BaseCommand } from '../base-command.js';
import { applyPluginOptionFlags, RUN_CONFIG_FLAGS, RUN_FLAG_NAMES, runFlagLayer } from '../flags.js';
import { runRegistry } from '../run-registry.js';
import Run from './run.js';

/** `iobench run`'s flags that set configuration: the same flags give the same settings here. */
const CONFIG_FLAG_NAMES = [
  'config',
  ...Object.keys(RUN_CONFIG_FLAGS),
  'server-opt',
  'load-opt',
  'reporter-opt',
  'netns',
  'netns-family',
  'insecure',
];
const SETTING_FLAGS = Object.fromEntries(
  Object.entries(Run.flags).filter(([name]) => CONFIG_FLAG_NAMES.includes(name)),
) as Pick<
  typeof Run.flags,
  | 'config'
  | keyof typeof RUN_CONFIG_FLAGS
  | 'server-opt'
  | 'load-opt'
  | 'reporter-opt'
  | 'netns'
  | 'netns-family'
  | 'insecure'
>;

export default class Config extends BaseCommand {
  static override summary = 'Show the effective configuration and where each setting came from';

  static override description =
    'Loads the configuration as `iobench run` would, with the same flags, and prints every setting with its source: the default, the config file, an IOBENCH_* variable or a flag. Names the config file used and the config files found after it, which are not read (only the first found is used). The plugins and their options are validated as `run` validates them (exit 2 on a bad one). Starts nothing.';

  static override examples = [
    '<%= config.bin %> <%= command.id %>',
    'IOBENCH_CONNECTIONS=8,64 <%= config.bin %> <%= command.id %> --duration 10',
    '<%= config.bin %> <%= command.id %> --json',
  ];

  static override flags = {
    ...SETTING_FLAGS,
    json: Flags.boolean({ description: 'Print the settings, their sources and the config files as JSON' }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(Config);
    const loaded = await this.loadConfig(
      {
        configPath: flags.config,
        flags: runFlagLayer(flags),
        flagNames: RUN_FLAG_NAMES,
      },
      { warnShadowed: false },
    );
    applyPluginOptionFlags(loaded, flags);
    // The plugins and their options are checked as `run` checks them, so that a config that passes
    // here is not refused by the run.
    await validatePlugins(loaded.config, await runRegistry(loaded));
    const settings = Object.entries(loaded.config)
      .filter(([key]) => key !== '$schema')
      .map(([key, value]) => ({ key, value, source: loaded.sources[key] ?? { kind: 'default' as const } }));
    if (flags.json) {
      const out = {
        file: loaded.filePath ?? null,
        shadowed: loaded.shadowed,
        ignored: loaded.ignored,
        settings: Object.fromEntries(
          settings.map(({ key, value, source }) => [key, { value: jsonValue(key, value), source }]),
        ),
      };
      process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
      return;
    }
    const file =
      loaded.filePath && basename(loaded.filePath) === 'package.json'
        ? `${loaded.filePath} ("iobench" key)`
        : loaded.filePath;
    process.stdout.write(`config file: ${file ?? 'none (defaults, IOBENCH_* variables and flags only)'}\n`);
    for (const file of loaded.shadowed) process.stdout.write(`  not read: ${file} (shadowed by the file above)\n`);
    for (const { filePath, reason } of loaded.ignored) process.stdout.write(`  ignored: ${filePath}: ${reason}\n`);
    const rows = settings.map(({ key, value, source }) => [key, describeSource(source), shownValue(key, value)]);
    process.stdout.write(`\n${renderTable(['setting', 'from', 'value'], rows)}\n`);
  }
}

function describeSource(source: ConfigSource): string {
  switch (source.kind) {
    case 'default':
      return 'default';
    case 'file':
      return source.filePath;
    case 'environment':
    case 'flag':
      return source.name;
  }
}

/** Durations as durations, thresholds as written, lists comma-separated, the rest as JSON. */
function shownValue(key: string, value: unknown): string {
  const shown = jsonValue(key, value);
  if (Array.isArray(shown) && shown.every((v) => typeof v !== 'object')) return shown.join(', ') || '[]';
  return typeof shown === 'string' ? shown : JSON.stringify(shown);
}

function jsonValue(key: string, value: unknown): unknown {
  if (DURATION_KEYS.has(key) && typeof value === 'number') return formatDurationMs(value);
  if (key === 'thresholds') return (value as Array<{ text: string }>).map((t) => t.text);
  return value;
}
