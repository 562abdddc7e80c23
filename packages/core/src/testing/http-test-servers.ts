/**
 * Tiny HTTP servers for testing load generators, on 127.0.0.1 (port 0): each does one thing a generator must
 * handle, and counts what it answered. They use node:net so that framing is exactly what the test
 * says (Content-Length, chunked, close-delimited, reset, silence).
 */

import type { AddressInfo } from 'node:net';
import net from 'node:net';

export interface TestServer {
  url: string;
  /** Responses written. */
  answered: number;
  /** Connections accepted. */
  accepted: number;
  close(): Promise<void>;
}

type Responder = (socket: net.Socket, server: TestServer) => void;

/** A server that runs `onRequest` for every complete request head (requests carry no body). */
export async function startServer(
  onRequest: (socket: net.Socket, server: TestServer) => void,
  onConnection?: Responder,
): Promise<TestServer> {
  const sockets = new Set<net.Socket>();
  const state: TestServer = { url: '', answered: 0, accepted: 0, close: async () => {} };
  const server = net.createServer((socket) => {
    state.accepted++;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => {});
    onConnection?.(socket, state);
    let pending = '';
    socket.on('data', (chunk) => {
      pending += chunk.toString('latin1');
      for (let end = pending.indexOf('\r\n\r\n'); end !== -1; end = pending.indexOf('\r\n\r\n')) {
        pending = pending.slice(end + 4);
        onRequest(socket, state);
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  state.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  state.close = () =>
    new Promise<void>((resolve) => {
      for (const s of sockets) s.destroy();
      server.close(() => resolve());
    });
  return state;
}

const HELLO = 'HTTP/1.1 200 OK\r\nContent-Length: 13\r\nContent-Type: text/plain\r\n\r\nHello, world!';

/** Keep-alive `200 Hello, world!` with Content-Length (or with `status`). */
export function helloServer(status = 200): Promise<TestServer> {
  const response = status === 200 ? HELLO : `HTTP/1.1 ${status} Oops\r\nContent-Length: 4\r\n\r\noops`;
  return startServer((socket, s) => {
    s.answered++;
    socket.write(response);
  });
}

/** Keep-alive chunked responses. */
export function chunkedServer(): Promise<TestServer> {
  return startServer((socket, s) => {
    s.answered++;
    socket.write('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nHello\r\n8\r\n, world!\r\n0\r\n\r\n');
  });
}

/** An HTTP/1.0 server: no Content-Length, the body ends when the server closes the connection. */
export function closeDelimitedServer(): Promise<TestServer> {
  return startServer((socket, s) => {
    s.answered++;
    socket.end('HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n\r\nHello, world!');
  });
}

/** Accepts connections and reads requests but never answers. */
export function silentServer(): Promise<TestServer> {
  return startServer(() => {});
}

/** Resets every connection (RST) when a request arrives. */
export function resettingServer(): Promise<TestServer> {
  return startServer((socket) => socket.resetAndDestroy());
}

/**
 * A blocking iterative server with keep-alive: it serves one connection at a time, and the next
 * only when the current one closes. Under keep-alive load every other connection starves.
 */
export function oneAtATimeServer(): Promise<TestServer> {
  const waiting: net.Socket[] = [];
  let current: net.Socket | undefined;
  const admit = (socket: net.Socket) => {
    current = socket;
    socket.resume();
    socket.once('close', () => {
      current = undefined;
      const next = waiting.shift();
      if (next) admit(next);
    });
  };
  return startServer(
    (socket, s) => {
      s.answered++;
      socket.write(HELLO);
    },
    (socket) => {
      socket.pause();
      if (current === undefined) admit(socket);
      else waiting.push(socket);
    },
  );
}

/** Keep-alive hello server that holds the response to request number `stallAt` for `stallMs`, once. */
export function stallingServer(stallAt: number, stallMs: number): Promise<TestServer> {
  let seen = 0;
  return startServer((socket, s) => {
    seen++;
    if (seen === stallAt) {
      // Everything behind this response on the connection waits too, as in a real server pause.
      socket.pause();
      setTimeout(() => {
        s.answered++;
        socket.write(HELLO);
        socket.resume();
      }, stallMs);
      return;
    }
    s.answered++;
    socket.write(HELLO);
  });
}

/** Answers every request with something that is not HTTP. */
export function garbageServer(): Promise<TestServer> {
  return startServer((socket, s) => {
    s.answered++;
    socket.write('SSH-2.0-OpenSSH_9.6\r\n\r\n');
  });
}

/** Sends a head promising 100 bytes, 10 of them, then closes: a response cut off mid-body. */
export function closeMidResponseServer(): Promise<TestServer> {
  return startServer((socket) => socket.end('HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n0123456789'));
}

/** A port on 127.0.0.1 where nothing listens. */
export async function refusedUrl(): Promise<string> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}/`;
}

/** Answers every request with an empty 200 and keeps the raw bytes of the first one it received. */
export async function spyServer(): Promise<TestServer & { firstRequest: () => string }> {
  let first = '';
  const server = await startServer(
    (socket, s) => {
      s.answered++;
      socket.write('HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n');
    },
    (socket) => socket.once('data', (chunk) => (first ||= chunk.toString('latin1'))),
  );
  return Object.assign(server, { firstRequest: () => first });
}
