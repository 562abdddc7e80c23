/**
 * @iobench/builtins: the plugins that ship with iobench and the default plan. Core knows plugins only
 * through the contract; this package is where the built-in names meet their packages. The CLI (or any
 * program embedding core) calls `createRegistry` and passes `DEFAULT_PLAN` to `loadConfig`.
 */
import type { PluginKind } from '@iobench/core';
import type { PlanDefaults } from '@iobench/core/config';
import { PluginRegistry } from '@iobench/core/plugin';
import { BUILTIN_REPORTERS } from '@iobench/core/reporters';

/** Built-in plugin names and the package that provides each. Keys type the CLI's choices. */
export const BUILTIN_PLUGIN_PACKAGES = {
  node: '@iobench/plugin-node',
  basic: '@iobench/plugin-basic',
  select: '@iobench/plugin-select-poll',
  poll: '@iobench/plugin-select-poll',
  epoll: '@iobench/plugin-epoll-pool',
  'epoll-pool': '@iobench/plugin-epoll-pool',
  'epoll-thread': '@iobench/plugin-epoll-thread',
  'io-uring': '@iobench/plugin-io-uring',
  native: '@iobench/plugin-native',
  undici: '@iobench/plugin-undici',
  wrk: '@iobench/plugin-wrk',
  csv: '@iobench/plugin-reporters',
  markdown: '@iobench/plugin-reporters',
  html: '@iobench/plugin-reporters',
  plots: '@iobench/plugin-reporters',
  hlog: '@iobench/plugin-reporters',
} as const satisfies Record<string, string>;

/** The name of a built-in plugin (core's own reporters, `console` and `json`, are not listed). */
export type BuiltinPluginName = keyof typeof BUILTIN_PLUGIN_PACKAGES;

/** The kind of each built-in plugin, so that help can list the choices without importing them. */
export const BUILTIN_PLUGIN_KINDS = {
  node: 'server',
  basic: 'server',
  select: 'server',
  poll: 'server',
  epoll: 'server',
  'epoll-pool': 'server',
  'epoll-thread': 'server',
  'io-uring': 'server',
  native: 'load',
  undici: 'load',
  wrk: 'load',
  csv: 'reporter',
  markdown: 'reporter',
  html: 'reporter',
  plots: 'reporter',
  hlog: 'reporter',
} as const satisfies Record<BuiltinPluginName, PluginKind>;

/** The names of the plugins of `kind` that come with iobench (core's console and json reporters included). */
export function builtinNames(kind: PluginKind): string[] {
  const names = Object.entries(BUILTIN_PLUGIN_KINDS)
    .filter(([, k]) => k === kind)
    .map(([name]) => name);
  return kind === 'reporter' ? [...Object.keys(BUILTIN_REPORTERS), ...names] : names;
}

/**
 * What `iobench run` measures when the config names no servers or load: every built-in server (the
 * CLI leaves out, saying why, a default server this machine cannot run, such as io-uring where
 * io_uring is disabled), native load.
 */
export const DEFAULT_PLAN = {
  server: ['node', 'basic', 'select', 'poll', 'epoll', 'epoll-pool', 'epoll-thread', 'io-uring'],
  load: 'native',
} satisfies PlanDefaults & { server: BuiltinPluginName[]; load: BuiltinPluginName };

/**
 * Registers every built-in plugin on `registry`. Module URLs are resolved from this package, which
 * declares the plugin packages as its dependencies; a module is imported only when its plugin is used.
 */
export function registerBuiltins(registry: PluginRegistry): PluginRegistry {
  for (const [name, specifier] of Object.entries(BUILTIN_PLUGIN_PACKAGES)) {
    registry.register(name, import.meta.resolve(specifier));
  }
  return registry;
}

/** A plugin registry that knows the built-in plugins and finds others from `baseDir` (default: cwd). */
export function createRegistry(baseDir?: string): PluginRegistry {
  return registerBuiltins(new PluginRegistry(baseDir));
}
