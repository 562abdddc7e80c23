/**
 * @iobench/builtins: the plugins that ship with iobench and the default plan. Core knows plugins only
 * through the contract; this package is where the built-in names meet their packages. The CLI (or any
 * program embedding core) calls `createRegistry` and passes `DEFAULT_PLAN` to `loadConfig`.
 */
import type { PluginKind } from '@iobench/core';
import type { PlanDefaults } from '@iobench/engine/config';
import { PluginRegistry } from '@iobench/engine/plugin';

/**
 * The one table of built-in plugins: each name, its kind (so that help lists the choices without
 * importing them) and the module that default-exports it (a package, or the subpath of one that
 * loads less). Keys type the CLI's choices.
 */
export const BUILTIN_PLUGINS = {
  node: { kind: 'server', module: '@iobench/plugin-node' },
  basic: { kind: 'server', module: '@iobench/plugin-basic' },
  select: { kind: 'server', module: '@iobench/plugin-select-poll' },
  poll: { kind: 'server', module: '@iobench/plugin-select-poll' },
  epoll: { kind: 'server', module: '@iobench/plugin-epoll' },
  'epoll-pool': { kind: 'server', module: '@iobench/plugin-epoll-pool' },
  'epoll-thread': { kind: 'server', module: '@iobench/plugin-epoll-thread' },
  'io-uring': { kind: 'server', module: '@iobench/plugin-io-uring' },
  native: { kind: 'load', module: '@iobench/plugin-native' },
  undici: { kind: 'load', module: '@iobench/plugin-undici' },
  wrk: { kind: 'load', module: '@iobench/plugin-wrk' },
  console: { kind: 'reporter', module: '@iobench/plugin-reporters/stdout' },
  json: { kind: 'reporter', module: '@iobench/plugin-reporters/stdout' },
  csv: { kind: 'reporter', module: '@iobench/plugin-reporters' },
  markdown: { kind: 'reporter', module: '@iobench/plugin-reporters' },
  html: { kind: 'reporter', module: '@iobench/plugin-reporters' },
  plots: { kind: 'reporter', module: '@iobench/plugin-reporters' },
  hlog: { kind: 'reporter', module: '@iobench/plugin-reporters' },
} as const satisfies Record<string, { kind: PluginKind; module: string }>;

/** The name of a built-in plugin. */
export type BuiltinPluginName = keyof typeof BUILTIN_PLUGINS;

/** The names of the plugins of `kind` that come with iobench. */
export function builtinNames(kind: PluginKind): string[] {
  return Object.entries(BUILTIN_PLUGINS)
    .filter(([, plugin]) => plugin.kind === kind)
    .map(([name]) => name);
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
  for (const [name, plugin] of Object.entries(BUILTIN_PLUGINS)) {
    registry.register(name, import.meta.resolve(plugin.module));
  }
  return registry;
}

/** A plugin registry that knows the built-in plugins and finds others from `baseDir` (default: cwd). */
export function createRegistry(baseDir?: string): PluginRegistry {
  return registerBuiltins(new PluginRegistry(baseDir));
}
