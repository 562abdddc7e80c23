/**
 * A connection of the `epoll-pool` server: server-kit's `DeferredConnection` (fd, framer, unsent output) plus
 * what the pool model adds. While a connection's batch is in the pool, the loop does not read it:
 * requests that arrive meanwhile stay in the socket (`unread` remembers that an edge came), so a
 * connection's pipelined requests are answered in order and a flood cannot pile up in memory.
 */
import { DeferredConnection } from '@iobench/server-kit';
import type { ParsedRequest } from '@iobench/serving';

export class PoolConnection extends DeferredConnection {
  /** Requests handed to the pool and not answered yet. */
  readonly inFlight: ParsedRequest[] = [];
  /** True while a pool task holds this connection's requests. */
  busy = false;
  /** Already in the list of connections waiting for the next dispatch. */
  queued = false;
}
