/**
 * Response bytes, built once per server: every answer is one of a handful of precomputed buffers, so
 * answering a request costs no string building or encoding on the hot path.
 */
import type { FrameError, ParsedRequest } from './request-head.js';

/** The body pattern: the default 13-byte body is exactly `Hello, world!`; larger bodies repeat the line. */
const BODY_PATTERN = 'Hello, world!\n';

const STATUS_TEXT: Record<FrameError['status'], string> = {
  400: 'Bad Request',
  408: 'Request Timeout',
  411: 'Length Required',
  431: 'Request Header Fields Too Large',
  505: 'HTTP Version Not Supported',
};

/** Options of a `Responder`. */
export interface ResponderOptions {
  /** Response body size in bytes. */
  bodySize: number;
  /** Server-side keep-alive; when false every response closes its connection. */
  keepAlive: boolean;
}

const encoder = new TextEncoder();

/** Precomputed response bytes (built once per server). */
export class Responder {
  readonly bodySize: number;
  readonly keepAlive: boolean;
  /** The body every 200 answer carries, for servers that write their own headers (e.g. on node:http). */
  readonly body: Uint8Array;
  // [HTTP/1.1 keep-alive, HTTP/1.0 keep-alive, closing] for GET-like and HEAD requests.
  private readonly full: readonly [Uint8Array, Uint8Array, Uint8Array];
  private readonly headOnly: readonly [Uint8Array, Uint8Array, Uint8Array];
  private readonly errors = new Map<string, Uint8Array>();

  constructor(options: ResponderOptions) {
    if (!Number.isInteger(options.bodySize) || options.bodySize < 0) {
      throw new RangeError(`bodySize must be a non-negative integer (got ${options.bodySize})`);
    }
    this.bodySize = options.bodySize;
    this.keepAlive = options.keepAlive;
    const body = new Uint8Array(options.bodySize);
    this.body = body;
    const pattern = encoder.encode(BODY_PATTERN);
    for (let i = 0; i < body.length; i += pattern.length)
      body.set(pattern.subarray(0, Math.min(pattern.length, body.length - i)), i);
    const head = (connection: string) =>
      encoder.encode(
        `HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: ${options.bodySize}\r\n${connection}\r\n`,
      );
    const heads = [head(''), head('Connection: keep-alive\r\n'), head('Connection: close\r\n')] as const;
    this.headOnly = heads;
    this.full = heads.map((h) => concat(h, body)) as unknown as [Uint8Array, Uint8Array, Uint8Array];
  }

  /** Bytes answering `req`: 200, Content-Length, and the Connection header the request and keep-alive dictate. */
  respond(req: ParsedRequest): Uint8Array {
    const variants = req.method === 'HEAD' ? this.headOnly : this.full;
    if (!this.keepAlive || !req.keepAlive) return variants[2];
    return req.version === 11 ? variants[0] : variants[1];
  }

  /** True when the connection must be closed after answering `req`. */
  closesAfter(req: ParsedRequest): boolean {
    return !this.keepAlive || !req.keepAlive;
  }

  /** Error answer (400 / 408 / 411 / 431 / 505) with `Connection: close`; the body names the reason. */
  error(e: FrameError): Uint8Array {
    const key = `${e.status} ${e.reason}`;
    let bytes = this.errors.get(key);
    if (bytes === undefined) {
      const body = this.errorBody(e);
      bytes = encoder.encode(
        `HTTP/1.1 ${e.status} ${STATUS_TEXT[e.status]}\r\nContent-Type: text/plain\r\nContent-Length: ${encoder.encode(body).length}\r\nConnection: close\r\n\r\n${body}`,
      );
      if (this.errors.size < 64) this.errors.set(key, bytes);
    }
    return bytes;
  }

  /** The body of the error answer to `e`, for servers that write their own headers (e.g. on node:http). */
  errorBody(e: FrameError): string {
    return `${e.status} ${STATUS_TEXT[e.status]}: ${e.reason}\n`;
  }
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}
