import { Flags } from '@oclif/core';
import { BaseCommand } from '../base-command.js';
import { type Check, runChecks } from '../doctor/checks.js';

export default class Doctor extends BaseCommand {
  static override summary = 'Check this machine for what iobench needs (wrk, perf, taskset, limits, CPUs)';

  static override description = `Each check prints ok, warn or fail with the fix. Exits 1 when a check fails (something a run needs is missing), 0 when there are only warnings.`;

  static override examples = ['<%= config.bin %> <%= command.id %>', '<%= config.bin %> <%= command.id %> --json'];

  static override flags = {
    json: Flags.boolean({ description: 'Print the checks as JSON' }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(Doctor);
    const checks: Check[] = await runChecks();
    if (flags.json) {
      process.stdout.write(`${JSON.stringify(checks, null, 2)}\n`);
    } else {
      for (const c of checks) {
        process.stdout.write(`${c.status.padEnd(4)}  ${c.name}: ${c.detail}\n`);
        if (c.fix && c.status !== 'ok') process.stdout.write(`      fix: ${c.fix}\n`);
      }
    }
    if (checks.some((c) => c.status === 'fail')) this.exit(1);
  }
}
