/**
 * What the shared framer rejects but Node's parser lets through, checked on the request Node parsed,
 * so that `node` answers these requests the way every other server does. Reads `rawHeaders` (the
 * array Node built anyway) rather than `headers`, whose object Node builds lazily on first access.
 */
import type { IncomingMessage } from 'node:http';
import type { FrameError } from '@iobench/serving';

const NO_HOST: FrameError = { status: 400, reason: 'HTTP/1.1 request without Host' };
const TWO_HOSTS: FrameError = { status: 400, reason: 'more than one Host header' };

/** The error answer `req` deserves, or undefined when it is to be served. */
export function requestProblem(req: IncomingMessage): FrameError | undefined {
  const raw = req.rawHeaders;
  let hosts = 0;
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i]!;
    if (name.length === 4 && name.toLowerCase() === 'host') hosts++;
  }
  // RFC 9112 §3.2, as the shared framer applies it.
  if (hosts > 1) return TWO_HOSTS;
  if (hosts === 0 && req.httpVersionMinor === 1) return NO_HOST;
  return undefined;
}
