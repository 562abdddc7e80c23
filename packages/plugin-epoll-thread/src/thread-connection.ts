/**
 * A connection of the `epoll-thread` server: server-kit's `DeferredConnection` plus what a thread per request
 * adds. At most one request of a connection is with a thread (waiting for one or running): the next
 * is only framed-and-held until that one is sent, so pipelined answers leave in request order however
 * the threads race, as the original experiment's server serialised each connection.
 */
import { DeferredConnection } from '@iobench/server-kit';

export class ThreadConnection extends DeferredConnection {
  /** The answer of the request a thread has (or waits for), or null when no thread has one. */
  answer: Uint8Array | null = null;
  /** The answer closes the connection once sent (`Connection: close`, HTTP/1.0). */
  closing = false;
  /** A thread is running for it: its fd must stay open until the thread's record is read. */
  running = false;
}
