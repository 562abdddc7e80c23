/**
 * fd_set helpers over a Uint8Array in the kernel's layout (bit `fd % 8` of byte `fd / 8` on
 * little-endian Linux), usable in place by `select`. They refuse fds >= FD_SETSIZE: writing such a bit
 * would overrun a real fd_set, which is exactly the bug select(2) servers are known for.
 */
import { constants } from './constants.js';

/** Bytes in one fd_set (FD_SETSIZE bits). */
export const FD_SET_BYTES = constants.FD_SETSIZE / 8;

/** A zeroed fd_set. */
export function createFdSet(): Uint8Array {
  return new Uint8Array(FD_SET_BYTES);
}

function check(set: Uint8Array, fd: number): void {
  if (!Number.isInteger(fd) || fd < 0 || fd >= constants.FD_SETSIZE) {
    throw new RangeError(`fd must be an integer in 0..${constants.FD_SETSIZE - 1} for an fd_set (got ${fd})`);
  }
  if (set.length < FD_SET_BYTES) {
    throw new RangeError(`an fd_set must be ${FD_SET_BYTES} bytes (got ${set.length})`);
  }
}

/** FD_SET: adds `fd`. Throws RangeError for fd >= FD_SETSIZE. */
export function fdSet(set: Uint8Array, fd: number): void {
  check(set, fd);
  set[fd >> 3]! |= 1 << (fd & 7);
}

/** FD_CLR: removes `fd`. */
export function fdClr(set: Uint8Array, fd: number): void {
  check(set, fd);
  set[fd >> 3]! &= ~(1 << (fd & 7));
}

/** FD_ISSET: whether `fd` is in the set. */
export function fdIsSet(set: Uint8Array, fd: number): boolean {
  check(set, fd);
  return (set[fd >> 3]! & (1 << (fd & 7))) !== 0;
}

/** FD_ZERO: empties the set. */
export function fdZero(set: Uint8Array): void {
  set.fill(0, 0, FD_SET_BYTES);
}
