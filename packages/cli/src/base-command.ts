/**
 * What every iobench command shares: the one place errors become messages and exit codes
 * (2 usage/config, 1 failed run, 130 interrupted). Stack traces only with DEBUG=iobench*.
 */

import { dirname } from 'node:path';
import { DEFAULT_PLAN } from '@iobench/builtins';
import { IobenchError } from '@iobench/core';
import { type LoadConfigOptions, type LoadedConfig, loadConfig } from '@iobench/engine/config';
import { didYouMean, nearestNames } from '@iobench/engine/plugin';
import { Command } from '@oclif/core';
import createDebug from 'debug';

/** What a command passes to `loadConfig`: everything but the defaults, which are the built-ins'. */
export type CommandConfigOptions = Omit<LoadConfigOptions, 'defaults'>;

export abstract class BaseCommand extends Command {
  /**
   * Loads the configuration (with the built-in servers and load as the plan's defaults) and warns
   * about each config file the search passed over as untrusted, since a run without the settings the
   * user expected should not look like a normal one.
   */
  protected async loadConfig(options: CommandConfigOptions, { warnShadowed = true } = {}): Promise<LoadedConfig> {
    const loaded = await loadConfig({ ...options, defaults: DEFAULT_PLAN });
    for (const { filePath, reason } of loaded.ignored) {
      process.stderr.write(`iobench: warning: ignored config file ${filePath}: ${reason}\n`);
      process.stderr.write(`  hint: pass --config ${filePath} to use it anyway\n`);
    }
    // Beside the file used, another config file is almost surely meant to count: say it does not.
    const beside =
      loaded.filePath && warnShadowed ? loaded.shadowed.filter((f) => dirname(f) === dirname(loaded.filePath!)) : [];
    if (beside.length > 0) {
      process.stderr.write(
        `iobench: warning: using config file ${loaded.filePath}; not reading ${beside.join(', ')} (only the first config file found is used)\n`,
      );
      process.stderr.write('  hint: `iobench config` shows every setting and where it came from\n');
    }
    return loaded;
  }

  /**
   * `--servr`: names the flags meant, for every command, and exits 2 — one line per unknown flag,
   * instead of oclif's "Nonexistent flag" followed by the whole help.
   */
  private refuseUnknownFlags(typed: string[]): never {
    const flags = Object.entries(this.ctor.flags ?? {}).filter(([, flag]) => !flag.hidden);
    const known = flags.flatMap(([name, flag]) => [`--${name}`, ...(flag.char ? [`-${flag.char}`] : [])]);
    for (const flag of typed) {
      const name = flag.split('=')[0]!;
      // Long flags are compared with long ones (a 1-letter guess for "--servr" helps nobody).
      const candidates = name.startsWith('--') ? known.filter((k) => k.startsWith('--')) : known;
      process.stderr.write(`iobench: unknown flag ${name}${didYouMean(nearestNames(name, candidates))}\n`);
    }
    process.stderr.write(`  hint: \`${this.config.bin} ${this.id} --help\` lists its flags\n`);
    return this.exit(2);
  }

  protected override async catch(error: Error & { exitCode?: number; oclif?: { exit?: number } }): Promise<unknown> {
    if (unknownFlags(error)) return this.refuseUnknownFlags(unknownFlags(error)!);
    // oclif's own exits and parse errors keep their behaviour (parse errors exit 2).
    if (!(error instanceof IobenchError)) {
      if (error.oclif?.exit !== undefined) return super.catch(error);
      process.stderr.write(`iobench: ${error.message}\n`);
      if (createDebug.enabled('iobench')) process.stderr.write(`${error.stack}\n`);
      return this.exit(1);
    }
    process.stderr.write(`iobench: ${error.message}\n`);
    for (const hint of error.suggestions) process.stderr.write(`  hint: ${hint}\n`);
    if (createDebug.enabled('iobench')) {
      process.stderr.write(`${error.stack}\n`);
      if (error.cause instanceof Error) process.stderr.write(`caused by: ${error.cause.stack}\n`);
    }
    return this.exit(error.exitCode);
  }
}

/** The flags oclif's parser did not know (its NonExistentFlagsError), or undefined for any other error. */
function unknownFlags(error: Error): string[] | undefined {
  const flags = (error as { flags?: unknown }).flags;
  return error.constructor?.name === 'NonExistentFlagsError' && Array.isArray(flags) ? (flags as string[]) : undefined;
}
