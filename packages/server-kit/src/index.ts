/**
 * @iobench/server-kit: the mechanics every iobench socket server shares, so that each server's own
 * code shows only its I/O model. Host side: `startSocketServer` (listening socket, loop worker, stats,
 * stop). Loop side: `loopContext` and the `ConnectionServer` serve steps.
 */

// From core's worker subpath, never its barrel: loop threads import this package, and a loop thread
// that loads all of core costs megabytes and, measured, loses its JIT names from perf flame graphs
// (every isolate writes the process's one /tmp/perf-<pid>.map; more code, more entries clobbered).
export { siblingModule, spawnModuleWorker } from '@iobench/core/worker';
export { Connection, DeferredConnection, Want } from './connection.js';
export { ConnectionServer, type ConnectionServerOptions, drainInput } from './connection-server.js';
export { type ListeningSocket, type ListenSocketOptions, openListeningSocket } from './listen-socket.js';
export { type LoopContext, type LoopFunction, type LoopWorkerData, loopContext } from './loop-context.js';
export { FRAME_ERROR_SLOT, ServerCounters, Slot, type SlotName } from './server-counters.js';
export { type SocketServerModel, startSocketServer } from './socket-server.js';
