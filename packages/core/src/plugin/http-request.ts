/**
 * The request a load generator sends, described once by iobench (from `-X`, `-H`, `--body`,
 * `--requests-file`) and handed to every generator in `LoadTarget.requests`, so that native, undici
 * and wrk put the same bytes on the wire. The rules are those HTTP/1.1 sets for those bytes: a method
 * is a token, a request target holds no spaces or controls, a header name is a token and a value
 * holds no CR/LF (which would split the request).
 */
import type { LoadTarget } from './contract.js';

/** One request of the list a generator cycles through. Plain data: it crosses to worker threads. */
export interface LoadRequest {
  /** Method token, as given (`GET`, `POST`, ...). */
  method: string;
  /** Request target in origin form: path and query, starting with `/`. */
  path: string;
  /** Headers in the order given, names as typed; a generator adds `Host` (and `Content-Length` for a body) unless present. */
  headers: Array<[name: string, value: string]>;
  /** Body bytes, sent with a `Content-Length`; absent: no body. */
  body?: Uint8Array;
}

/** RFC 9110 §5.6.2 token: what methods and header names are made of. */
export const HTTP_TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
/** A request target in origin form: `/`, then visible ASCII or Latin-1; no spaces, no controls. */
export const HTTP_PATH = /^\/[\u0021-\u007e\u0080-\u00ff]*$/;
/** A header field value: tab, visible ASCII and Latin-1; no CR, LF or other controls. */
export const HTTP_HEADER_VALUE = /^[\t\u0020-\u007e\u0080-\u00ff]*$/;

/**
 * `Name: value` as curl's and wrk's `-H` take it: the name a token, the value trimmed of the spaces
 * around it. Returns the pair, or a message saying what is wrong with `line`.
 */
export function parseHeaderLine(line: string): { header: [string, string] } | { error: string } {
  const colon = line.indexOf(':');
  if (colon <= 0) return { error: `expected "Name: value", received ${JSON.stringify(line)}` };
  const name = line.slice(0, colon).trim();
  const value = line.slice(colon + 1).trim();
  if (!HTTP_TOKEN.test(name)) {
    return { error: `header name ${JSON.stringify(name)} must be an HTTP token (letters, digits, !#$%&'*+-.^_\`|~)` };
  }
  if (!HTTP_HEADER_VALUE.test(value)) {
    return { error: `header ${name}: the value must not contain CR, LF or other control characters` };
  }
  return { header: [name, value] };
}

/** The request-target of `url` in origin form (`/path?query`). */
export function originForm(url: URL): string {
  return `${url.pathname}${url.search}`;
}

/**
 * The requests a generator sends to `target`, in cycle order: `target.requests`, or — when iobench
 * (or a test) gave none — a plain GET of the URL's path.
 */
export function targetRequests(target: LoadTarget, url: URL = new URL(target.url)): LoadRequest[] {
  return target.requests?.length ? target.requests : [{ method: 'GET', path: originForm(url), headers: [] }];
}

/**
 * The request as HTTP/1.1 bytes: the request line, `Host: <host>` unless a Host header is given,
 * the headers in order, `Content-Length` for a body unless given, then the body. `host` is the
 * URL's host as a Host header carries it (IPv6 in brackets, no zone). Header text is Latin-1, as the
 * rules above allow; the body is sent as is.
 */
export function requestBytes(request: LoadRequest, host: string): Uint8Array {
  const names = new Set(request.headers.map(([n]) => n.toLowerCase()));
  let head = `${request.method} ${request.path} HTTP/1.1\r\n`;
  if (!names.has('host')) head += `Host: ${host}\r\n`;
  for (const [name, value] of request.headers) head += `${name}: ${value}\r\n`;
  if (request.body !== undefined && !names.has('content-length')) head += `Content-Length: ${request.body.length}\r\n`;
  head += '\r\n';
  const headBytes = Buffer.from(head, 'latin1');
  const bytes = request.body === undefined ? headBytes : Buffer.concat([headBytes, request.body]);
  return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.length);
}
