/**
 * Server counters in a SharedArrayBuffer: the loop thread increments, the host thread reads for
 * `stats()` without messaging the loop. One writer per slot (the loop), so plain Float64 stores are
 * enough; a reader sees each count as it was at some recent instant.
 */
import type { ServerStats } from '@iobench/core';
import { FRAME_ERROR_CLASS } from '@iobench/serving';

/** Counter slots. Error classes follow the first three. */
export const Slot = {
  accepted: 0,
  refused: 1,
  requests: 2,
  /** ECONNRESET from the peer. */
  reset: 3,
  /** EPIPE: the peer went away mid-response. */
  pipe: 4,
  /** Any other recv/send errno. */
  io: 5,
  /** Requests answered 400 / 411 / 431 / 505. */
  badRequest: 6,
  lengthRequired: 7,
  headersTooLarge: 8,
  versionNotSupported: 9,
  /** Connections refused because the process ran out of fds (EMFILE / ENFILE on accept). */
  fdLimit: 10,
  /** Connections refused by select(2) servers because the fd is >= FD_SETSIZE. */
  fdSetSize: 11,
  /** accept(2) errors other than EAGAIN and the fd limits (e.g. ECONNABORTED). */
  accept: 12,
  /** Connections answered 408 and closed: a request head not complete within `headerTimeoutMs`. */
  headerTimeout: 13,
  /** Connections closed silently: nothing received or sent for `idleTimeoutMs`. */
  idleTimeout: 14,
} as const;

export type SlotName = keyof typeof Slot;

/** The counter each error answer (400, 408, 411, 431, 505) is counted in. */
export const FRAME_ERROR_SLOT = {
  400: Slot[FRAME_ERROR_CLASS[400]],
  408: Slot[FRAME_ERROR_CLASS[408]],
  411: Slot[FRAME_ERROR_CLASS[411]],
  431: Slot[FRAME_ERROR_CLASS[431]],
  505: Slot[FRAME_ERROR_CLASS[505]],
};

const SLOT_NAMES = Object.keys(Slot) as SlotName[];
const FIRST_ERROR_SLOT = Slot.reset;

export class ServerCounters {
  /** Shared storage; pass it to the loop thread (`new ServerCounters(buffer)`). */
  readonly buffer: SharedArrayBuffer;
  /** The counts, indexed by `Slot`; the loop increments them in place. */
  readonly values: Float64Array;

  constructor(buffer?: SharedArrayBuffer) {
    this.buffer = buffer ?? new SharedArrayBuffer(SLOT_NAMES.length * 8);
    this.values = new Float64Array(this.buffer, 0, SLOT_NAMES.length);
  }

  /** The counts as `ServerStats` (errors: non-zero classes only), without syscall counts. */
  snapshot(): ServerStats {
    const v = this.values;
    const errors: Record<string, number> = {};
    for (let i = FIRST_ERROR_SLOT; i < SLOT_NAMES.length; i++) {
      if (v[i]! > 0) errors[SLOT_NAMES[i]!] = v[i]!;
    }
    return { accepted: v[Slot.accepted]!, refused: v[Slot.refused]!, requests: v[Slot.requests]!, errors };
  }
}
