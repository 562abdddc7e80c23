/**
 * Plugin resolution. A plugin name resolves, in order, to: a plugin from a module listed under
 * `plugins:` in config; a plugin registered by the embedding program
 * (`register`: the CLI registers the built-ins); `@iobench/plugin-<name>`; `iobench-plugin-<name>`;
 * or, when the name looks like a path, the module at that path. A module default-exports one plugin
 * or an array. Registered modules come with the program; other packages only from the project's own
 * node_modules (up to its root, see config/trust.ts), never from one above it that another user
 * could have planted.
 */

import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { isAbsolute, join, resolve as resolvePath } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { AnyPlugin, PluginKind } from '@iobench/core';
import { didYouMean, IobenchError, nearestNames, PluginNotFoundError } from '@iobench/core';
import createDebug from 'debug';
import { projectDirs, whyUntrusted } from '../config/trust.js';

const debug = createDebug('iobench:plugin');

/** A resolved plugin and the module it came from (the server host imports that module again). */
export interface ResolvedPlugin<P extends AnyPlugin = AnyPlugin> {
  plugin: P;
  /** file: URL of the module. */
  moduleUrl: string;
}

export class PluginRegistry {
  private readonly extra = new Map<string, ResolvedPlugin>();
  /** Registered plugin names and the file: URL of the module that provides each. */
  private readonly registered = new Map<string, string>();
  private readonly loaded = new Map<string, AnyPlugin[]>();
  private readonly failures = new Map<string, Error>();

  /**
   * Registers a plugin that comes with the embedding program: `name` resolves to the plugin of that
   * name in the module at `moduleUrl` (a file: URL, e.g. from `import.meta.resolve`), imported on
   * first use. Modules under `plugins:` take precedence; registered names take precedence over the
   * package-name convention.
   */
  register(name: string, moduleUrl: string | URL): this {
    this.registered.set(name, String(moduleUrl));
    return this;
  }

  /** Registered plugins the last `available()` could not load, with why. */
  unavailable(): Array<{ name: string; error: Error }> {
    return [...this.failures].map(([name, error]) => ({ name, error }));
  }

  /** @param baseDir directory that relative plugin paths and package names resolve from */
  constructor(private readonly baseDir: string = process.cwd()) {}

  /** Loads the modules listed under `plugins:`; their plugins take precedence over built-ins. */
  async addModules(specifiers: string[]): Promise<void> {
    for (const specifier of specifiers) {
      const url = this.resolveSpecifier(specifier);
      if (!url) {
        throw new PluginNotFoundError(
          `plugin module "${specifier}" listed under plugins: could not be found from ${this.baseDir}`,
          {
            suggestions: [
              'Give a path relative to the config file, or the name of a package installed in the project (node_modules up to the nearest package.json or .git).',
            ],
          },
        );
      }
      for (const plugin of await this.loadModule(url, specifier))
        this.extra.set(plugin.name, { plugin, moduleUrl: url });
    }
  }

  /** Resolves `name` to a plugin of `kind`, or throws a PluginNotFoundError listing what exists. */
  async resolve<K extends PluginKind>(kind: K, name: string): Promise<ResolvedPlugin<Extract<AnyPlugin, { kind: K }>>> {
    const found = await this.find(name);
    if (!found) {
      const available = (await this.available(kind)).map((p) => p.plugin.name);
      const near = nearestNames(name, available);
      // A near name is most likely a typo; installing a package of the misspelt name would not help.
      const install = `Install @iobench/plugin-${name} or iobench-plugin-${name}, or list its path under "plugins" in .iobenchrc.`;
      throw new PluginNotFoundError(
        `unknown ${kind} plugin "${name}"${didYouMean(near)}; available: ${available.join(', ') || 'none'}`,
        { suggestions: [...(near.length ? [] : [install]), 'Run `iobench list` to see every plugin.'] },
      );
    }
    if (found.plugin.kind !== kind) {
      throw new PluginNotFoundError(`plugin "${name}" is a ${found.plugin.kind} plugin, expected a ${kind} plugin`);
    }
    return found as ResolvedPlugin<Extract<AnyPlugin, { kind: K }>>;
  }

  /**
   * Every plugin of `kind` that can be loaded (registered plugins and configured modules). Registered plugins that fail to load (e.g. a native addon that was not built) are left
   * out and listed by `unavailable()`.
   */
  async available(kind?: PluginKind): Promise<ResolvedPlugin[]> {
    const out = new Map<string, ResolvedPlugin>();
    this.failures.clear();
    for (const name of this.registered.keys()) {
      try {
        const found = await this.find(name);
        if (found) out.set(name, found);
      } catch (error) {
        this.failures.set(name, error as Error);
      }
    }
    for (const [name, entry] of this.extra) out.set(name, entry);
    return [...out.values()].filter((p) => !kind || p.plugin.kind === kind);
  }

  private async find(name: string): Promise<ResolvedPlugin | undefined> {
    const extra = this.extra.get(name);
    if (extra) return extra;
    const registered = this.registered.get(name);
    if (registered) {
      const match = (await this.loadModule(registered, name)).find((p) => p.name === name);
      if (!match)
        throw new PluginNotFoundError(`module ${registered}, registered for "${name}", has no plugin of that name`);
      return { plugin: match, moduleUrl: registered };
    }
    const candidates = looksLikePath(name) ? [name] : [`@iobench/plugin-${name}`, `iobench-plugin-${name}`];
    for (const specifier of candidates) {
      const url = this.resolveSpecifier(specifier);
      if (!url) continue;
      const plugins = await this.loadModule(url, specifier);
      const match = looksLikePath(name) && plugins.length === 1 ? plugins[0] : plugins.find((p) => p.name === name);
      if (match) return { plugin: match, moduleUrl: url };
    }
    return undefined;
  }

  private resolveSpecifier(specifier: string): string | undefined {
    if (looksLikePath(specifier)) {
      return pathToFileURL(isAbsolute(specifier) ? specifier : resolvePath(this.baseDir, specifier)).href;
    }
    for (const dir of projectDirs(this.baseDir)) {
      const packageDir = join(dir, 'node_modules', packageName(specifier));
      if (!existsSync(packageDir)) continue;
      const reason = [join(dir, 'node_modules'), packageDir].map(whyUntrusted).find(Boolean);
      if (reason) {
        debug('not loading %s: %s', packageDir, reason);
        continue;
      }
      // Resolving from `dir` looks in dir/node_modules first, where the package was just seen.
      return resolveFrom(pathToFileURL(join(dir, 'noop.js')).href, specifier);
    }
    return undefined;
  }

  private async loadModule(url: string, specifier: string): Promise<AnyPlugin[]> {
    const cached = this.loaded.get(url);
    if (cached) return cached;
    let mod: { default?: unknown };
    try {
      mod = await import(url);
    } catch (cause) {
      throw new IobenchError(
        'IOBENCH_PLUGIN_LOAD_FAILED',
        `plugin module "${specifier}" failed to load: ${(cause as Error).message}`,
        {
          cause,
        },
      );
    }
    const exported = mod.default;
    const plugins = (Array.isArray(exported) ? exported : [exported]).filter(isPlugin);
    if (plugins.length === 0) {
      throw new PluginNotFoundError(
        `module "${specifier}" does not default-export a plugin: expected an object with kind, name, description, options and its verb, received ${typeof exported}`,
      );
    }
    this.loaded.set(url, plugins);
    return plugins;
  }
}

/** Loads a plugin by name from a module URL (used by the server host in its own process). */
export async function importPlugin(moduleUrl: string, name: string): Promise<AnyPlugin> {
  const mod: { default?: unknown } = await import(moduleUrl);
  const exported = Array.isArray(mod.default) ? mod.default : [mod.default];
  const plugin =
    exported.filter(isPlugin).find((p) => p.name === name) ?? (exported.length === 1 ? exported[0] : undefined);
  if (!plugin || !isPlugin(plugin)) throw new PluginNotFoundError(`module ${moduleUrl} has no plugin named "${name}"`);
  return plugin;
}

function isPlugin(value: unknown): value is AnyPlugin {
  if (typeof value !== 'object' || value === null) return false;
  const p = value as Partial<AnyPlugin>;
  const verb = p.kind === 'server' ? 'start' : p.kind === 'load' ? 'run' : p.kind === 'reporter' ? 'create' : undefined;
  return (
    verb !== undefined &&
    typeof p.name === 'string' &&
    typeof p.options === 'object' &&
    p.options !== null &&
    '~standard' in p.options &&
    typeof (p as Record<string, unknown>)[verb] === 'function'
  );
}

/** The file: URL `specifier` resolves to from the module at `from`, or undefined. */
function resolveFrom(from: string, specifier: string): string | undefined {
  try {
    return pathToFileURL(createRequire(from).resolve(specifier)).href;
  } catch {
    return undefined;
  }
}

/** `@scope/pkg/sub` -> `@scope/pkg`; `pkg/sub` -> `pkg`. */
function packageName(specifier: string): string {
  const parts = specifier.split('/');
  return parts.slice(0, specifier.startsWith('@') ? 2 : 1).join('/');
}

function looksLikePath(name: string): boolean {
  return name.startsWith('.') || name.startsWith('/') || name.startsWith('file:');
}
