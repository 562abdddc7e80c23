/**
 * PollSet: the array of `struct pollfd` (int32 fd, int16 events, int16 revents; 8 bytes each) that
 * poll(2) reads and writes in place, with O(1) add/remove (removal moves the last entry into the
 * hole) and an fd -> index map so a loop can change an fd's interest without searching.
 */
import { native } from './native.js';

const ENTRY_BYTES = 8;

export class PollSet {
  private bytes: Uint8Array;
  private ints: Int32Array;
  private shorts: Int16Array;
  private entryCount = 0;
  /** index + 1 of each fd's entry, 0 when absent. */
  private indexByFd: Int32Array;

  constructor(initialCapacity = 64) {
    this.bytes = new Uint8Array(Math.max(1, initialCapacity) * ENTRY_BYTES);
    this.ints = new Int32Array(this.bytes.buffer);
    this.shorts = new Int16Array(this.bytes.buffer);
    this.indexByFd = new Int32Array(Math.max(64, initialCapacity));
  }

  /** Entries in use; poll() is called with this count. */
  get count(): number {
    return this.entryCount;
  }

  /** The raw pollfd array (valid until the next `add` that grows it). */
  get buffer(): Uint8Array {
    return this.bytes;
  }

  /** Adds `fd` with interest `events` (POLLIN, POLLOUT, ...); returns its index. */
  add(fd: number, events: number): number {
    if (!Number.isInteger(fd) || fd < 0) throw new RangeError(`fd must be a non-negative integer (got ${fd})`);
    if (this.indexOf(fd) >= 0) throw new Error(`fd ${fd} is already in the PollSet`);
    if ((this.entryCount + 1) * ENTRY_BYTES > this.bytes.length) this.grow();
    if (fd >= this.indexByFd.length) {
      const bigger = new Int32Array(Math.max(fd + 1, this.indexByFd.length * 2));
      bigger.set(this.indexByFd);
      this.indexByFd = bigger;
    }
    const index = this.entryCount++;
    this.ints[index * 2] = fd;
    this.shorts[index * 4 + 2] = events;
    this.shorts[index * 4 + 3] = 0;
    this.indexByFd[fd] = index + 1;
    return index;
  }

  /**
   * Removes `fd`; the last entry moves into its slot. Returns false if it was absent. When iterating
   * while removing, iterate from the last index down so the moved entry was already visited.
   */
  remove(fd: number): boolean {
    const index = this.indexOf(fd);
    if (index < 0) return false;
    const last = --this.entryCount;
    if (index !== last) {
      const movedFd = this.ints[last * 2]!;
      this.ints[index * 2] = movedFd;
      this.ints[index * 2 + 1] = this.ints[last * 2 + 1]!;
      this.indexByFd[movedFd] = index + 1;
    }
    this.indexByFd[fd] = 0;
    return true;
  }

  /** Index of `fd`'s entry, or -1. */
  indexOf(fd: number): number {
    return fd >= 0 && fd < this.indexByFd.length ? this.indexByFd[fd]! - 1 : -1;
  }

  /** Changes the interest of the entry at `index`. */
  setEvents(index: number, events: number): void {
    this.shorts[index * 4 + 2] = events;
  }

  fd(index: number): number {
    return this.ints[index * 2]!;
  }

  events(index: number): number {
    return this.shorts[index * 4 + 2]!;
  }

  /** Events the last poll() reported for the entry at `index` (unsigned). */
  revents(index: number): number {
    return this.shorts[index * 4 + 3]! & 0xffff;
  }

  /** poll(2) over every entry; ready count or -errno. */
  poll(timeoutMs: number): number {
    return native.poll(this.bytes, this.entryCount, timeoutMs);
  }

  private grow(): void {
    const bigger = new Uint8Array(this.bytes.length * 2);
    bigger.set(this.bytes);
    this.bytes = bigger;
    this.ints = new Int32Array(bigger.buffer);
    this.shorts = new Int16Array(bigger.buffer);
  }
}
