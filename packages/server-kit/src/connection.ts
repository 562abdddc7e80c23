/**
 * One client connection's state: its fd, its request framer and any response bytes the kernel has
 * not taken yet. The I/O model owns `interest` and `slot` (what it registered, where it keeps it).
 */
import { RequestFramer } from '@iobench/serving';

/** What a connection needs next, as returned by the serve steps. */
export const Want = {
  /** The connection was closed (fd released); forget it. */
  closed: 0,
  /** Wait until it is readable. */
  read: 1,
  /** Output is pending: wait until it is writable (and do not read meanwhile). */
  write: 2,
} as const;

export type Want = (typeof Want)[keyof typeof Want];

export class Connection {
  /** The socket; -1 once closed. */
  fd: number;
  readonly framer: RequestFramer;
  /** Unsent response bytes (an owned copy), or null when everything was sent. */
  out: Uint8Array | null = null;
  outStart = 0;
  /** Close once `out` is flushed (the last answer said `Connection: close`, or was an error). */
  closeAfterFlush = false;
  /** Readiness interest currently registered by the I/O model (its own encoding). */
  interest = 0;
  /** Free slot for the I/O model (e.g. an index into its poll array). */
  slot = -1;
  /** When the request head being waited for began (ms, the server's clock); -1 between requests. */
  headStartMs: number;
  /** When bytes last moved either way (ms, the server's clock): what the idle timeout watches. */
  activeMs: number;
  /** `framer.framed` when `headStartMs` was last looked at: a change means a new head began. */
  framedSeen = 0;

  /** A connection accepted at `nowMs`: its first request head is due from then on. */
  constructor(fd: number, nowMs = 0, maxHeaderBytes?: number) {
    this.fd = fd;
    this.framer = new RequestFramer(maxHeaderBytes === undefined ? {} : { maxHeaderBytes });
    this.headStartMs = nowMs;
    this.activeMs = nowMs;
  }
}

/**
 * A connection of a model that hands its requests to other threads (epoll-pool, epoll-thread): while
 * they are away the loop does not read it, so pipelined requests are answered in order and a flood
 * cannot pile up in memory; a readable edge meanwhile only sets `unread`.
 */
export class DeferredConnection extends Connection {
  /** Readable edge seen while its requests were away or output was pending: read once free again. */
  unread = false;
  /** The peer closed its side: answer what was framed, then close. */
  peerClosed = false;
}
