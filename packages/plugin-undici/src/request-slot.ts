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
  /** Index of the next request of the list this connection sends: each connection cycles the list. */
  nextRequest: number;
  /** The last error a request on this connection failed with (undici reports it again on disconnect). */
  lastError?: Error;
}

/** What a slot reports to its engine. */
export interface SlotOwner {
  onSlotComplete(slot: RequestSlot): void;
  onSlotError(slot: RequestSlot, err: Error): void;
}

/**
 * The error a request is aborted with when its response started in the same turn of the event loop
 * in which the request was sent: those bytes were read before the request went out, so they answer
 * nothing of ours (a server sending more responses than requests, or before any). `classifyError`
 * maps its code to `parse`.
 */
export class UnrequestedResponseError extends Error {
  readonly code = 'IOBENCH_UNREQUESTED_RESPONSE';
  constructor() {
    super('a response arrived before its request was sent (the server sent more responses than requests)');
    this.name = 'UnrequestedResponseError';
  }
}

/** Shared by every abort for an unrequested response: the error only carries the class. */
const UNREQUESTED = new UnrequestedResponseError();

export class RequestSlot {
  /** When the request should have gone out (open model), microseconds. */
  intendedUs = 0;
  /** When it was handed to undici, microseconds. */
  sentUs = 0;
  statusCode = 0;
  /** True from send until the response completes or fails. */
  busy = false;
  /** True from send until the end of that event-loop turn (the owner clears it in a microtask). */
  sentThisTurn = false;
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
    if (this.sentThisTurn) {
      // undici pairs responses with requests by order only; it cannot tell this one is not ours.
      this.abort?.(UNREQUESTED);
      return false;
    }
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
