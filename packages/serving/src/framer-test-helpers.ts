/** Test helpers: run bytes through a RequestFramer in given pieces and collect what comes out. */
import { type FrameError, type ParsedRequest, RequestFramer } from './request-framer.js';

export interface Framed {
  requests: ParsedRequest[];
  error: FrameError | undefined;
}

/** Feeds `input` cut at `cuts` (sorted offsets), through a shared buffer the way a server's recv does. */
export function frame(input: string | Uint8Array, cuts: number[] = [], limits?: { maxHeaderBytes?: number }): Framed {
  const bytes = typeof input === 'string' ? Buffer.from(input, 'latin1') : input;
  const framer = new RequestFramer(limits);
  const requests: ParsedRequest[] = [];
  // One reused receive buffer with stale bytes after each piece, like a server's recv buffer.
  const recv = new Uint8Array(bytes.length + 64).fill(0x0a);
  let previous = 0;
  for (const cut of [...cuts, bytes.length]) {
    if (cut < previous) continue;
    recv.set(bytes.subarray(previous, cut), 3);
    framer.push(recv, 3, cut - previous);
    recv.fill(0x0a);
    previous = cut;
    for (let r = framer.next(); r !== undefined; r = framer.next()) requests.push({ ...r });
  }
  return { requests, error: framer.error };
}

export const GET = 'GET / HTTP/1.1\r\nHost: x\r\n\r\n';
