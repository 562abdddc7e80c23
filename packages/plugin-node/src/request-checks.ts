/**
 * What the shared framer rejects but Node's parser lets through, checked on the request Node parsed,
 * so that `node` answers these requests the way every other server does. Reads `rawHeaders` (the
 * array Node built anyway) rather than `headers`, whose object Node builds lazily on first access.
 * What cannot be checked after Node's parser (it never shows the raw request line) is listed as
 * Node's own behaviour in the README.
 */
import type { IncomingMessage } from 'node:http';
import type { FrameError } from '@iobench/serving';

const NO_HOST: FrameError = { status: 400, reason: 'HTTP/1.1 request without Host' };
const TWO_HOSTS: FrameError = { status: 400, reason: 'more than one Host header' };
const TE_IN_HTTP10: FrameError = { status: 400, reason: 'Transfer-Encoding in an HTTP/1.0 request' };
const TE_NOT_CHUNKED: FrameError = { status: 400, reason: 'Transfer-Encoding does not end in chunked' };
/** Methods whose requests carry a body, so a missing length is answered 411 (as the framer does). */
const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH']);

/** The error answer `req` deserves, or undefined when it is to be served. */
export function requestProblem(req: IncomingMessage): FrameError | undefined {
  // llhttp accepts HTTP/0.9 (also a request line without a version) and HTTP/2.0; the framer, 1.x only.
  if (req.httpVersionMajor !== 1) {
    return { status: 505, reason: `HTTP/${req.httpVersionMajor}.${req.httpVersionMinor} is not supported` };
  }
  const raw = req.rawHeaders;
  let hosts = 0;
  let contentLength = false;
  /** Value of the last Transfer-Encoding line: its last coding decides the framing. */
  let transferEncoding: string | undefined;
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i]!;
    if (name.length === 4 && name.toLowerCase() === 'host') hosts++;
    else if (name.length === 14 && name.toLowerCase() === 'content-length') contentLength = true;
    else if (name.length === 17 && name.toLowerCase() === 'transfer-encoding') transferEncoding = raw[i + 1]!;
  }
  // RFC 9112 §3.2, as the framer applies it.
  if (hosts > 1) return TWO_HOSTS;
  if (hosts === 0 && req.httpVersionMinor === 1) return NO_HOST;
  if (transferEncoding !== undefined) {
    if (req.httpVersionMinor === 0) return TE_IN_HTTP10;
    const codings = transferEncoding.split(',');
    if (codings[codings.length - 1]!.trim().toLowerCase() !== 'chunked') return TE_NOT_CHUNKED;
  } else if (!contentLength && BODY_METHODS.has(req.method!)) {
    return { status: 411, reason: `${req.method} without Content-Length or Transfer-Encoding` };
  }
  return undefined;
}
