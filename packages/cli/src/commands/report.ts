import { dirname } from 'node:path';
import { builtinNames, createRegistry } from '@iobench/builtins';
import { prepareOutDir } from '@iobench/engine/output';
import { readResultsFile } from '@iobench/engine/results';
import { ReporterHub, resolveReporters, selectReporters } from '@iobench/engine/run';
import { Args, Flags } from '@oclif/core';
import { BaseCommand } from '../base-command.js';
import { flagLayer, scopePluginOptions } from '../flags.js';

export default class Report extends BaseCommand {
  static override summary = 'Render a saved results file through reporters';

  static override description =
    `Reads a results.json written by \`iobench run\` (also one from an interrupted run: its finished points are rendered) and hands it to each reporter's onRunEnd hook.`;

  static override examples = [
    '<%= config.bin %> <%= command.id %> iobench-results/2026-11-27-101500/results.json',
    '<%= config.bin %> <%= command.id %> out/results.json --reporter json',
    '<%= config.bin %> <%= command.id %> out/results.json -r markdown,plots,html',
  ];

  static override args = {
    file: Args.string({ description: 'Path of a results.json', required: true }),
  };

  static override flags = {
    config: Flags.string({ description: 'Config file (for plugins and reporterOptions)' }),
    reporter: Flags.string({
      char: 'r',
      description: `Reporter plugin(s), repeatable or comma-separated; built-in: ${builtinNames('reporter').join(', ')}; the console table prints too unless --quiet or --json`,
      multiple: true,
      multipleNonGreedy: true,
    }),
    'reporter-opt': Flags.string({
      description: 'Reporter option reporter.key=value, repeatable',
      multiple: true,
      multipleNonGreedy: true,
    }),
    'repeat-rows': Flags.boolean({
      description:
        'A row per repeat in the console table (with a repeat column) instead of one row per point with the median and range of its repeats',
      exclusive: ['json', 'quiet'],
    }),
    out: Flags.string({
      char: 'o',
      description: 'Directory for reporter files [default: the results file’s directory]',
    }),
    json: Flags.boolean({ description: 'Print the results as JSON on stdout and nothing else' }),
    quiet: Flags.boolean({
      char: 'q',
      description: 'Print no table, only the lines naming the files written',
      exclusive: ['json'],
    }),
  };

  async run(): Promise<void> {
    const { args, flags } = await this.parse(Report);
    const results = await readResultsFile(args.file);
    const loaded = await this.loadConfig({
      configPath: flags.config,
      // Comma lists as `run` takes them: `-r markdown,plots,html`.
      flags: flagLayer({ reporter: flags.reporter }),
    });
    const registry = createRegistry(loaded.baseDir);
    await registry.addModules(loaded.config.plugins);
    const names = selectReporters(loaded.config.reporter, { json: flags.json, quiet: flags.quiet });
    const scoped = scopePluginOptions('reporter-opt', flags['reporter-opt'], names);
    // Re-rendering replaces earlier reports by design, hence force; the directory must still be writable.
    if (flags.out) await prepareOutDir({ dir: flags.out, force: true });
    if (flags['repeat-rows']) scoped.console = { ...scoped.console, repeatRows: true };
    const options = Object.fromEntries(
      names.map((name) => [name, { ...loaded.config.reporterOptions[name], ...scoped[name] }]),
    );
    const hub = await ReporterHub.create(await resolveReporters(registry, names, options), {
      signal: new AbortController().signal,
      stdout: process.stdout,
      outDir: flags.out ?? dirname(args.file),
      resultsDir: dirname(args.file),
      json: Boolean(flags.json),
    });
    await hub.onRunEnd(results);
    if (!flags.json && results.status !== 'complete') {
      process.stderr.write(
        `note: this run's status is "${results.status}"${results.error ? ` (${results.error.message})` : ''}; ${results.points.length} of ${results.plan.pointCount} point(s) were recorded\n`,
      );
    }
  }
}
