/**
 * The request every connection sends, built once as bytes: a request line, `Host`, the user's
 * headers, and a `Content-Length` for a body. Sending is then one send(2) of a constant buffer.
 */

export interface RequestShape {
  method: string;
  /** Request target, starting with `/`. */
  path: string;
  /** `Host` header value: the target's host (IPv6 in brackets, no zone) and port. */
  host: string;
  headers: Record<string, string>;
  body?: string;
}

/** The request as Latin-1 bytes (the options schema has already refused CR/LF and non-Latin-1). */
export function buildRequest(shape: RequestShape): Uint8Array {
  const names = new Set(Object.keys(shape.headers).map((n) => n.toLowerCase()));
  const body = shape.body === undefined ? undefined : Buffer.from(shape.body, 'utf8');
  let head = `${shape.method} ${shape.path} HTTP/1.1\r\n`;
  if (!names.has('host')) head += `Host: ${shape.host}\r\n`;
  for (const [name, value] of Object.entries(shape.headers)) head += `${name}: ${value}\r\n`;
  if (body !== undefined && !names.has('content-length')) head += `Content-Length: ${body.length}\r\n`;
  head += '\r\n';
  const headBytes = Buffer.from(head, 'latin1');
  return body === undefined ? new Uint8Array(headBytes) : new Uint8Array(Buffer.concat([headBytes, body]));
}

/** `copies` back-to-back copies of `request`: any suffix of it is the tail of a stream of whole requests. */
export function repeatRequest(request: Uint8Array, copies: number): Uint8Array {
  const out = new Uint8Array(request.length * copies);
  for (let i = 0; i < copies; i++) out.set(request, i * request.length);
  return out;
}
