/**
 * Tiny servers the wrk tests drive, on 127.0.0.1 with an ephemeral port. Independent of the
 * project's own server plugins on purpose: these tests exercise wrk's handling of responses only.
 */
import http from 'node:http';
import net from 'node:net';

export interface TestServer {
  url: string;
  /** Connections accepted so far. */
  accepted(): number;
  close(): Promise<void>;
}

/** HTTP/1.1 keep-alive server answering every request with `status` and a short body. */
export function httpServer(status = 200): Promise<TestServer> {
  const server = http.createServer((_req, res) => {
    res.writeHead(status, { 'content-type': 'text/plain' });
    res.end('Hello, world!');
  });
  return listen(server);
}

/** HTTP/1.0 server whose responses have no Content-Length: the body ends when it closes. */
export function closeDelimitedServer(): Promise<TestServer> {
  const server = net.createServer((socket) => {
    socket.on('error', () => {});
    let head = '';
    socket.on('data', (chunk) => {
      head += chunk.toString('latin1');
      if (!head.includes('\r\n\r\n')) return;
      socket.end('HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n\r\nHello, world!');
    });
  });
  return listen(server);
}

/** HTTP/1.0 server like the original experiment's: Content-Length, then it closes the connection. */
export function closingLengthServer(): Promise<TestServer> {
  const server = net.createServer((socket) => {
    socket.on('error', () => {});
    let head = '';
    socket.on('data', (chunk) => {
      head += chunk.toString('latin1');
      if (!head.includes('\r\n\r\n')) return;
      socket.end('HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 13\r\n\r\nHello, world!');
    });
  });
  return listen(server);
}

/**
 * Accepts two connections (iobench's framing probe and wrk's start-up probe) and then stops
 * listening, so every connection wrk opens for the run is refused.
 */
export function refuseAfterProbesServer(): Promise<TestServer> {
  let left = 2;
  const server = net.createServer((socket) => {
    socket.on('error', () => {});
    socket.destroy();
    if (--left === 0) server.close();
  });
  return listen(server);
}

/** A port nothing listens on (bound, then released). */
export async function closedPortUrl(): Promise<string> {
  const server = await listen(net.createServer());
  await server.close();
  return server.url;
}

function listen(server: net.Server): Promise<TestServer> {
  let accepted = 0;
  const sockets = new Set<net.Socket>();
  server.on('connection', (socket) => {
    accepted++;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      resolve({
        url: `http://127.0.0.1:${port}/`,
        accepted: () => accepted,
        close: () =>
          new Promise<void>((done) => {
            for (const socket of sockets) socket.destroy();
            if (!server.listening) return done();
            server.close(() => done());
          }),
      });
    });
  });
}
