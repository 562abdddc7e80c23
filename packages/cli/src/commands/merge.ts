import { join, resolve } from 'node:path';
import { ConfigError } from '@iobench/core';
import { prepareOutDir } from '@iobench/engine/output';
import {
  MIN_OVERLAP_PCT,
  mergeResults,
  mergeWarnings,
  readResultsFile,
  writeResultsFile,
} from '@iobench/engine/results';
import { Args, Flags } from '@oclif/core';
import { BaseCommand } from '../base-command.js';
import { renderMergeSummary } from '../merge-summary.js';

export default class Merge extends BaseCommand {
  static override summary = 'Merge results of one plan measured from several load hosts into one results file';

  static override description =
    `For a server loaded from several hosts at once: start it with \`iobench serve\` (or any server), run the same config with \`iobench run --target URL\` on every load host at the same time, copy the results.json files to one place and merge them. Per point, latency histograms are added exactly (so percentiles are those of every request from every host), requests, bytes, errors and req/s are summed, per-connection counts concatenated and generator CPU summed (generator-bound if any host was), with its user/system split, context switches and syscalls, per request of the merged count; interrupt time, machine-wide on each host, is left out. The merged file records every host under env.hosts and is written atomically to <out>/results.json; \`iobench report\` and \`iobench compare\` read it like any other.

The results of a sharded run (\`iobench run --shard i/N\`, e.g. the pods of a Kubernetes Indexed Job) merge onto the plan's totals: every shard 0..N-1 must be given, once. For each point, merge prints every file's (shard's) req/s and connections, the connections it summed, and the skew between their measured phases' starts (by each host's clock; with \`--start-at\`, each shard's offset from the shared instant), and records them under the point's \`merge\`.

Capacity runs (\`run --find-capacity\`) are refused: each search chose every probe's rate from its own earlier probes, so two hosts' searches never offered one load together, and neither their probes nor their capacities add up (compare them with \`iobench compare\` instead).

Separate runs (not shards) are summed as if they loaded the server together, so merge checks that they did: it warns when their measured phases ran together for less than ${MIN_OVERLAP_PCT}% of the longest (two runs made one after the other do not overlap at all) or a file does not record when its phase started, and --strict refuses instead.

Poisson runs (\`--arrivals poisson\`) merge across their seeds: shards draw distinct arrivals from one \`--seed\`, and hosts given none draw random ones. Independent Poisson streams add up to one Poisson stream at the summed rate, so the merged point is what one generator at the total rate would have offered; it has no seed of its own, and records each file's under \`merge.parts\`. Runs that drew from the same seed (one \`--seed\` on every host) sent in step, not independently: merge warns, and --strict refuses.

Exit codes: 0 merged; 2 a file is missing or corrupt, fewer than two files, a capacity run, the same run or shard given twice, a shard missing, the files' plans or points differ (the error names the difference), with --strict separate runs that did not measure together or drew the same Poisson arrivals, or --out cannot be written or already holds files (without --force).`;

  static override examples = [
    {
      description: 'Merge the results of two load hosts',
      command: '<%= config.bin %> <%= command.id %> host-a/results.json host-b/results.json --out merged',
    },
    { description: 'Then render the merged run', command: '<%= config.bin %> report merged/results.json' },
  ];

  // Any number of files: oclif collects the extra arguments into argv.
  static override strict = false;

  static override args = {
    files: Args.string({ description: 'Two or more results.json files of the same plan', required: true }),
  };

  static override flags = {
    out: Flags.string({
      char: 'o',
      description: 'Directory to write the merged results.json to; must be new or empty unless --force',
      required: true,
    }),
    force: Flags.boolean({ description: 'Write into an --out directory that already holds files' }),
    strict: Flags.boolean({
      description: `Refuse (exit 2) to merge separate runs whose measured phases did not run together for at least ${MIN_OVERLAP_PCT}% of the longest, or do not record when they started, and runs that drew the same Poisson arrivals (one --seed); without it merge warns and merges`,
    }),
    json: Flags.boolean({ description: 'Print the merged results as JSON on stdout and nothing else' }),
  };

  async run(): Promise<void> {
    const { argv, flags } = await this.parse(Merge);
    const files = argv as string[];
    if (files.length < 2) throw new ConfigError(`merge needs at least two results files (got ${files.length})`);
    const outPath = join(flags.out, 'results.json');
    const clobbered = files.find((f) => resolve(f) === resolve(outPath));
    if (clobbered)
      throw new ConfigError(`--out ${flags.out} would overwrite the input ${clobbered}; choose another directory`);
    const inputs = await Promise.all(files.map(async (file) => ({ file, results: await readResultsFile(file) })));
    const merged = mergeResults(inputs, { strict: flags.strict });
    await prepareOutDir({ dir: flags.out, force: flags.force });
    await writeResultsFile(outPath, merged);
    // Warnings go to stderr, so that --json stays machine output only.
    for (const problem of mergeWarnings(merged.points)) process.stderr.write(`warning: ${problem}\n`);
    if (flags.json) {
      process.stdout.write(`${JSON.stringify(merged, null, 2)}\n`);
      return;
    }
    const hosts = [...new Set(merged.env.hosts.map((h) => h.hostname))].join(', ');
    const shards = merged.env.hosts.some((h) => h.shard !== undefined) ? ` as ${files.length} shards` : '';
    process.stdout.write(
      `merged ${files.length} results files${shards} (hosts ${hosts}): ${merged.points.length} point(s)\n${renderMergeSummary(merged.points)}results: ${outPath}\n`,
    );
    if (merged.plan.servers.length > 0) {
      // Each host then ran its own server: adding their rates only means something if that was intended.
      process.stderr.write(
        `note: these runs measured servers each host started (--server ${merged.plan.servers.join(',')}), not one shared --target; their req/s were added as if they had loaded one server at the same time\n`,
      );
    }
  }
}
