/**
 * Setting the common server options (see `COMMON_SERVER_OPTIONS` in contract.ts) on a server: only
 * on one that declares them in `commonOptions`. Setting one on a server that does not is a
 * configuration error, raised before anything starts, that names the setting responsible.
 */
import { ConfigError } from '../errors.js';
import type { CommonServerOption, ServerPlugin } from './contract.js';

/** One common option iobench sets, and the setting (flag or config key) the user set it with. */
export interface CommonOptionSetting {
  option: CommonServerOption;
  value: unknown;
  /** How the user asked for it, for the message, e.g. `--body-size`. */
  setting: string;
}

/** True when `plugin` declares `option` among its common options. */
export function declaresCommonOption(plugin: ServerPlugin<any>, option: CommonServerOption): boolean {
  return (plugin.commonOptions as readonly string[] | undefined)?.includes(option) ?? false;
}

/** Throws a ConfigError (exit 2) naming the first setting `plugin` does not declare. */
export function requireCommonOptions(plugin: ServerPlugin<any>, settings: CommonOptionSetting[]): void {
  for (const { option, value, setting } of settings) {
    if (declaresCommonOption(plugin, option)) continue;
    const declared = plugin.commonOptions?.length ? plugin.commonOptions.join(', ') : 'none';
    throw new ConfigError(
      `${setting} sets the common server option "${option}" (${JSON.stringify(value)}), which server "${plugin.name}" does not declare (its commonOptions: ${declared})`,
      {
        suggestions: [
          `Leave "${plugin.name}" out of this run, or set its own options with --server-opt ${plugin.name}.<key>=<value> (\`iobench list\` shows them).`,
        ],
      },
    );
  }
}

/** `base` with `settings` applied, after checking that `plugin` declares each of them. */
export function withCommonOptions(
  plugin: ServerPlugin<any>,
  base: Record<string, unknown>,
  settings: CommonOptionSetting[],
): Record<string, unknown> {
  requireCommonOptions(plugin, settings);
  return { ...base, ...Object.fromEntries(settings.map(({ option, value }) => [option, value])) };
}
