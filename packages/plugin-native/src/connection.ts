/**
 * One connection slot of a generator thread. The slot outlives its sockets: when the server closes
 * (or a request fails) the slot reconnects, and its completion count is the slot's, so that
 * per-connection counts show starvation however often the server closes.
 */
import { ResponseFramer } from './response-framer.js';

/** The slot has no socket (before the start, between a failure and its retry, after the end). */
export const CLOSED = 0;
/** A non-blocking connect is under way. */
export const CONNECTING = 1;
export const OPEN = 2;

export class Connection {
  fd = -1;
  state = CLOSED;
  readonly framer: ResponseFramer;
  /** Requests sent or queued without a response yet (at most `pipelining`). */
  inFlight = 0;
  /** Position of the oldest in-flight request in this slot's ring of send times. */
  ringHead = 0;
  /** Bytes of queued requests not written yet: the range of the request cycle's bytes ending at `unsentEnd`. */
  unsentBytes = 0;
  unsentEnd = 0;
  /** Requests with bytes not written yet (the last ones queued); responses cannot answer them yet. */
  unsentRequests = 0;
  /** Index in the laid-out request cycle of the last request queued (meaningful while bytes are unsent). */
  lastQueued = 0;
  /** Index in the request list of the next request to queue: each connection cycles the list, across reconnects. */
  nextRequest = 0;
  /** Responses completed through this slot. */
  completed = 0;
  /** Open model: pipeline slots free for a scheduled send, and whether the slot sits in the free queue. */
  freeSlots = 0;
  queued = false;
  connectStartUs = 0;
  /** When a failed connect may be retried, microseconds; 0 when no retry is pending. */
  retryAtUs = 0;
  /**
   * io_uring engine: which requests of the current socket are in the kernel (bits of its own), and
   * the socket's generation, bumped on every close so a late completion of an old socket is known.
   */
  armed = 0;
  generation = 0;
  /** io_uring engine: bytes of the SEND in the kernel, to tell a partial send. */
  sendingBytes = 0;

  constructor(
    /** Slot number, the index in per-connection counts and in the thread's time rings. */
    readonly index: number,
    headOnly: boolean,
  ) {
    this.framer = new ResponseFramer(headOnly);
  }

  /** Forgets the socket's state after its fd was closed. */
  reset(): void {
    this.fd = -1;
    this.state = CLOSED;
    this.inFlight = 0;
    this.ringHead = 0;
    this.unsentBytes = 0;
    this.unsentEnd = 0;
    this.unsentRequests = 0;
    this.freeSlots = 0;
    this.armed = 0;
    this.framer.reset();
  }
}
