/**
 * @iobench/placement: where a run's processes run and what watches them — CPU pinning (taskset),
 * network namespaces joined by a veth pair (`--netns`) and per-point profiling (perf flame graphs,
 * strace syscall counts). `createPlacement()` is core's `Placement` interface, which the CLI passes
 * to every run; the rest serves `iobench doctor` and the reporters (folded stacks, on `./profile`).
 */
export { createPlacement } from './linux-placement.js';
export * from './netns/index.js';
export { pinProcess } from './pinning/pin-process.js';
export * from './profile/index.js';
