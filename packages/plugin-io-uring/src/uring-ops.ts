/**
 * What the io_uring loop tags its requests with, and the counters it keeps beside the common ones
 * (reported in `stats().extra`; a point's figures are per request, so they show the path used).
 */

/** What a request was, in the low 3 bits of its user data (the fd above them). */
export const Op = { accept: 0, recv: 1, send: 2, wake: 3, cancel: 4, listenPoll: 5 } as const;

/** User data of a request on `fd` (fds stay far below 2^29). */
export function userData(fd: number, op: number): number {
  return fd * 8 + op;
}

/** The model's counters (`ctx.extra`), in slot order. */
export const URING_COUNTERS = [
  'completions',
  'multishotAccepts',
  'singleShotAccepts',
  'multishotRecvs',
  'singleShotRecvs',
  'partialSends',
  'noBuffers',
  'recvPauses',
  'fallbacks',
] as const;
/** Slot index of each counter. */
export const UringCounter = Object.fromEntries(URING_COUNTERS.map((name, i) => [name, i])) as Record<
  (typeof URING_COUNTERS)[number],
  number
>;
