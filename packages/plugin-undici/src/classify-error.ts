/**
 * Maps what undici and the socket layer throw to iobench's error classes. The mapping is by stable
 * error codes (undici's `UND_ERR_*`, errno names), never by message text, except for undici's
 * "other side closed", which it reports as a generic socket error.
 */
import type { ErrorCounts } from '@iobench/core';

export type ErrorClass = keyof ErrorCounts;

const CONNECT_CODES = new Set([
  'ECONNREFUSED',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EADDRNOTAVAIL',
  'ENOTFOUND',
  'EAI_AGAIN',
  'UND_ERR_CONNECT_TIMEOUT',
  'EMFILE',
  'ENFILE',
]);
const TIMEOUT_CODES = new Set([
  'IOBENCH_REQUEST_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'ETIMEDOUT',
]);
/**
 * With HTTP/2, besides the socket's own: a stream the server reset (RST_STREAM with an error code:
 * `ERR_HTTP2_STREAM_ERROR`), and a session it ended (GOAWAY, which undici reports as a socket
 * error, see below; Node's `ERR_HTTP2_GOAWAY_SESSION` and `ERR_HTTP2_SESSION_ERROR`).
 */
const RESET_CODES = new Set([
  'ECONNRESET',
  'ECONNABORTED',
  'UND_ERR_CLOSED',
  'ERR_HTTP2_STREAM_ERROR',
  'ERR_HTTP2_STREAM_CANCEL',
  'ERR_HTTP2_GOAWAY_SESSION',
  'ERR_HTTP2_SESSION_ERROR',
]);
/**
 * undici's HTTP/2 messages (its `InformationalError`, code `UND_ERR_INFO`, has no finer code) for a
 * stream that ended with no complete response: reset without an error code (RST_STREAM NO_ERROR or
 * CANCEL), or closed by the server's end of the session.
 */
const H2_STREAM_ENDED = /^HTTP\/2: stream (closed before the response was complete|half-closed \(remote\))/;
/**
 * OpenSSL's certificate verification codes as Node reports them (`DEPTH_ZERO_SELF_SIGNED_CERT`,
 * `CERT_HAS_EXPIRED`, `UNABLE_TO_VERIFY_LEAF_SIGNATURE`, ...), Node's own `ERR_TLS_*` (a name
 * mismatch is `ERR_TLS_CERT_ALTNAME_INVALID`) and OpenSSL's protocol errors (`ERR_SSL_*`, e.g. https
 * to a plain-HTTP port).
 */
const TLS_CODE = /^(ERR_TLS_|ERR_SSL_)|CERT|SELF_SIGNED|UNABLE_TO_(GET|VERIFY|DECRYPT|DECODE)_/;
const WRITE_CODES = new Set(['EPIPE', 'UND_ERR_REQ_CONTENT_LENGTH_MISMATCH']);
/**
 * A response that breaks HTTP/1 framing: llhttp's own codes (HPE_*), a head larger than undici
 * accepts (headers or trailers), a body that is not the length the head announced (including a
 * head with both Content-Length and chunked), or one that answers no request of ours. With HTTP/2,
 * any other `UND_ERR_INFO` (a frame error) and Node's other `ERR_HTTP2_*` codes (protocol errors).
 */
const PARSE_CODES = new Set([
  'UND_ERR_INFO',
  'UND_ERR_HEADERS_OVERFLOW',
  'UND_ERR_RES_CONTENT_LENGTH_MISMATCH',
  'IOBENCH_UNREQUESTED_RESPONSE',
]);

/** Which class an error belongs to; anything unknown is a read error (the response did not arrive). */
export function classifyError(err: unknown): ErrorClass {
  const code = errorCode(err);
  if (code !== undefined) {
    if (code === 'UND_ERR_INFO' && H2_STREAM_ENDED.test((err as Error).message)) return 'reset';
    if (TLS_CODE.test(code)) return 'tls';
    if (CONNECT_CODES.has(code)) return 'connect';
    if (TIMEOUT_CODES.has(code)) return 'timeout';
    if (RESET_CODES.has(code)) return 'reset';
    if (WRITE_CODES.has(code)) return 'write';
    if (code.startsWith('HPE_') || code.startsWith('ERR_HTTP2_') || PARSE_CODES.has(code)) return 'parse';
    // undici wraps llhttp failures in HTTPParserError, whose `code` is the llhttp one (HPE_*)
    // but some versions put it under `name` only.
    if (code === 'UND_ERR_SOCKET') {
      const causeCode = errorCode((err as { cause?: unknown }).cause);
      if (causeCode !== undefined && causeCode !== 'UND_ERR_SOCKET')
        return classifyError((err as { cause: unknown }).cause);
      // "bad response": a response while no request was in flight, or a 100 Continue nobody
      // expected (undici refuses both; the message is the only thing telling them apart).
      if (isBadResponse(err)) return 'parse';
      // "other side closed": the server closed the connection with a response still owed; with
      // HTTP/2 also `HTTP/2: "GOAWAY" frame received`: the server ended the session.
      return 'reset';
    }
  }
  if (err instanceof Error && err.name === 'HTTPParserError') return 'parse';
  return 'read';
}

/**
 * undici's "bad response": a response arrived while no request was in flight on the connection (or
 * a 100 Continue nobody expected). undici drops the connection, failing no request with it.
 */
export function isBadResponse(err: unknown): boolean {
  return errorCode(err) === 'UND_ERR_SOCKET' && (err as Error).message === 'bad response';
}

function errorCode(err: unknown): string | undefined {
  if (err === null || typeof err !== 'object') return undefined;
  const code = (err as { code?: unknown }).code;
  return typeof code === 'string' ? code : undefined;
}
