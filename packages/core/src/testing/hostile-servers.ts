/**
 * Hostile HTTP servers for testing load generators against targets nobody here wrote: each answers
 * in one chosen broken way (more responses than requests, endless streams, framing lies, bad bytes,
 * drips, closes and resets at awkward moments, silence). Raw node:net on 127.0.0.1, port 0, so the
 * bytes are exactly what the kind says. Endless streams are bounded on this side too: they write on
 * a timer (never faster than the socket drains), stop at the server's lifetime, and `close` destroys
 * every socket and clears every timer, so the kit itself leaves nothing behind.
 */
import type { AddressInfo } from 'node:net';
import net from 'node:net';

const OK = 'HTTP/1.1 200 OK\r\nContent-Length: 13\r\n\r\nHello, world!';

/** Every hostile behaviour, with the line a test report shows for it. */
export const hostileKinds = {
  extraResponses: 'answers every request with two responses',
  responsesBeforeRequest: 'sends two responses as soon as a connection opens, then ignores the requests',
  endless1xx: 'answers with 100 Continue, forever',
  endlessHeader: 'sends a header line that never ends',
  endlessBody: 'promises a huge Content-Length and streams the body forever',
  endlessChunks: 'streams chunks forever',
  endlessTrailers: 'ends the chunks, then streams trailer lines forever',
  negativeLength: 'Content-Length: -1',
  overflowingLength: 'Content-Length larger than 2^64',
  conflictingLengths: 'two Content-Length headers that disagree',
  lengthWithChunked: 'Content-Length together with Transfer-Encoding: chunked',
  badChunkSize: 'a chunk size that is not hex',
  badStatusLine: 'a status line that is not HTTP/1.x NNN',
  nulInHeader: 'a NUL byte in a header value',
  bareCrInHeader: 'a bare CR inside a header line',
  dripOneByte: 'drips a valid response, one byte every 50 ms',
  closeMidHead: 'closes (FIN) in the middle of the head',
  resetMidHead: 'resets (RST) in the middle of the head',
  closeMidBody: 'closes (FIN) in the middle of the body',
  resetMidBody: 'resets (RST) in the middle of the body',
  halfClose: 'half-closes (FIN, still reading) without answering',
  neverAnswers: 'reads requests and never answers',
  closesWithoutAnswer: 'closes the connection on every request without an answer',
} as const;

export type HostileKind = keyof typeof hostileKinds;

export interface HostileServer {
  url: string;
  kind: HostileKind;
  /** Connections accepted. */
  accepted: number;
  /** Request heads received. */
  requests: number;
  /** Destroys every socket, clears every timer, and stops listening. Idempotent. */
  close(): Promise<void>;
}

export interface HostileServerOptions {
  /** Endless streams stop after this long, whether or not anyone closes the server. Default 30 s. */
  lifetimeMs?: number;
}

/** How often an endless stream writes, and how much, so that a stream stays cheap on a shared machine. */
const STREAM_EVERY_MS = 5;
const STREAM_BYTES = 4096;

/** One connection's view: write, schedule timers owned by the server, and know whether it is gone. */
interface Wire {
  socket: net.Socket;
  /** Calls `write()` every `everyMs` until it returns false, the socket closes, or the server's lifetime ends. */
  stream(write: () => boolean | undefined, everyMs?: number): void;
  later(fn: () => void, ms: number): void;
}

interface Behaviour {
  onConnect?(wire: Wire): void;
  onRequest?(wire: Wire, index: number): void;
  /** Keep the socket open for reading after the server half-closes. */
  allowHalfOpen?: boolean;
}

const filler = (byte: string) => byte.repeat(STREAM_BYTES);

const behaviours: Record<HostileKind, Behaviour> = {
  extraResponses: { onRequest: (w) => w.socket.write(OK + OK) },
  responsesBeforeRequest: { onConnect: (w) => w.socket.write(OK + OK) },
  endless1xx: {
    onRequest: (w) => w.stream(() => w.socket.write('HTTP/1.1 100 Continue\r\n\r\n'.repeat(160))),
  },
  endlessHeader: {
    onRequest: (w) => {
      w.socket.write('HTTP/1.1 200 OK\r\nX-Endless: ');
      const chunk = filler('a');
      w.stream(() => w.socket.write(chunk));
    },
  },
  endlessBody: {
    onRequest: (w) => {
      w.socket.write('HTTP/1.1 200 OK\r\nContent-Length: 1000000000000\r\n\r\n');
      const chunk = filler('b');
      w.stream(() => w.socket.write(chunk));
    },
  },
  endlessChunks: {
    onRequest: (w) => {
      w.socket.write('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n');
      const chunk = `${STREAM_BYTES.toString(16)}\r\n${filler('c')}\r\n`;
      w.stream(() => w.socket.write(chunk));
    },
  },
  endlessTrailers: {
    onRequest: (w) => {
      w.socket.write('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nHello\r\n0\r\n');
      const lines = 'X-Trailer: t\r\n'.repeat(STREAM_BYTES / 14);
      w.stream(() => w.socket.write(lines));
    },
  },
  negativeLength: { onRequest: (w) => w.socket.write('HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\nHello') },
  overflowingLength: {
    onRequest: (w) => w.socket.write('HTTP/1.1 200 OK\r\nContent-Length: 184467440737095516160\r\n\r\nHello'),
  },
  conflictingLengths: {
    onRequest: (w) => w.socket.write('HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Length: 13\r\n\r\nHello, world!'),
  },
  lengthWithChunked: {
    onRequest: (w) =>
      w.socket.write(
        'HTTP/1.1 200 OK\r\nContent-Length: 13\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nHello\r\n0\r\n\r\n',
      ),
  },
  badChunkSize: {
    onRequest: (w) => w.socket.write('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nHello\r\n0\r\n\r\n'),
  },
  badStatusLine: { onRequest: (w) => w.socket.write('HTTP/1.1 2OO OK\r\nContent-Length: 5\r\n\r\nHello') },
  nulInHeader: { onRequest: (w) => w.socket.write('HTTP/1.1 200 OK\r\nX-Bad: a\0b\r\nContent-Length: 5\r\n\r\nHello') },
  bareCrInHeader: {
    onRequest: (w) => w.socket.write('HTTP/1.1 200 OK\r\nX-Bad: a\rb\r\nContent-Length: 5\r\n\r\nHello'),
  },
  dripOneByte: {
    onRequest: (w) => {
      let at = 0;
      w.stream(() => at < OK.length && w.socket.write(OK[at++]!), 50);
    },
  },
  closeMidHead: { onRequest: (w) => w.socket.end('HTTP/1.1 200 OK\r\nContent-Le') },
  resetMidHead: {
    onRequest: (w) => {
      w.socket.write('HTTP/1.1 200 OK\r\nContent-Le');
      w.later(() => w.socket.resetAndDestroy(), 5);
    },
  },
  closeMidBody: { onRequest: (w) => w.socket.end('HTTP/1.1 200 OK\r\nContent-Length: 13\r\n\r\nHello') },
  resetMidBody: {
    onRequest: (w) => {
      w.socket.write('HTTP/1.1 200 OK\r\nContent-Length: 13\r\n\r\nHello');
      w.later(() => w.socket.resetAndDestroy(), 5);
    },
  },
  halfClose: { allowHalfOpen: true, onRequest: (w) => w.socket.end() },
  neverAnswers: {},
  closesWithoutAnswer: { onRequest: (w) => w.socket.destroySoon() },
};

/** Starts a server that answers in the `kind` way on 127.0.0.1 (port 0). */
export async function hostileServer(kind: HostileKind, options: HostileServerOptions = {}): Promise<HostileServer> {
  const behaviour = behaviours[kind];
  const sockets = new Set<net.Socket>();
  const timers = new Set<NodeJS.Timeout>();
  const endsAt = performance.now() + (options.lifetimeMs ?? 30_000);
  let closed = false;
  const state: HostileServer = { url: '', kind, accepted: 0, requests: 0, close: async () => {} };

  const wire = (socket: net.Socket): Wire => ({
    socket,
    later(fn, ms) {
      const timer = setTimeout(() => {
        timers.delete(timer);
        if (!socket.destroyed) fn();
      }, ms);
      timers.add(timer);
    },
    stream(write, everyMs = STREAM_EVERY_MS) {
      const timer = setInterval(() => {
        const gone = socket.destroyed || socket.writableEnded || closed || performance.now() >= endsAt;
        // Never queue faster than the peer reads: a generator that stops reading must not grow our memory.
        if (gone || (socket.writableLength === 0 && write() === false)) {
          clearInterval(timer);
          timers.delete(timer);
        }
      }, everyMs);
      timers.add(timer);
    },
  });

  const server = net.createServer({ allowHalfOpen: behaviour.allowHalfOpen ?? false }, (socket) => {
    state.accepted++;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => {});
    const w = wire(socket);
    behaviour.onConnect?.(w);
    let pending = '';
    let index = 0;
    socket.on('data', (chunk) => {
      pending += chunk.toString('latin1');
      for (let end = pending.indexOf('\r\n\r\n'); end !== -1; end = pending.indexOf('\r\n\r\n')) {
        pending = pending.slice(end + 4);
        state.requests++;
        if (!socket.destroyed && !socket.writableEnded) behaviour.onRequest?.(w, index++);
      }
      // A client that sends without end: keep only a tail, enough to find the next head's end.
      if (pending.length > 64 * 1024) pending = pending.slice(-3);
    });
    // The half-closing server still reads, until the client closes.
    socket.on('end', () => socket.end());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  state.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  state.close = () => {
    closed = true;
    for (const timer of timers) clearTimeout(timer);
    timers.clear();
    for (const socket of sockets) socket.destroy();
    return new Promise<void>((resolve) => {
      if (!server.listening) resolve();
      else server.close(() => resolve());
    });
  };
  return state;
}
