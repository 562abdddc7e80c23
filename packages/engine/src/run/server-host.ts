/**
 * The server host: the entry point of the child process core spawns for every point. It loads one
 * server plugin, starts it and answers the control channel (ready, stats, stop) from its main
 * thread, so the channel stays responsive whatever the I/O model does in its own threads.
 * Exits after `stop`, or when the parent goes away, so that no server outlives its run.
 */

import type { ServerHandle, ServerPlugin } from '@iobench/core';
import { validatePluginOptions } from '@iobench/core';
import createDebug from 'debug';
import { importPlugin } from '../plugin/resolve.js';
import { type HostToParent, type HostUsage, type ParentToHost, serializeError } from './host-protocol.js';

const debug = createDebug('iobench:host');
/** Once the parent is gone: time the server gets to stop before the host exits regardless. */
const ORPHAN_STOP_MS = 2_000;
let handle: ServerHandle | undefined;
let stopping: Promise<void> | undefined;
const abort = new AbortController();

function send(message: HostToParent): void {
  if (process.connected) process.send?.(message);
}

function usage(): HostUsage {
  const u = process.resourceUsage();
  return {
    userCpuUs: u.userCPUTime,
    systemCpuUs: u.systemCPUTime,
    voluntaryCtxSwitches: u.voluntaryContextSwitches,
    involuntaryCtxSwitches: u.involuntaryContextSwitches,
  };
}

async function start(moduleUrl: string, name: string, input: Record<string, unknown>): Promise<void> {
  try {
    const plugin = (await importPlugin(moduleUrl, name)) as ServerPlugin<unknown>;
    const options = await validatePluginOptions(plugin, input);
    const log = createDebug(`iobench:plugin:${plugin.name}`);
    handle = await plugin.start({ log, signal: abort.signal }, options);
    debug('server %s ready at %s', name, handle.url);
    send({ type: 'ready', url: handle.url });
  } catch (error) {
    send({ type: 'error', phase: 'start', error: serializeError(error) });
    exitSoon(1);
  }
}

function stop(code = 0): Promise<void> {
  stopping ??= (async () => {
    abort.abort();
    try {
      await handle?.stop();
      send({ type: 'stopped' });
    } catch (error) {
      send({ type: 'error', phase: 'stop', error: serializeError(error) });
      code = 1;
    }
    exitSoon(code);
  })();
  return stopping;
}

/** Exits after the IPC channel has flushed; a stuck thread cannot keep the process alive. */
function exitSoon(code: number): void {
  setTimeout(() => process.exit(code), 50).unref();
  process.disconnect?.();
  setTimeout(() => process.exit(code), 200);
}

process.on('message', (message: ParentToHost) => {
  switch (message.type) {
    case 'start':
      void start(message.moduleUrl, message.plugin, message.options);
      break;
    case 'stats':
      Promise.resolve()
        .then(() => {
          if (!handle) throw new Error('server not started');
          return handle.stats();
        })
        .then(
          (stats) => send({ type: 'stats', id: message.id, stats, usage: usage() }),
          (error) => send({ type: 'error', phase: 'stats', error: serializeError(error) }),
        );
      break;
    case 'stop':
      void stop();
      break;
  }
});

// The parent died or closed the channel: nothing may outlive it, not even a server whose stop()
// hangs (the parent is no longer there to kill it).
process.on('disconnect', () => {
  setTimeout(() => process.exit(1), ORPHAN_STOP_MS);
  void stop();
});
process.on('SIGTERM', () => void stop());
process.on('SIGINT', () => {
  // Ctrl-C reaches the whole process group; the parent decides when the host stops.
});
process.on('uncaughtException', (error) => {
  send({ type: 'error', phase: 'crash', error: serializeError(error) });
  process.exit(1);
});
