/**
 * Per-connection incremental HTTP/1.x request framer. A server feeds it whatever recv() returned (any
 * split, several pipelined requests at once) and takes complete requests out in order. Heads are
 * scanned line by line in bytes; bodies (Content-Length or chunked) are skipped, never copied or
 * decoded. Only a line cut by a read boundary is copied, into a small per-connection buffer.
 */
import { CR, findLf, LF } from './http-bytes.js';
import { type FrameError, HeadState, type ParsedRequest, parseHeaderLine, parseRequestLine } from './request-head.js';

export { FRAME_ERROR_CLASS, type FrameError, type ParsedRequest } from './request-head.js';

/** Limits a framer enforces. */
export interface FramerLimits {
  /** Largest request head (request line, headers, final CRLF) in bytes; larger is answered 431. Default 8192. */
  maxHeaderBytes?: number;
}

enum State {
  Head,
  Body,
  ChunkSize,
  ChunkData,
  ChunkDataEnd,
  Trailer,
  Failed,
}

/** A chunk-size line holds hex digits and optional extensions; anything longer is an attack, not a client. */
const MAX_CHUNK_LINE_BYTES = 1024;
/** 13 hex digits stay below 2^53. */
const MAX_CHUNK_SIZE_DIGITS = 13;

/** Per-connection incremental HTTP/1.x request framer (keep-alive, pipelining, Content-Length and chunked bodies). */
export class RequestFramer {
  /** Set once the stream cannot be framed; the server answers it (see `Responder.error`) and closes. */
  error: FrameError | undefined = undefined;
  /** Requests framed so far (taken or not): a change tells a server that a new request head began. */
  framed = 0;

  private readonly maxHeaderBytes: number;
  private readonly head = new HeadState();
  /** Complete requests not yet taken: `ready[readyHead, readyTail)`; the array is reused, never shrunk. */
  private readonly ready: ParsedRequest[] = [];
  private readyHead = 0;
  private readyTail = 0;
  private state = State.Head;
  /** Bytes of the current line already scanned without finding LF (relative to the line start). */
  private scanned = 0;
  /** Bytes of the current head (or trailer section) already consumed. */
  private headBytes = 0;
  /** Body or chunk bytes still to skip. */
  private remaining = 0;
  /** Holds only a line cut by a read boundary; allocated on first need. */
  private pending: Uint8Array | undefined = undefined;
  private pendingStart = 0;
  private pendingEnd = 0;

  constructor(limits: FramerLimits = {}) {
    this.maxHeaderBytes = limits.maxHeaderBytes ?? 8192;
  }

  /** Number of complete requests waiting to be taken with `next()`. */
  get available(): number {
    return this.readyTail - this.readyHead;
  }

  /**
   * True while part of a request head (or empty lines before one) has arrived and the rest has not:
   * what a header timeout watches. False between requests and while a body arrives.
   */
  get inHead(): boolean {
    return this.state === State.Head && (this.headBytes > 0 || this.pendingEnd > this.pendingStart);
  }

  /**
   * Feeds received bytes `data[offset, offset + length)` (any split of the stream). Returns how many
   * complete requests are now available. The bytes are not retained: the caller may reuse `data`.
   */
  push(data: Uint8Array, offset = 0, length = data.length - offset): number {
    if (this.error !== undefined) return this.available;
    const stop = offset + length;
    let pos = offset;
    if (this.pendingEnd > this.pendingStart) {
      // Complete the cut line first, copying only up to its LF; then parse the rest in place.
      const lf = findLf(data, pos, stop);
      const cut = lf === -1 ? stop : lf + 1;
      this.append(data, pos, cut);
      pos = cut;
      this.pendingStart = this.process(this.pending!, this.pendingStart, this.pendingEnd);
      if (this.pendingStart === this.pendingEnd) this.pendingStart = this.pendingEnd = 0;
      else if (pos < stop && this.error === undefined) {
        this.append(data, pos, stop);
        pos = stop;
        this.pendingStart = this.process(this.pending!, this.pendingStart, this.pendingEnd);
      }
    }
    if (pos < stop && this.error === undefined) {
      const consumed = this.process(data, pos, stop);
      if (consumed < stop && this.error === undefined) this.append(data, consumed, stop);
    }
    if (this.error !== undefined) this.pending = undefined;
    return this.available;
  }

  /** Next complete request in arrival order, or undefined. After an error, requests framed before it still come. */
  next(): ParsedRequest | undefined {
    if (this.readyHead === this.readyTail) return undefined;
    const request = this.ready[this.readyHead++];
    if (this.readyHead === this.readyTail) this.readyHead = this.readyTail = 0;
    return request;
  }

  /** Consumes what it can of `src[pos, end)`; returns where an incomplete line starts (or `end`). */
  private process(src: Uint8Array, pos: number, end: number): number {
    while (pos < end) {
      switch (this.state) {
        case State.Head:
        case State.Trailer:
        case State.ChunkSize: {
          const lf = findLf(src, pos + this.scanned, end);
          const limit = this.state === State.ChunkSize ? MAX_CHUNK_LINE_BYTES : this.maxHeaderBytes - this.headBytes;
          if (lf === -1) {
            this.scanned = end - pos;
            // The line still needs its LF, so it is already too long once `scanned` reaches the limit.
            if (this.scanned >= limit) this.fail(this.lineTooLong());
            return this.error !== undefined ? end : pos;
          }
          this.scanned = 0;
          const lineBytes = lf + 1 - pos;
          if (lineBytes > limit) {
            this.fail(this.lineTooLong());
            return end;
          }
          if (lf === pos || src[lf - 1] !== CR) {
            this.fail({ status: 400, reason: 'line ending without CR' });
            return end;
          }
          this.line(src, pos, lf - 1, lineBytes);
          pos = lf + 1;
          break;
        }
        case State.Body:
        case State.ChunkData: {
          const n = Math.min(end - pos, this.remaining);
          pos += n;
          this.remaining -= n;
          if (this.remaining === 0) {
            if (this.state === State.Body) this.complete();
            else this.state = State.ChunkDataEnd;
          }
          break;
        }
        case State.ChunkDataEnd: {
          // CRLF after chunk data, possibly split between reads: `remaining` counts the CR seen.
          const expected = this.remaining === 0 ? CR : LF;
          if (src[pos] !== expected) {
            this.fail({ status: 400, reason: 'chunk data not followed by CRLF' });
            return end;
          }
          pos++;
          if (expected === CR) this.remaining = 1;
          else {
            this.remaining = 0;
            this.state = State.ChunkSize;
          }
          break;
        }
        case State.Failed:
          return end;
      }
    }
    return pos;
  }

  /** Handles one complete line `src[start, end)` (CRLF excluded) of `lineBytes` bytes in total. */
  private line(src: Uint8Array, start: number, end: number, lineBytes: number): void {
    const head = this.head;
    if (this.state === State.ChunkSize) {
      this.chunkSize(src, start, end);
      return;
    }
    if (this.state === State.Trailer) {
      this.headBytes += lineBytes;
      if (start === end) this.complete();
      return;
    }
    if (!head.sawRequestLine) {
      this.headBytes += lineBytes;
      // RFC 9112 §2.2: ignore empty lines before a request line (some clients send CRLF after a body);
      // counted in the head's bytes, so that endless empty lines meet the limit and the header timeout.
      if (start === end) return;
      const error = parseRequestLine(src, start, end, head);
      if (error !== undefined) this.fail(error);
      return;
    }
    this.headBytes += lineBytes;
    if (start !== end) {
      const error = parseHeaderLine(src, start, end, head);
      if (error !== undefined) this.fail(error);
      return;
    }
    this.endOfHead();
  }

  private endOfHead(): void {
    const head = this.head;
    // RFC 9112 §3.2: 400 for an HTTP/1.1 request without Host, and for any with more than one.
    if (head.hostLines !== 1 && (head.hostLines > 1 || head.version === 11)) {
      this.fail({
        status: 400,
        reason: head.hostLines > 1 ? 'more than one Host header' : 'HTTP/1.1 request without Host',
      });
      return;
    }
    if (head.sawTransferEncoding) {
      if (head.contentLength !== -1) {
        this.fail({ status: 400, reason: 'both Content-Length and Transfer-Encoding' });
        return;
      }
      if (head.version === 10) {
        this.fail({ status: 400, reason: 'Transfer-Encoding in an HTTP/1.0 request' });
        return;
      }
      if (!head.chunked) {
        this.fail({ status: 400, reason: 'Transfer-Encoding does not end in chunked' });
        return;
      }
      this.state = State.ChunkSize;
      return;
    }
    if (head.contentLength > 0) {
      this.remaining = head.contentLength;
      this.state = State.Body;
      return;
    }
    if (head.contentLength === -1 && head.needsBodyLength) {
      this.fail({ status: 411, reason: `${head.method} without Content-Length or Transfer-Encoding` });
      return;
    }
    this.complete();
  }

  private chunkSize(src: Uint8Array, start: number, end: number): void {
    let size = 0;
    let i = start;
    for (; i < end; i++) {
      const b = src[i]!;
      const lower = b | 0x20;
      const digit = b >= 0x30 && b <= 0x39 ? b - 0x30 : b >= 0x41 && lower >= 0x61 && lower <= 0x66 ? lower - 0x57 : -1;
      if (digit === -1) break;
      size = size * 16 + digit;
    }
    // After the digits only whitespace or a chunk extension (`;name=value`) may follow.
    if (
      i === start ||
      i - start > MAX_CHUNK_SIZE_DIGITS ||
      (i < end && src[i] !== 0x3b && src[i] !== 0x20 && src[i] !== 0x09)
    ) {
      this.fail({ status: 400, reason: 'malformed chunk size' });
      return;
    }
    if (size === 0) {
      this.state = State.Trailer;
      this.headBytes = 0;
      return;
    }
    this.remaining = size;
    this.state = State.ChunkData;
  }

  private complete(): void {
    this.ready[this.readyTail++] = this.head.toRequest();
    this.framed++;
    this.head.reset();
    this.headBytes = 0;
    this.state = State.Head;
  }

  private lineTooLong(): FrameError {
    return this.state === State.ChunkSize
      ? { status: 400, reason: 'chunk size line too long' }
      : { status: 431, reason: `request header block larger than ${this.maxHeaderBytes} bytes` };
  }

  private fail(error: FrameError): void {
    this.error = error;
    this.state = State.Failed;
  }

  private append(src: Uint8Array, start: number, end: number): void {
    const length = end - start;
    const used = this.pendingEnd - this.pendingStart;
    if (this.pending === undefined || used + length > this.pending.length) {
      const grown = new Uint8Array(Math.max(1024, 2 ** Math.ceil(Math.log2(used + length))));
      if (this.pending !== undefined) grown.set(this.pending.subarray(this.pendingStart, this.pendingEnd));
      this.pending = grown;
      this.pendingStart = 0;
      this.pendingEnd = used;
    } else if (this.pendingEnd + length > this.pending.length) {
      this.pending.copyWithin(0, this.pendingStart, this.pendingEnd);
      this.pendingStart = 0;
      this.pendingEnd = used;
    }
    this.pending.set(src.subarray(start, end), this.pendingEnd);
    this.pendingEnd += length;
  }
}
