/**
 * A connection of the `epoll-thread` server: server-kit's `Connection` plus what a thread per request
 * adds. At most one request of a connection is with a thread (waiting for one or running): the next
 * is only framed-and-held until that one is sent, so pipelined answers leave in request order however
 * the threads race, as the seed's server serialised each connection.
 */
import { Connection } from '@iobench/server-kit';

export class ThreadConnection extends Connection {
  /** The answer of the request a thread has (or waits for), or null when no thread has one. */
  answer: Uint8Array | null = null;
  /** The answer closes the connection once sent (`Connection: close`, HTTP/1.0). */
  closing = false;
  /** A thread is running for it: its fd must stay open until the thread's record is read. */
  running = false;
  /** Readable edge seen while a thread had it or output was pending: read once free again. */
  unread = false;
  /** The peer closed its side: answer what was framed, then close. */
  peerClosed = false;
}
