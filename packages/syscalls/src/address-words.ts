/**
 * A user-space address (an integer below 2^53, as `address()` returns it) split into the two 32-bit
 * words of a u64 field of the io_uring rings, which JS writes through Uint32Array views. Written
 * per SQE and per recycled buffer, so without a float remainder: `addr % 2 ** 32` compiles to an
 * x87 `fprem` loop (a third of `IoUring.prep`'s time), while `>>> 0` takes the low word exactly
 * (ToUint32 wraps modulo 2^32) and the high word is then an exact division by a power of two.
 */
const TWO_32 = 4294967296;

export function lowWord(addr: number): number {
  return addr >>> 0;
}

export function highWord(addr: number): number {
  return (addr - (addr >>> 0)) / TWO_32;
}
