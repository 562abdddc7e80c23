/**
 * One request slot: a reusable undici dispatch handler (the legacy raw-header interface, which
 * undici passes through without wrapping or parsing headers into objects). A connection has
 * `pipelining` slots; each carries at most one request at a time, so the timing state lives on the
 * slot and nothing is allocated per request on our side.
 */
import type { Client } from 'undici';

/** A connection and what it completed; one per connection slot, however often it reconnects. */
export interface Connection {
  client: Client;
  completed: number;
}

/** What a slot reports to its engine. */
export interface SlotOwner {
  onSlotComplete(slot: RequestSlot): void;
  onSlotError(slot: RequestSlot, err: Error): void;
}

export class RequestSlot {
  /** When the request should have gone out (open model), microseconds. */
  intendedUs = 0;
  /** When it was handed to undici, microseconds. */
  sentUs = 0;
  statusCode = 0;
  /** True from send until the response completes or fails. */
  busy = false;
  /** undici's abort for the request in flight. */
  abort?: (err: Error) => void;

  constructor(
    readonly owner: SlotOwner,
    readonly connection: Connection,
  ) {}

  onConnect(abort: (err: Error) => void): void {
    this.abort = abort;
  }

  onHeaders(statusCode: number): boolean {
    this.statusCode = statusCode;
    return true;
  }

  onData(): boolean {
    return true;
  }

  onComplete(): void {
    this.busy = false;
    this.owner.onSlotComplete(this);
  }

  onError(err: Error): void {
    this.busy = false;
    this.owner.onSlotError(this, err);
  }
}
