/**
 * Starting a plugin's worker thread from a module URL, from TypeScript sources too: Node 20 workers
 * do not inherit the parent's `--import tsx` hooks, so a `.ts` module is loaded through a small
 * bootstrap that registers tsx in the worker first. Built code (`.js`) starts directly. Servers
 * (loop threads) and load generators (generator threads) start their workers with it.
 */
import { Worker, type WorkerOptions } from 'node:worker_threads';

/** The module named `name` beside the calling module, with the caller's extension (`.ts` or `.js`). */
export function siblingModule(importMetaUrl: string, name: string): URL {
  const ext = importMetaUrl.endsWith('.ts') ? '.ts' : '.js';
  return new URL(`./${name}${ext}`, importMetaUrl);
}

/** `new Worker(moduleUrl, options)` that also works when `moduleUrl` is a `.ts` file run through tsx. */
export function spawnModuleWorker(moduleUrl: URL, options: WorkerOptions = {}): Worker {
  if (!moduleUrl.pathname.endsWith('.ts')) return new Worker(moduleUrl, options);
  const tsx = import.meta.resolve('tsx/esm/api');
  const boot = `import(${JSON.stringify(tsx)}).then((m) => { m.register(); return import(${JSON.stringify(moduleUrl.href)}); })`;
  return new Worker(boot, { ...options, eval: true });
}
