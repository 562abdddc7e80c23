/**
 * Raw HTTP/1.x over `node:net`, for testing servers byte by byte: what was written is exactly what the
 * server sees, and what it answered (or how it closed) is exactly what the test sees.
 */
import { connect, type Socket } from 'node:net';

/** One response as read off the wire. Header names are lower-cased. */
export interface RawResponse {
  status: number;
  statusLine: string;
  headers: Record<string, string>;
  body: Buffer;
}

/** Result of `parseHttpResponses`. */
export interface ParsedResponses {
  responses: RawResponse[];
  /** Bytes used by `responses`; the rest belongs to an incomplete response. */
  consumed: number;
  /** Total bytes needed (from `consumed`) to complete the next response, when its head is already known. */
  need?: number;
}

const CRLFCRLF = Buffer.from('\r\n\r\n');

/**
 * Parses the complete responses at the start of `data`. Bodies are delimited by Content-Length; a
 * response without one (and not 1xx/204/304) runs to the end of the connection, so it is complete
 * only when `atEof`. Throws on bytes that are not an HTTP/1.x response.
 */
export function parseHttpResponses(data: Buffer, atEof = false): ParsedResponses {
  const responses: RawResponse[] = [];
  let pos = 0;
  while (pos < data.length) {
    const headEnd = data.indexOf(CRLFCRLF, pos);
    if (headEnd === -1) break;
    const lines = data.toString('latin1', pos, headEnd).split('\r\n');
    const statusLine = lines[0]!;
    const match = /^HTTP\/1\.[01] (\d{3})(?: |$)/.exec(statusLine);
    if (match === null) throw new Error(`not an HTTP/1.x status line: ${JSON.stringify(statusLine.slice(0, 80))}`);
    const status = Number(match[1]);
    const headers: Record<string, string> = {};
    for (const line of lines.slice(1)) {
      const colon = line.indexOf(':');
      if (colon <= 0) throw new Error(`malformed response header line: ${JSON.stringify(line.slice(0, 80))}`);
      const name = line.slice(0, colon).toLowerCase();
      const value = line.slice(colon + 1).trim();
      headers[name] = name in headers ? `${headers[name]}, ${value}` : value;
    }
    const bodyStart = headEnd + 4;
    let bodyEnd: number;
    if (headers['content-length'] !== undefined) {
      bodyEnd = bodyStart + Number(headers['content-length']);
    } else if (status < 200 || status === 204 || status === 304) {
      bodyEnd = bodyStart;
    } else if (atEof) {
      bodyEnd = data.length;
    } else {
      break;
    }
    if (bodyEnd > data.length) return { responses, consumed: pos, need: bodyEnd - pos };
    responses.push({ status, statusLine, headers, body: data.subarray(bodyStart, bodyEnd) });
    pos = bodyEnd;
  }
  return { responses, consumed: pos };
}

/** How a connection ended: the server closed it (`end`), reset it (`reset`), or we destroyed it. */
export type CloseKind = 'end' | 'reset' | 'destroyed';

interface Waiter {
  count: number;
  resolve: (responses: RawResponse[]) => void;
  reject: (error: Error) => void;
}

/** A raw client connection that collects what the server sends and how it closes. */
export class RawConnection {
  /** Set once the connection is over. */
  closeKind: CloseKind | undefined = undefined;
  private chunks: Buffer[] = [];
  private bufferedBytes = 0;
  private need = 0;
  private waiter: Waiter | undefined = undefined;
  private readonly closeListeners: (() => void)[] = [];

  private constructor(readonly socket: Socket) {
    socket.on('data', (chunk: Buffer) => {
      this.chunks.push(chunk);
      this.bufferedBytes += chunk.length;
      this.check();
    });
    socket.on('error', (error: NodeJS.ErrnoException) => {
      if (this.closeKind === undefined)
        this.closeKind = error.code === 'ECONNRESET' || error.code === 'EPIPE' ? 'reset' : 'end';
    });
    socket.on('end', () => {
      this.closeKind ??= 'end';
    });
    socket.on('close', () => {
      this.closeKind ??= 'end';
      this.check();
      for (const listener of this.closeListeners.splice(0)) listener();
    });
  }

  /** Connects to `host:port`; rejects after `timeoutMs` or on a connect error. */
  static connect(host: string, port: number, timeoutMs = 5000): Promise<RawConnection> {
    return new Promise((resolve, reject) => {
      const socket = connect({ host, port });
      const timer = setTimeout(() => {
        socket.destroy();
        reject(new Error(`connect to ${host}:${port} did not complete within ${timeoutMs} ms`));
      }, timeoutMs);
      socket.once('connect', () => {
        clearTimeout(timer);
        socket.removeAllListeners('error');
        resolve(new RawConnection(socket));
      });
      socket.once('error', (error) => {
        clearTimeout(timer);
        reject(error);
      });
    });
  }

  /** True once the server closed or reset the connection (or it was destroyed). */
  get closed(): boolean {
    return this.closeKind !== undefined;
  }

  /** Writes raw bytes; write errors show up as the connection closing. */
  write(data: string | Uint8Array): void {
    if (!this.socket.destroyed) this.socket.write(typeof data === 'string' ? Buffer.from(data, 'latin1') : data);
  }

  /** Resolves with the next `count` complete responses (and consumes them); rejects on close or timeout. */
  readResponses(count = 1, timeoutMs = 5000): Promise<RawResponse[]> {
    if (this.waiter !== undefined) return Promise.reject(new Error('readResponses already pending'));
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiter = undefined;
        reject(new Error(`expected ${count} response(s) within ${timeoutMs} ms; ${this.describeReceived()}`));
      }, timeoutMs);
      this.waiter = {
        count,
        resolve: (r) => {
          clearTimeout(timer);
          resolve(r);
        },
        reject: (e) => {
          clearTimeout(timer);
          reject(e);
        },
      };
      this.need = 0;
      this.check();
    });
  }

  /** Resolves with how the connection ended once the server closes it; rejects after `timeoutMs`. */
  waitForClose(timeoutMs = 5000): Promise<CloseKind> {
    if (this.closeKind !== undefined) return Promise.resolve(this.closeKind);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`server did not close the connection within ${timeoutMs} ms`)),
        timeoutMs,
      );
      this.closeListeners.push(() => {
        clearTimeout(timer);
        resolve(this.closeKind!);
      });
    });
  }

  /** Aborts the connection with a TCP RST, as a client that crashed or gave up would. */
  reset(): void {
    this.closeKind ??= 'destroyed';
    this.socket.resetAndDestroy();
  }

  /** Closes our side immediately. */
  destroy(): void {
    this.closeKind ??= 'destroyed';
    this.socket.destroy();
  }

  /** Bytes received and not yet returned as responses. */
  get received(): Buffer {
    if (this.chunks.length > 1) this.chunks = [Buffer.concat(this.chunks)];
    return this.chunks[0] ?? Buffer.alloc(0);
  }

  private check(): void {
    const waiter = this.waiter;
    if (waiter === undefined) return;
    const atEof = this.closeKind !== undefined;
    // Large bodies arrive in many chunks: only re-parse once enough bytes are here.
    if (!atEof && this.bufferedBytes < this.need) return;
    let parsed: ParsedResponses;
    try {
      parsed = parseHttpResponses(this.received, atEof);
    } catch (error) {
      this.waiter = undefined;
      waiter.reject(error as Error);
      return;
    }
    this.need = parsed.need ?? 0;
    if (parsed.responses.length >= waiter.count) {
      const taken = parsed.responses.slice(0, waiter.count);
      const usedBytes = waiter.count === parsed.responses.length ? parsed.consumed : byteEnd(this.received, taken);
      const rest = this.received.subarray(usedBytes);
      this.chunks = rest.length > 0 ? [Buffer.from(rest)] : [];
      this.bufferedBytes = rest.length;
      this.need = 0;
      this.waiter = undefined;
      waiter.resolve(taken.map((r) => ({ ...r, body: Buffer.from(r.body) })));
    } else if (atEof) {
      this.waiter = undefined;
      waiter.reject(
        new Error(
          `connection ${this.closeKind === 'reset' ? 'reset' : 'closed'} after ${parsed.responses.length} of ${waiter.count} response(s); ${this.describeReceived()}`,
        ),
      );
    }
  }

  private describeReceived(): string {
    const data = this.received;
    return data.length === 0
      ? 'received nothing'
      : `received ${data.length} bytes: ${JSON.stringify(data.toString('latin1', 0, 120))}`;
  }
}

/** End offset of the last of `taken` inside `data` (responses are views of `data`). */
function byteEnd(data: Buffer, taken: RawResponse[]): number {
  const last = taken[taken.length - 1]!;
  return last.body.byteOffset - data.byteOffset + last.body.length;
}

/**
 * Connects, writes `request` (raw bytes, e.g. `'GET / HTTP/1.1\r\nHost: x\r\n\r\n'`), reads `responses`
 * responses and closes. Bounded by `timeoutMs` overall.
 */
export async function rawRequest(
  host: string,
  port: number,
  request: string | Uint8Array,
  options: { responses?: number; timeoutMs?: number } = {},
): Promise<RawResponse[]> {
  const timeoutMs = options.timeoutMs ?? 5000;
  const connection = await RawConnection.connect(host, port, timeoutMs);
  try {
    connection.write(request);
    return await connection.readResponses(options.responses ?? 1, timeoutMs);
  } finally {
    connection.destroy();
  }
}

/** A well-formed `GET` request (HTTP/1.1 unless `version` is `'1.0'`), with extra header lines. */
export function getRequest(options: { target?: string; version?: '1.0' | '1.1'; headers?: string[] } = {}): string {
  const headers = ['Host: 127.0.0.1', ...(options.headers ?? [])].map((h) => `${h}\r\n`).join('');
  return `GET ${options.target ?? '/'} HTTP/${options.version ?? '1.1'}\r\n${headers}\r\n`;
}
