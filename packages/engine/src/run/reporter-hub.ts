/**
 * The reporter hub: creates a run's reporters and fans every hook out to all of them, blaming the
 * reporter and hook that throws. `iobench run` drives it point by point; `iobench report` replays a
 * saved results file through the same hub.
 */

import type { PointResult, ReporterContext, ReporterHooks, ReporterPlugin, ResultsFile, RunPlan } from '@iobench/core';
import { validatePluginOptions } from '@iobench/core';
import createDebug from 'debug';
import type { PluginRegistry } from '../plugin/resolve.js';
import { callPlugin } from './call-plugin.js';

const debug = createDebug('iobench:reporters');

/** A reporter resolved by name, its options validated by its own schema; not created yet. */
export interface ValidatedReporter {
  plugin: ReporterPlugin;
  options: Record<string, unknown>;
}

/** What every reporter of the hub is given; each gets its own `log`. */
export type ReporterHubContext = Omit<ReporterContext, 'log'>;

/**
 * Resolves the reporters `names` and validates their options (`optionsByName[name]`, `{}` when
 * absent), so that a bad reporter option is refused before anything runs.
 */
export async function resolveReporters(
  registry: PluginRegistry,
  names: readonly string[],
  optionsByName: Record<string, Record<string, unknown> | undefined>,
): Promise<ValidatedReporter[]> {
  const reporters: ValidatedReporter[] = [];
  for (const name of names) {
    const { plugin } = await registry.resolve('reporter', name);
    reporters.push({ plugin, options: await validatePluginOptions(plugin, optionsByName[name] ?? {}) });
  }
  return reporters;
}

type HookArgument<K extends keyof ReporterHooks> = Parameters<NonNullable<ReporterHooks[K]>>[0];

/** The created reporters of one run (or one `iobench report`), in the order they were named. */
export class ReporterHub {
  private constructor(private readonly reporters: ReadonlyArray<{ name: string; hooks: ReporterHooks }>) {}

  /** Calls every reporter's `create`; one that throws is blamed with the hook `create`. */
  static async create(reporters: ValidatedReporter[], ctx: ReporterHubContext): Promise<ReporterHub> {
    const created: Array<{ name: string; hooks: ReporterHooks }> = [];
    for (const { plugin, options } of reporters) {
      const log = createDebug(`iobench:plugin:${plugin.name}`);
      const hooks = await callPlugin(plugin.name, 'create', () => plugin.create({ ...ctx, log }, options));
      created.push({ name: plugin.name, hooks });
    }
    return new ReporterHub(created);
  }

  onRunStart(plan: RunPlan): Promise<void> {
    return this.fanOut('onRunStart', plan);
  }

  onPointEnd(point: PointResult): Promise<void> {
    return this.fanOut('onPointEnd', point);
  }

  onRunEnd(results: ResultsFile): Promise<void> {
    return this.fanOut('onRunEnd', results);
  }

  /**
   * Calls `hook` on every reporter that has it, in order. A reporter that throws does not keep the
   * ones after it from hearing the hook (a broken html reporter must not cost the console table);
   * the first error is thrown once all have been called.
   */
  private async fanOut<K extends keyof ReporterHooks>(hook: K, argument: HookArgument<K>): Promise<void> {
    const errors: unknown[] = [];
    for (const { name, hooks } of this.reporters) {
      const fn = hooks[hook] as ((a: HookArgument<K>) => unknown) | undefined;
      if (!fn) continue;
      try {
        await callPlugin(name, hook, () => fn.call(hooks, argument));
      } catch (error) {
        debug('reporter %s failed in %s: %O', name, hook, error);
        errors.push(error);
      }
    }
    if (errors.length > 0) throw errors[0];
  }
}
