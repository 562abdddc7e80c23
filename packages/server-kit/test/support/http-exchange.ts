/**
 * A raw HTTP/1.x test client over `net`: writes exact bytes, parses the responses that come back
 * (Content-Length bodies) and tells whether the server closed the connection.
 */
import net from 'node:net';

export interface TestResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export interface ExchangeResult {
  responses: TestResponse[];
  /** The server closed (FIN) the connection. */
  closed: boolean;
  /** The connection ended with an error (e.g. ECONNRESET). */
  error?: string;
}

export interface ExchangeOptions {
  /** Resolve as soon as this many responses arrived (default: wait for close or timeout). */
  responses?: number;
  timeoutMs?: number;
}

/** Parses complete responses off the front of `text`; returns them and the unparsed rest. */
export function parseResponses(text: string): { responses: TestResponse[]; rest: string } {
  const responses: TestResponse[] = [];
  for (;;) {
    const end = text.indexOf('\r\n\r\n');
    if (end === -1) break;
    const [statusLine, ...lines] = text.slice(0, end).split('\r\n');
    const headers: Record<string, string> = {};
    for (const line of lines) {
      const colon = line.indexOf(':');
      headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
    }
    const length = Number(headers['content-length'] ?? 0);
    if (text.length < end + 4 + length) break;
    responses.push({ status: Number(statusLine!.split(' ')[1]), headers, body: text.slice(end + 4, end + 4 + length) });
    text = text.slice(end + 4 + length);
  }
  return { responses, rest: text };
}

/** Connects to `url`, writes `payload`, collects responses. */
export function exchange(
  url: string,
  payload: string | Buffer,
  options: ExchangeOptions = {},
): Promise<ExchangeResult> {
  const { hostname, port } = new URL(url);
  const host = hostname.replace(/^\[|\]$/g, '');
  return new Promise((resolve) => {
    const socket = net.connect(Number(port), host);
    let text = '';
    const result: ExchangeResult = { responses: [], closed: false };
    const timer = setTimeout(() => finish(), options.timeoutMs ?? 5000);
    const finish = () => {
      clearTimeout(timer);
      socket.destroy();
      resolve(result);
    };
    socket.setEncoding('latin1');
    socket.on('connect', () => socket.write(payload));
    socket.on('data', (chunk: string) => {
      const parsed = parseResponses(text + chunk);
      result.responses.push(...parsed.responses);
      text = parsed.rest;
      if (options.responses !== undefined && result.responses.length >= options.responses) finish();
    });
    socket.on('end', () => {
      result.closed = true;
      finish();
    });
    socket.on('error', (err: NodeJS.ErrnoException) => {
      result.error = err.code ?? err.message;
      finish();
    });
  });
}

/** `GET /` in HTTP/1.1 (keep-alive). */
export const GET = 'GET / HTTP/1.1\r\nHost: test\r\n\r\n';
