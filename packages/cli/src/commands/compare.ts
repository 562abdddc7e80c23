import { ConfigError, RegressionError } from '@iobench/core';
import { compareResults, describeChanges, type GateMetric, renderComparison } from '@iobench/engine/compare';
import { readResultsFile } from '@iobench/engine/results';
import { Args, Flags } from '@oclif/core';
import { BaseCommand } from '../base-command.js';

export default class Compare extends BaseCommand {
  static override summary =
    'Compare two results files point by point (capacity runs search by search); optionally fail when B is slower than A';

  static override description =
    `Matches the points of A (the baseline) and B by server, load generator and parameters (connections, threads, duration, ...; not the repeat). For each match it takes the median of the repeats and their min–max range, and prints the change from A to B in req/s, p50, p99 and server CPU µs per request, absolute and in percent. A change whose ranges overlap is marked "noise": the repeats alone vary that much. Noise never fails --fail-if-slower: a drop beyond PCT% within noise is listed under the gate's verdict, not failed (run more repeats to judge it). Points only one file holds are listed, not compared. A different warm-up, or seed of Poisson arrivals, does not keep points apart (it is listed as ignored).

Two capacity runs (\`run --find-capacity\`) are compared search by search (same server, load, parameters, SLO and probe duration): each capacity is the median of its refinement rounds, their lowest and highest estimate its range, judged by the same rule (ranges that overlap are noise, never a regression). --fail-if-slower fails a capacity that fell by more than PCT%, whatever --metric says: under an SLO a slower server shows as a lower capacity. A search that found a capacity in A and no rate meeting the SLO in B fell at least to B's lowest probe. Beside each capacity, p50 and p99 at its knee (the passing probe nearest it), shown, not judged. The probes are the searches' evidence, not points to compare, and a capacity run is not compared with a run of points.

Exit codes: 0 compared (and no regression beyond --fail-if-slower); 1 --fail-if-slower was given and some point's median req/s dropped (or, with --metric p99, its p99 rose), or some search's capacity fell, by more than PCT% and outside the spread; 2 a file is missing, corrupt or of another schema, the two files share no point or search (the error names how their plans differ), or one is a capacity run and the other is not.`;

  static override examples = [
    {
      description: 'Show what changed between two runs',
      command: '<%= config.bin %> <%= command.id %> before/results.json after/results.json',
    },
    {
      description: 'A CI gate: exit 1 when any point lost more than 5% of its req/s',
      command: '<%= config.bin %> <%= command.id %> baseline.json results.json --fail-if-slower 5',
    },
    {
      description: 'Gate on req/s and on p99 latency',
      command:
        '<%= config.bin %> <%= command.id %> baseline.json results.json --fail-if-slower 10 --metric rps --metric p99',
    },
    { description: 'Machine-readable output', command: '<%= config.bin %> <%= command.id %> a.json b.json --json' },
  ];

  static override args = {
    a: Args.string({ description: 'Baseline results.json (A)', required: true }),
    b: Args.string({ description: 'Results.json to compare against it (B)', required: true }),
  };

  static override flags = {
    'fail-if-slower': Flags.string({
      description:
        'Exit 1 when a matching point (of capacity runs: a search’s capacity) got worse than this many percent (e.g. 5 or 5%) and the change is not noise (the repeats’ or refinement rounds’ ranges do not overlap)',
      helpValue: 'PCT',
    }),
    metric: Flags.string({
      description:
        'What --fail-if-slower watches on points: rps (median req/s drop), p99 (median p99 rise); repeatable; capacity runs gate their capacity [default: rps]',
      options: ['rps', 'p99'],
      multiple: true,
      multipleNonGreedy: true,
      dependsOn: ['fail-if-slower'],
    }),
    json: Flags.boolean({ description: 'Print the comparison as JSON on stdout and nothing else' }),
  };

  async run(): Promise<void> {
    const { args, flags } = await this.parse(Compare);
    const failIfSlowerPct = parsePercent(flags['fail-if-slower']);
    const [a, b] = await Promise.all([readResultsFile(args.a), readResultsFile(args.b)]);
    const result = compareResults(a, b, {
      names: [args.a, args.b],
      gateMetrics: [...new Set(flags.metric ?? ['rps'])] as GateMetric[],
      ...(failIfSlowerPct !== undefined ? { failIfSlowerPct } : {}),
    });
    process.stdout.write(flags.json ? `${JSON.stringify(result, null, 2)}\n` : `${renderComparison(result)}\n`);
    if (result.regressions.length > 0) {
      throw new RegressionError(
        `${result.regressions.length} regression(s) beyond --fail-if-slower ${failIfSlowerPct}%: ${describeChanges(result.regressions)}`,
      );
    }
  }
}

function parsePercent(raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  const pct = Number(raw.trim().replace(/%$/, ''));
  if (raw.trim() === '' || !Number.isFinite(pct) || pct < 0) {
    throw new ConfigError(`--fail-if-slower expects a percentage of at least 0, e.g. 5 or 5% (got "${raw}")`);
  }
  return pct;
}
