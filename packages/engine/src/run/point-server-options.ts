/** The options a point's server starts with: its configured options plus the common options the run sets. */

import type { PointParams, ServerPlugin } from '@iobench/core';
import { type CommonOptionSetting, withCommonOptions } from '@iobench/core';

/**
 * `base` (the server's configured options) with the common options this point sets: `bodySize` and
 * `work` from the plan (`--body-size`, `--work`, swept or not), `host` from the network placement
 * (`--netns`). Throws a ConfigError when `plugin` does not declare one of them.
 */
export function pointServerOptions(
  plugin: ServerPlugin<any>,
  base: Record<string, unknown>,
  params: PointParams,
  placedHost?: string,
): Record<string, unknown> {
  const settings: CommonOptionSetting[] = [];
  if (placedHost !== undefined) settings.push({ option: 'host', value: placedHost, setting: '--netns' });
  if (params.bodySize !== undefined)
    settings.push({ option: 'bodySize', value: params.bodySize, setting: '--body-size' });
  if (params.work !== undefined) settings.push({ option: 'work', value: params.work, setting: '--work' });
  return withCommonOptions(plugin, base, settings);
}
