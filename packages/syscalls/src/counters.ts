/**
 * Per-syscall counters: uint64 slots in a SharedArrayBuffer that the addon increments atomically in
 * every thread that bound it with `useCounters`. Reading never messages the counting threads.
 */
import { native } from './native.js';

/** Counter slot names, in slot order (libc names: `recv`, `send`, `epoll_wait`, ...). */
export const counterNames: readonly string[] = Object.freeze([...native.counterNames]);

export class SyscallCounters {
  /** Shared storage; pass it to worker threads (`new SyscallCounters(buffer)`) to share the counts. */
  readonly buffer: SharedArrayBuffer;
  /** The typed view the addon increments. */
  readonly slots: BigUint64Array;

  constructor(buffer?: SharedArrayBuffer) {
    const bytes = counterNames.length * 8;
    if (buffer !== undefined && buffer.byteLength < bytes) {
      throw new RangeError(`SyscallCounters buffer must hold ${bytes} bytes (got ${buffer.byteLength})`);
    }
    this.buffer = buffer ?? new SharedArrayBuffer(bytes);
    this.slots = new BigUint64Array(this.buffer, 0, counterNames.length);
  }

  /** Non-zero counts by syscall name, e.g. `{ accept4: 12, recv: 340, epoll_wait: 99 }`. */
  snapshot(): Record<string, number> {
    const counts: Record<string, number> = {};
    for (let i = 0; i < counterNames.length; i++) {
      const value = Atomics.load(this.slots, i);
      if (value !== 0n) counts[counterNames[i]!] = Number(value);
    }
    return counts;
  }
}

/**
 * Makes the calling thread's syscalls count into `counters` (null stops counting). Each thread binds
 * its own; several threads may bind the same buffer.
 */
export function useCounters(counters: SyscallCounters | null): void {
  native.useCounters(counters === null ? null : counters.slots);
}
