import type { LoadedConfig } from '@iobench/engine/config';
import { Flags } from '@oclif/core';
import { BaseCommand, type CommandConfigOptions } from '../base-command.js';
import { type Check, type DoctorPlan, runChecks, TYPICAL_MAX_CONNECTIONS } from '../doctor/checks.js';

export default class Doctor extends BaseCommand {
  static override summary = 'Check this machine for what iobench needs (wrk, perf, strace, namespaces, limits, CPUs)';

  static override description =
    `Each check prints ok, warn or fail with the fix: wrk and its version, perf and kernel.perf_event_paranoid (with a real cpu-clock event), strace, permission for network namespaces (one is created and deleted), ulimit -n and net.core.somaxconn against the largest planned connection count (from the config file when there is one, else ${TYPICAL_MAX_CONNECTIONS}), the CPU count and whether pinning is possible. Exits 1 when a check fails (something every run needs is missing), 0 when there are only warnings.`;

  static override examples = [
    '<%= config.bin %> <%= command.id %>',
    '<%= config.bin %> <%= command.id %> --json',
    '<%= config.bin %> <%= command.id %> --config bench/.iobenchrc',
  ];

  static override flags = {
    json: Flags.boolean({ description: 'Print the checks as JSON' }),
    config: Flags.string({
      description: 'Config file whose largest connection count the limits are checked against',
    }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(Doctor);
    const checks: Check[] = await runChecks(await plannedConnections(flags.config, (o) => this.loadConfig(o)));
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

/** The largest connections + idle connections of the config in effect; a typical sweep without one. */
async function plannedConnections(
  configPath: string | undefined,
  loadConfig: (options: CommandConfigOptions) => Promise<LoadedConfig>,
): Promise<DoctorPlan> {
  const fallback = { maxConnections: TYPICAL_MAX_CONNECTIONS, source: 'a typical sweep' };
  try {
    const { config, filePath } = await loadConfig({ configPath });
    if (!filePath && !Object.keys(process.env).some((k) => k.startsWith('IOBENCH_'))) return fallback;
    return {
      maxConnections: Math.max(...config.connections) + Math.max(...config.idleConnections),
      source: filePath ?? 'IOBENCH_* variables',
    };
  } catch (error) {
    if (configPath) throw error;
    return fallback;
  }
}
