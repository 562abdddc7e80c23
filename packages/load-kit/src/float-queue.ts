/**
 * A FIFO of numbers on a growable Float64Array ring: the open model's backlog of intended send
 * times. It allocates only when it doubles, so a long stall costs no per-request garbage.
 */
export class FloatQueue {
  private items: Float64Array;
  private head = 0;
  private count = 0;

  constructor(initialCapacity = 1024) {
    this.items = new Float64Array(initialCapacity);
  }

  get length(): number {
    return this.count;
  }

  push(value: number): void {
    if (this.count === this.items.length) this.grow();
    this.items[(this.head + this.count) % this.items.length] = value;
    this.count++;
  }

  /** Removes and returns the oldest value; the queue must not be empty. */
  shift(): number {
    const value = this.items[this.head]!;
    this.head = (this.head + 1) % this.items.length;
    this.count--;
    return value;
  }

  private grow(): void {
    const next = new Float64Array(this.items.length * 2);
    for (let i = 0; i < this.count; i++) next[i] = this.items[(this.head + i) % this.items.length]!;
    this.items = next;
    this.head = 0;
  }
}
