/**
 * Parsing of one request head, line by line, straight from bytes: the request line and the only
 * header fields framing needs (Content-Length, Transfer-Encoding, Connection, and how many Host
 * lines there are). Other header values are validated but never decoded.
 */
import {
  asciiBytes,
  COLON,
  equalsBytes,
  equalsLower,
  HTAB,
  latin1,
  SP,
  skipOws,
  TOKEN_CHARS,
  trimOwsEnd,
} from './http-bytes.js';

/** A complete request as framed off the connection. Treat as read-only: common ones are shared. */
export interface ParsedRequest {
  readonly method: string;
  readonly target: string;
  readonly version: 10 | 11;
  /** Whether the client allows the connection to stay open after the answer (version and Connection header). */
  readonly keepAlive: boolean;
}

/**
 * Why a connection's byte stream cannot be framed, or (408) why the server stopped waiting for it;
 * the server answers `status` and closes.
 */
export type FrameError = { readonly status: 400 | 408 | 411 | 431 | 505; readonly reason: string };

/** The `ServerStats.errors` class every server counts an error answer in, by its status. */
export const FRAME_ERROR_CLASS = {
  400: 'badRequest',
  408: 'headerTimeout',
  411: 'lengthRequired',
  431: 'headersTooLarge',
  505: 'versionNotSupported',
} as const satisfies Record<FrameError['status'], string>;

/** The methods whose strings are interned, so the common request allocates nothing. */
const KNOWN_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'OPTIONS', 'PATCH', 'CONNECT', 'TRACE'];
const KNOWN_METHOD_BYTES = KNOWN_METHODS.map(asciiBytes);
/** Methods whose requests carry a body, so a missing length is answered 411. */
const BODY_METHODS = ['POST', 'PUT', 'PATCH'];

const HTTP_SLASH = asciiBytes('HTTP/');
const CONTENT_LENGTH = asciiBytes('content-length');
const TRANSFER_ENCODING = asciiBytes('transfer-encoding');
const CONNECTION = asciiBytes('connection');
const CLOSE = asciiBytes('close');
const KEEP_ALIVE = asciiBytes('keep-alive');
const CHUNKED = asciiBytes('chunked');
const HOST = asciiBytes('host');
const DIGIT_0 = 0x30;
const SLASH = 0x2f;
/** 15 decimal digits stay below 2^53, so a Content-Length is always an exact number. */
const MAX_LENGTH_DIGITS = 15;

/** The framing-relevant facts of the head being parsed; reset for every request. */
export class HeadState {
  method = '';
  /** Index in KNOWN_METHODS, or -1. */
  methodIndex = -1;
  target = '';
  version: 10 | 11 = 11;
  sawRequestLine = false;
  /** -1 when absent. */
  contentLength = -1;
  sawTransferEncoding = false;
  chunked = false;
  connectionClose = false;
  connectionKeepAlive = false;
  /** Host header lines seen (RFC 9112 §3.2: exactly one in HTTP/1.1, at most one in any request). */
  hostLines = 0;

  reset(): void {
    this.sawRequestLine = false;
    this.contentLength = -1;
    this.sawTransferEncoding = false;
    this.chunked = false;
    this.connectionClose = false;
    this.connectionKeepAlive = false;
    this.hostLines = 0;
  }

  get needsBodyLength(): boolean {
    return this.methodIndex !== -1 && BODY_METHODS.includes(this.method);
  }

  /** The request this head describes; shares one object per (method, version, keep-alive) for `/`. */
  toRequest(): ParsedRequest {
    const keepAlive = this.version === 11 ? !this.connectionClose : this.connectionKeepAlive && !this.connectionClose;
    if (this.target === '/' && this.methodIndex !== -1) {
      const slot = this.methodIndex * 4 + (this.version === 11 ? 2 : 0) + (keepAlive ? 1 : 0);
      let shared = sharedRequests[slot];
      if (shared === undefined) {
        shared = Object.freeze({ method: this.method, target: '/', version: this.version, keepAlive });
        sharedRequests[slot] = shared;
      }
      return shared;
    }
    return { method: this.method, target: this.target, version: this.version, keepAlive };
  }
}

/** Frozen `/` requests by (method, version, keep-alive): the hot path allocates no request object. */
const sharedRequests: (ParsedRequest | undefined)[] = new Array(KNOWN_METHODS.length * 4).fill(undefined);

/** Parses `METHOD SP target SP HTTP/x.y` in `src[start, end)` (CRLF excluded) into `head`. */
export function parseRequestLine(src: Uint8Array, start: number, end: number, head: HeadState): FrameError | undefined {
  let i = start;
  while (i < end && TOKEN_CHARS[src[i]!] === 1) i++;
  if (i === start || i >= end || src[i] !== SP) return { status: 400, reason: 'malformed request line (method)' };
  const methodEnd = i;
  const targetStart = ++i;
  // Visible ASCII only (RFC 9112 §3.2 forms are all ASCII), as Node's parser has it too.
  while (i < end && src[i]! > SP && src[i]! < 0x7f) i++;
  if (i === targetStart || i >= end || src[i] !== SP) return { status: 400, reason: 'malformed request line (target)' };
  const targetEnd = i++;
  // HTTP-version = "HTTP/" DIGIT "." DIGIT, and nothing after it.
  if (end - i !== 8 || !equalsBytes(src, i, i + 5, HTTP_SLASH) || src[i + 6] !== 0x2e) {
    return { status: 400, reason: 'malformed request line (version)' };
  }
  const major = src[i + 5]! - DIGIT_0;
  const minor = src[i + 7]! - DIGIT_0;
  if (major < 0 || major > 9 || minor < 0 || minor > 9)
    return { status: 400, reason: 'malformed request line (version)' };
  if (major !== 1 || minor > 1) return { status: 505, reason: `HTTP/${major}.${minor} is not supported` };
  head.version = minor === 0 ? 10 : 11;
  head.methodIndex = knownMethodIndex(src, start, methodEnd);
  head.method = head.methodIndex === -1 ? latin1(src, start, methodEnd) : KNOWN_METHODS[head.methodIndex]!;
  head.target = targetEnd - targetStart === 1 && src[targetStart] === SLASH ? '/' : latin1(src, targetStart, targetEnd);
  head.sawRequestLine = true;
  return undefined;
}

function knownMethodIndex(src: Uint8Array, start: number, end: number): number {
  for (let m = 0; m < KNOWN_METHOD_BYTES.length; m++) {
    if (equalsBytes(src, start, end, KNOWN_METHOD_BYTES[m]!)) return m;
  }
  return -1;
}

/** Parses `name: value` in `src[start, end)` (CRLF excluded), recording what framing needs. */
export function parseHeaderLine(src: Uint8Array, start: number, end: number, head: HeadState): FrameError | undefined {
  let i = start;
  while (i < end && TOKEN_CHARS[src[i]!] === 1) i++;
  // Also rejects obsolete line folding (a line starting with whitespace) and space before the colon.
  if (i === start || i >= end || src[i] !== COLON) return { status: 400, reason: 'malformed header line' };
  const nameEnd = i;
  for (let j = i + 1; j < end; j++) {
    const b = src[j]!;
    if ((b < SP && b !== HTAB) || b === 0x7f) return { status: 400, reason: 'control character in header value' };
  }
  const valueStart = skipOws(src, i + 1, end);
  const valueEnd = trimOwsEnd(src, valueStart, end);
  const nameLength = nameEnd - start;
  if (nameLength === HOST.length && equalsLower(src, start, nameEnd, HOST)) {
    head.hostLines++;
    return undefined;
  }
  if (nameLength === CONTENT_LENGTH.length && equalsLower(src, start, nameEnd, CONTENT_LENGTH)) {
    return parseContentLength(src, valueStart, valueEnd, head);
  }
  if (nameLength === TRANSFER_ENCODING.length && equalsLower(src, start, nameEnd, TRANSFER_ENCODING)) {
    // Only the final coding decides the framing; a later header line's codings come after this one's.
    head.sawTransferEncoding = true;
    let last = valueEnd;
    while (last > valueStart && src[last - 1] !== 0x2c) last--;
    head.chunked = equalsLower(src, skipOws(src, last, valueEnd), valueEnd, CHUNKED);
    return undefined;
  }
  if (nameLength === CONNECTION.length && equalsLower(src, start, nameEnd, CONNECTION)) {
    let tokenStart = valueStart;
    for (let j = valueStart; j <= valueEnd; j++) {
      if (j < valueEnd && src[j] !== 0x2c) continue;
      const a = skipOws(src, tokenStart, j);
      const b = trimOwsEnd(src, a, j);
      if (equalsLower(src, a, b, CLOSE)) head.connectionClose = true;
      else if (equalsLower(src, a, b, KEEP_ALIVE)) head.connectionKeepAlive = true;
      tokenStart = j + 1;
    }
  }
  return undefined;
}

function parseContentLength(src: Uint8Array, start: number, end: number, head: HeadState): FrameError | undefined {
  if (start === end || end - start > MAX_LENGTH_DIGITS) return { status: 400, reason: 'invalid Content-Length' };
  let length = 0;
  for (let i = start; i < end; i++) {
    const digit = src[i]! - DIGIT_0;
    if (digit < 0 || digit > 9) return { status: 400, reason: 'invalid Content-Length' };
    length = length * 10 + digit;
  }
  if (head.contentLength !== -1 && head.contentLength !== length) {
    return { status: 400, reason: 'conflicting Content-Length headers' };
  }
  head.contentLength = length;
  return undefined;
}
