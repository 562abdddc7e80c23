/**
 * ProvidedBuffers: a provided-buffer ring (IORING_REGISTER_PBUF_RING, Linux 5.19) over one JS
 * allocation of `count` buffers of `size` bytes. The kernel picks a buffer for each receive
 * (IOSQE_BUFFER_SELECT, e.g. multishot recv) and names it in the CQE; the loop reads it in place and
 * hands it back with `recycle`, publishing a batch of returns with one store in `publish`.
 */
import { highWord, lowWord } from './address-words.js';
import type { IoUring } from './io-uring.js';
import { native } from './native.js';

/** struct io_uring_buf: u64 addr, u32 len, u16 bid, u16 resv (entry 0's resv is the ring tail). */
const ENTRY_BYTES = 16;

export class ProvidedBuffers {
  /** The buffer group id SQEs name (`bufGroup`). */
  readonly group: number;
  readonly count: number;
  /** Bytes per buffer. */
  readonly size: number;
  /** Every buffer, back to back: buffer `bid` is `bytes[bid * size, bid * size + size)`. */
  readonly bytes: Uint8Array;
  private readonly ring: ArrayBuffer;
  private readonly ring32: Uint32Array;
  private readonly ring16: Uint16Array;
  private readonly base: number;
  private readonly mask: number;
  private tail = 0;

  /** Registers the ring as group `group`; throws SyscallError (EINVAL before Linux 5.19). */
  constructor(ring: IoUring, group: number, count: number, size: number) {
    if (!Number.isInteger(size) || size <= 0 || size > 1 << 20) {
      throw new RangeError(`size must be an integer in 1..1048576 (got ${size})`);
    }
    this.ring = native.ioUringSetupBufRing(ring.fd, count, group);
    this.group = group;
    this.count = count;
    this.size = size;
    this.bytes = new Uint8Array(count * size);
    this.base = native.address(this.bytes);
    this.ring32 = new Uint32Array(this.ring);
    this.ring16 = new Uint16Array(this.ring);
    this.mask = count - 1;
    for (let bid = 0; bid < count; bid++) this.recycle(bid);
    this.publish();
  }

  /** Offset of buffer `bid` in `bytes`. */
  offset(bid: number): number {
    return bid * this.size;
  }

  /** Queues buffer `bid` for reuse by the kernel (visible after `publish`). */
  recycle(bid: number): void {
    const entry = (this.tail & this.mask) * (ENTRY_BYTES / 4);
    const addr = this.base + bid * this.size;
    this.ring32[entry] = lowWord(addr);
    this.ring32[entry + 1] = highWord(addr);
    this.ring32[entry + 2] = this.size;
    this.ring16[entry * 2 + 6] = bid;
    this.tail = (this.tail + 1) & 0xffff;
  }

  /** Makes every recycled buffer available to the kernel (one release store of the tail). */
  publish(): void {
    Atomics.store(this.ring16, 7, this.tail);
  }

  /** Unmaps the ring (the kernel drops the group with the io_uring it belongs to). */
  release(): void {
    native.unmapRegion(this.ring);
  }
}
