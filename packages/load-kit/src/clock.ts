/**
 * The generator's clock: microseconds as a double from `performance.now()`. It has sub-microsecond
 * resolution and, unlike `process.hrtime.bigint()`, allocates no BigInt per reading, which matters
 * at hundreds of thousands of readings a second.
 */
// Imported, not the global: Node defines the global `performance` as a lazy accessor that stays an
// accessor, so every reading through it paid a global lookup and a getter call.
import { performance } from 'node:perf_hooks';

export function nowUs(): number {
  return performance.now() * 1000;
}
