/**
 * A real HTTP/1.1 server (node:http) that records every request it parses — connection, method,
 * target, raw headers, body — and answers `200 ok`: what a test of the request a generator sends
 * compares across generators. Unlike the node:net servers beside it, it parses bodies, so it
 * checks that Content-Length and body agree.
 */
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/** One request as the server parsed it. */
export interface RecordedRequest {
  /** Which connection it came on: 0, 1, ... in accept order. */
  connection: number;
  method: string;
  /** The request target as sent (`/path?query`). */
  url: string;
  /** Header lines as sent, names as typed, in order. */
  headers: Array<[string, string]>;
  /** The body, as UTF-8 text. */
  body: string;
}

export interface EchoServer {
  url: string;
  /** Every request parsed so far, in arrival order. */
  requests: RecordedRequest[];
  close(): Promise<void>;
}

/** Starts a recording server on 127.0.0.1 (a free port); keep-alive, `200 ok` to every request. */
export async function echoServer(): Promise<EchoServer> {
  const requests: RecordedRequest[] = [];
  const connections = new Map<Socket, number>();
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const raw = req.rawHeaders;
      const headers: Array<[string, string]> = [];
      for (let i = 0; i < raw.length; i += 2) headers.push([raw[i]!, raw[i + 1]!]);
      requests.push({
        connection: connections.get(req.socket) ?? -1,
        method: req.method ?? '',
        url: req.url ?? '',
        headers,
        body: Buffer.concat(chunks).toString('utf8'),
      });
      res.writeHead(200, { 'content-length': '2' });
      res.end('ok');
    });
  });
  server.on('connection', (socket) => connections.set(socket, connections.size));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The value of header `name` (any case) of `request`, or undefined. */
export function headerOf(request: RecordedRequest, name: string): string | undefined {
  return request.headers.find(([n]) => n.toLowerCase() === name.toLowerCase())?.[1];
}
