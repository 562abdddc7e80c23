/** Which reporters a run (or `iobench report`) hands its results to. */

/** How stdout is used: `json` for machine output only, `quiet` for no table and no progress. */
export interface ReporterOutput {
  json?: boolean;
  quiet?: boolean;
}

/**
 * The configured reporters plus the console table, first, so that choosing `--reporter html` adds
 * a report instead of silencing the run; `--json` puts the json reporter in the console's place
 * (stdout is machine output only), `--quiet` leaves the console out.
 */
export function selectReporters(configured: readonly string[], output: ReporterOutput = {}): string[] {
  const files = configured.filter((name) => name !== 'console' && name !== 'json');
  if (output.json) return ['json', ...files];
  if (output.quiet) return configured.filter((name) => name !== 'console');
  return ['console', ...configured.filter((name) => name !== 'console')];
}
