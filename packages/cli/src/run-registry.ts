/** The plugins of a run, as `iobench run` and `iobench config` both resolve them. */
import { createRegistry } from '@iobench/builtins';
import type { Config, ConfigSource } from '@iobench/engine/config';
import type { PluginRegistry } from '@iobench/engine/plugin';

/**
 * The registry of built-in plugins and those `config.plugins` names. When the servers are the
 * defaults, those this machine cannot run are left out of `config.server` (see below).
 */
export async function runRegistry(loaded: {
  config: Config;
  sources: Record<string, ConfigSource>;
  baseDir: string;
}): Promise<PluginRegistry> {
  const { config } = loaded;
  const registry = createRegistry(loaded.baseDir);
  await registry.addModules(config.plugins);
  if (loaded.sources.server?.kind === 'default' && !config.target) {
    config.server = await runnableDefaultServers(registry, config.server);
  }
  return registry;
}

/**
 * The default servers this machine can run: a server the user did not ask for, whose module refuses
 * to load here (io-uring where io_uring is disabled), is left out with the reason on stderr; a
 * server the user named still fails the run.
 */
async function runnableDefaultServers(registry: PluginRegistry, servers: string[]): Promise<string[]> {
  const runnable: string[] = [];
  for (const name of servers) {
    try {
      await registry.resolve('server', name);
      runnable.push(name);
    } catch (error) {
      process.stderr.write(`iobench: leaving out the default server "${name}": ${(error as Error).message}\n`);
    }
  }
  return runnable;
}
