/**
 * What every iobench command shares: the one place errors become messages and exit codes
 * (2 usage/config, 1 failed run, 130 interrupted). Stack traces only with DEBUG=iobench*.
 */

import { IobenchError } from '@iobench/core';
import { Command } from '@oclif/core';
import createDebug from 'debug';

export abstract class BaseCommand extends Command {
  protected override async catch(error: Error & { exitCode?: number; oclif?: { exit?: number } }): Promise<unknown> {
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
