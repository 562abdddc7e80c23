/** Calling into a plugin: whatever it throws comes back blamed on it, by name and hook. */
import { InterruptedError, PluginError } from '@iobench/core';

/**
 * Calls a plugin hook; anything it throws is wrapped in a PluginError naming the plugin and the
 * hook, the original kept as `cause`. An error already blamed (or an interruption) passes as is.
 */
export async function callPlugin<T>(plugin: string, hook: string, fn: () => T | Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    if (error instanceof PluginError || error instanceof InterruptedError) throw error;
    throw new PluginError(plugin, hook, error);
  }
}
