/**
 * Per-connection incremental HTTP/1.x *response* framer: the generator feeds it whatever recv()
 * returned (any split, several pipelined responses at once) and it says where each response ends.
 * It reads only what framing needs — the status line, Content-Length, Transfer-Encoding and
 * Connection — and skips bodies (Content-Length, chunked, or delimited by the close), never copying
 * or decoding them. HEAD answers and 204/304 have no body; 1xx interim responses are skipped.
 * Only a head line cut by a read boundary is copied, into a small per-connection buffer.
 * (Over 300 lines on purpose: one state machine whose states share their fields; split, each part
 * would need the others' internals.)
 */

const CR = 0x0d;
const LF = 0x0a;
const SP = 0x20;
const HTAB = 0x09;
const COLON = 0x3a;
const SEMICOLON = 0x3b;
const COMMA = 0x2c;
const DEL = 0x7f;

// What the framer expects next.
const HEAD = 0;
const BODY = 1;
const CHUNK_SIZE = 2;
const CHUNK_DATA = 3;
const CHUNK_DATA_END = 4;
const TRAILER = 5;
const UNTIL_CLOSE = 6;
const FAILED = 7;

/** Largest response head (status line and headers) accepted: larger is a parse error, not a hang. */
export const MAX_RESPONSE_HEAD_BYTES = 64 * 1024;
/** A chunk-size line longer than this is a broken server, not a big chunk. */
const MAX_CHUNK_LINE_BYTES = 1024;
/** 13 hex digits stay below 2^53. */
const MAX_CHUNK_SIZE_DIGITS = 13;

const CONTENT_LENGTH = ascii('content-length');
const TRANSFER_ENCODING = ascii('transfer-encoding');
const CONNECTION = ascii('connection');
const CHUNKED = ascii('chunked');
const CLOSE = ascii('close');
const KEEP_ALIVE = ascii('keep-alive');
const HTTP_1_DOT = ascii('HTTP/1.');

/**
 * What the line scan stops at: LF ends a line, the first COLON splits a header, CR and every other
 * control byte but HTAB may make a header line unsafe. Looked up per byte, so that one pass over a
 * head line finds its end, its colon and whether it holds a control byte; the rest are ordinary.
 */
const ORDINARY = 0;
const LINE_END = 1;
const NAME_END = 2;
const CONTROL = 3;
const BYTE_CLASS = new Uint8Array(256);
for (let b = 0; b < SP; b++) BYTE_CLASS[b] = b === HTAB ? ORDINARY : CONTROL;
BYTE_CLASS[DEL] = CONTROL;
BYTE_CLASS[LF] = LINE_END;
BYTE_CLASS[COLON] = NAME_END;

/** `feed`: every byte was consumed and the current response needs more. */
export const NEED_MORE = -1;
/** `feed`: the stream cannot be framed; `error` says why. */
export const FRAMING_FAILED = -2;

export class ResponseFramer {
  /** Why framing failed, once it has. */
  error: string | undefined = undefined;
  /** Status of the last completed response. */
  status = 0;
  /** Whether the connection stays open after the last completed response. */
  keepAlive = true;

  private state: number = HEAD;
  /** True while the status line of the current response has not been read. */
  private awaitingStatusLine = true;
  private http10 = false;
  private contentLength = -1;
  private chunked = false;
  private closeSeen = false;
  private keepAliveSeen = false;
  private headBytes = 0;
  /** Body or chunk bytes still to skip; in CHUNK_DATA_END, whether the CR was seen. */
  private remaining = 0;
  /** A line cut by a read boundary, completed by the next feed. */
  private pending: Uint8Array | undefined = undefined;
  private pendingLength = 0;
  /** What `scanLine` found on the line it scanned: its first colon (-1: none), a control byte in it. */
  private lineColon = -1;
  private lineHasControl = false;

  /**
   * `headOnly`: the request answered is a HEAD, so its response carries no body whatever its headers
   * say. Set between responses when a connection's requests differ.
   */
  constructor(public headOnly: boolean) {}

  /** True between the first byte of a response and its end. */
  get midResponse(): boolean {
    return this.state !== HEAD || !this.awaitingStatusLine || this.pendingLength > 0;
  }

  /**
   * Consumes `src[pos, end)` up to the end of the next complete response. Returns the offset just
   * after that response (then `status` and `keepAlive` describe it), `NEED_MORE` when all
   * bytes went into a response still incomplete, or `FRAMING_FAILED`.
   */
  feed(src: Uint8Array, pos: number, end: number): number {
    while (pos < end) {
      switch (this.state) {
        case HEAD:
        case TRAILER:
        case CHUNK_SIZE: {
          const lf = this.scanLine(src, pos, end);
          if (lf === end) {
            if (!this.keep(src, pos, end)) return FRAMING_FAILED;
            return NEED_MORE;
          }
          let done: boolean;
          if (this.pendingLength > 0) {
            if (!this.keep(src, pos, lf + 1)) return FRAMING_FAILED;
            const line = this.pending!;
            const length = this.pendingLength;
            this.pendingLength = 0;
            this.scanLine(line, 0, length);
            done = this.line(line, 0, length - 1);
          } else {
            if (this.state !== CHUNK_SIZE && !this.countHead(lf + 1 - pos)) return FRAMING_FAILED;
            done = this.line(src, pos, lf);
          }
          if (this.error !== undefined) return FRAMING_FAILED;
          pos = lf + 1;
          if (done) return pos;
          break;
        }
        case BODY:
        case CHUNK_DATA: {
          const n = Math.min(end - pos, this.remaining);
          pos += n;
          this.remaining -= n;
          if (this.remaining === 0) {
            if (this.state === BODY) {
              this.complete();
              return pos;
            }
            this.state = CHUNK_DATA_END;
          }
          break;
        }
        case CHUNK_DATA_END: {
          const expected = this.remaining === 0 ? CR : LF;
          if (src[pos] !== expected) return this.fail('chunk data not followed by CRLF');
          pos++;
          if (expected === CR) this.remaining = 1;
          else {
            this.remaining = 0;
            this.state = CHUNK_SIZE;
          }
          break;
        }
        case UNTIL_CLOSE:
          return NEED_MORE;
        default:
          return FRAMING_FAILED;
      }
    }
    return NEED_MORE;
  }

  /** The server closed the connection. True when that ended a close-delimited response (now complete). */
  closed(): boolean {
    if (this.state !== UNTIL_CLOSE) return false;
    this.complete();
    return true;
  }

  /** Forgets any partial response: the connection was closed and a new one starts from nothing. */
  reset(): void {
    this.state = HEAD;
    this.error = undefined;
    this.pendingLength = 0;
    this.startHead();
  }

  /**
   * The offset of the first LF in `src[pos, end)`, or `end`; notes the first colon before it and
   * whether a control byte other than HTAB precedes it (a CR right before the LF ends the line).
   */
  private scanLine(src: Uint8Array, pos: number, end: number): number {
    let colon = -1;
    let control = -1;
    let i = pos;
    for (; i < end; i++) {
      const kind = BYTE_CLASS[src[i]!]!;
      if (kind === ORDINARY) continue;
      if (kind === LINE_END) break;
      if (kind === NAME_END) {
        if (colon < 0) colon = i;
      } else if (control < 0) control = i;
    }
    this.lineColon = colon;
    // The first control byte is the line's last byte only when it is the CR of its CRLF.
    this.lineHasControl = control >= 0 && !(control === i - 1 && i < end && src[control] === CR);
    return i;
  }

  /** Handles one line `src[start, lf)` (LF excluded, CR still there), just scanned. True when a response completed. */
  private line(src: Uint8Array, start: number, lf: number): boolean {
    const end = lf > start && src[lf - 1] === CR ? lf - 1 : lf;
    if (this.state === CHUNK_SIZE) return this.chunkSize(src, start, end);
    if (this.state === TRAILER) {
      if (start === end) this.complete();
      return start === end;
    }
    if (this.awaitingStatusLine) {
      this.statusLine(src, start, end);
      return false;
    }
    if (start !== end) {
      this.header(src, start, end);
      return false;
    }
    return this.endOfHead();
  }

  /** `HTTP/1.x SSS reason`. */
  private statusLine(src: Uint8Array, start: number, end: number): void {
    const ok =
      end - start >= 12 &&
      equals(src, start, HTTP_1_DOT, false) &&
      (src[start + 7] === 0x30 || src[start + 7] === 0x31) &&
      src[start + 8] === SP &&
      isDigit(src[start + 9]!) &&
      isDigit(src[start + 10]!) &&
      isDigit(src[start + 11]!) &&
      (end - start === 12 || src[start + 12] === SP);
    if (!ok) {
      this.fail(`malformed status line ${JSON.stringify(printable(src, start, end))}`);
      return;
    }
    this.http10 = src[start + 7] === 0x30;
    this.status = (src[start + 9]! - 0x30) * 100 + (src[start + 10]! - 0x30) * 10 + (src[start + 11]! - 0x30);
    this.awaitingStatusLine = false;
  }

  /** A header line `src[start, end)` (CRLF excluded), whose colon and control bytes `scanLine` noted. */
  private header(src: Uint8Array, start: number, end: number): void {
    const colon = this.lineColon;
    if (colon < 0 || colon === start) {
      this.fail(`malformed header line ${JSON.stringify(printable(src, start, end))}`);
      return;
    }
    // NUL, a bare CR or any other control byte but HTAB in a header line: a server that cannot be
    // framed safely (RFC 9110 §5.5), not one to read past. The scan said there is one: name it.
    if (this.lineHasControl) {
      for (let i = start; i < end; i++) {
        const b = src[i]!;
        if ((b < SP && b !== HTAB) || b === DEL) {
          this.fail(`control byte 0x${b.toString(16).padStart(2, '0')} in header line`);
          return;
        }
      }
    }
    // Only three headers matter to framing; the others (Server, Date, Content-Type...) end here.
    const nameLength = colon - start;
    if (
      nameLength !== CONTENT_LENGTH.length &&
      nameLength !== TRANSFER_ENCODING.length &&
      nameLength !== CONNECTION.length
    ) {
      return;
    }
    let valueStart = colon + 1;
    while (valueStart < end && (src[valueStart] === SP || src[valueStart] === HTAB)) valueStart++;
    let valueEnd = end;
    while (valueEnd > valueStart && (src[valueEnd - 1] === SP || src[valueEnd - 1] === HTAB)) valueEnd--;
    if (nameLength === CONTENT_LENGTH.length && equals(src, start, CONTENT_LENGTH, true)) {
      let value = 0;
      if (valueStart === valueEnd || valueEnd - valueStart > 15) value = -1;
      for (let i = valueStart; i < valueEnd && value >= 0; i++) {
        value = isDigit(src[i]!) ? value * 10 + (src[i]! - 0x30) : -1;
      }
      if (value < 0 || (this.contentLength !== -1 && this.contentLength !== value)) {
        this.fail(`invalid Content-Length ${JSON.stringify(printable(src, valueStart, valueEnd))}`);
        return;
      }
      this.contentLength = value;
    } else if (nameLength === TRANSFER_ENCODING.length && equals(src, start, TRANSFER_ENCODING, true)) {
      // Chunked only when it is the last coding (RFC 9112 §6.3); otherwise the close ends the body.
      this.chunked = valueEnd - valueStart >= CHUNKED.length && equals(src, valueEnd - CHUNKED.length, CHUNKED, true);
    } else if (nameLength === CONNECTION.length && equals(src, start, CONNECTION, true)) {
      for (let t = valueStart; t < valueEnd; ) {
        let tokenEnd = t;
        while (tokenEnd < valueEnd && src[tokenEnd] !== COMMA) tokenEnd++;
        let a = t;
        let b = tokenEnd;
        while (a < b && (src[a] === SP || src[a] === HTAB)) a++;
        while (b > a && (src[b - 1] === SP || src[b - 1] === HTAB)) b--;
        if (b - a === CLOSE.length && equals(src, a, CLOSE, true)) this.closeSeen = true;
        else if (b - a === KEEP_ALIVE.length && equals(src, a, KEEP_ALIVE, true)) this.keepAliveSeen = true;
        t = tokenEnd + 1;
      }
    }
  }

  /** The empty line after the headers: decide how the body is framed. True when the response is complete. */
  private endOfHead(): boolean {
    const status = this.status;
    if (status >= 100 && status < 200 && status !== 101) {
      // An interim response (100 Continue, 103 Early Hints): the real one follows. Interim heads
      // count towards the final head's limit, so that endless 1xx responses fail instead of hanging.
      const headBytes = this.headBytes;
      this.startHead();
      this.headBytes = headBytes;
      return false;
    }
    this.keepAlive = this.http10 ? this.keepAliveSeen && !this.closeSeen : !this.closeSeen;
    if (this.headOnly || status === 204 || status === 304 || status === 101) {
      this.complete();
      return true;
    }
    if (this.chunked && this.contentLength !== -1) {
      // Both framings at once: the body's end is ambiguous (a response-splitting vector, RFC 9112 §6.3).
      this.fail('both Content-Length and Transfer-Encoding: chunked');
      return false;
    }
    if (this.chunked) {
      this.state = CHUNK_SIZE;
      this.remaining = 0;
    } else if (this.contentLength >= 0) {
      if (this.contentLength === 0) {
        this.complete();
        return true;
      }
      this.state = BODY;
      this.remaining = this.contentLength;
    } else {
      this.state = UNTIL_CLOSE;
      this.keepAlive = false;
    }
    return false;
  }

  /** A chunk-size line: hex digits, optional `;extensions`. True when the response is complete. */
  private chunkSize(src: Uint8Array, start: number, end: number): boolean {
    let size = 0;
    let digits = 0;
    let i = start;
    for (; i < end && src[i] !== SEMICOLON && src[i] !== SP && src[i] !== HTAB; i++) {
      const v = hexValue(src[i]!);
      if (v < 0 || ++digits > MAX_CHUNK_SIZE_DIGITS) {
        this.fail(`invalid chunk size ${JSON.stringify(printable(src, start, end))}`);
        return false;
      }
      size = size * 16 + v;
    }
    if (digits === 0) {
      this.fail('empty chunk size line');
      return false;
    }
    if (size === 0) {
      this.state = TRAILER;
      return false;
    }
    this.state = CHUNK_DATA;
    this.remaining = size;
    return false;
  }

  /** Copies a cut line aside. False (and failed) when the line would exceed its limit. */
  private keep(src: Uint8Array, start: number, end: number): boolean {
    const length = end - start;
    const limit = this.state === CHUNK_SIZE ? MAX_CHUNK_LINE_BYTES : MAX_RESPONSE_HEAD_BYTES - this.headBytes;
    if (this.pendingLength + length > limit) {
      this.fail(
        this.state === CHUNK_SIZE
          ? `chunk size line longer than ${MAX_CHUNK_LINE_BYTES} bytes`
          : `response head larger than ${MAX_RESPONSE_HEAD_BYTES} bytes`,
      );
      return false;
    }
    if (this.state !== CHUNK_SIZE) this.headBytes += length;
    const needed = this.pendingLength + length;
    if (this.pending === undefined || this.pending.length < needed) {
      const grown = new Uint8Array(Math.max(256, needed * 2));
      if (this.pending !== undefined) grown.set(this.pending.subarray(0, this.pendingLength));
      this.pending = grown;
    }
    this.pending.set(src.subarray(start, end), this.pendingLength);
    this.pendingLength = needed;
    return true;
  }

  private countHead(lineBytes: number): boolean {
    this.headBytes += lineBytes;
    if (this.headBytes <= MAX_RESPONSE_HEAD_BYTES) return true;
    this.fail(`response head larger than ${MAX_RESPONSE_HEAD_BYTES} bytes`);
    return false;
  }

  private complete(): void {
    this.state = HEAD;
    this.startHead();
  }

  private startHead(): void {
    this.awaitingStatusLine = true;
    this.http10 = false;
    this.contentLength = -1;
    this.chunked = false;
    this.closeSeen = false;
    this.keepAliveSeen = false;
    this.headBytes = 0;
    this.remaining = 0;
  }

  private fail(reason: string): number {
    this.state = FAILED;
    this.error = reason;
    this.pending = undefined;
    this.pendingLength = 0;
    return FRAMING_FAILED;
  }
}

function ascii(text: string): Uint8Array {
  return Uint8Array.from(text, (ch) => ch.charCodeAt(0));
}

/** `src[at, at + bytes.length)` equals `bytes`; `foldCase` for lower-case letters and '-' only. */
function equals(src: Uint8Array, at: number, bytes: Uint8Array, foldCase: boolean): boolean {
  const fold = foldCase ? 0x20 : 0;
  for (let i = 0; i < bytes.length; i++) if ((src[at + i]! | fold) !== bytes[i]) return false;
  return true;
}

function isDigit(byte: number): boolean {
  return byte >= 0x30 && byte <= 0x39;
}

function hexValue(byte: number): number {
  if (byte >= 0x30 && byte <= 0x39) return byte - 0x30;
  const lower = byte | 0x20;
  if (lower >= 0x61 && lower <= 0x66) return lower - 0x61 + 10;
  return -1;
}

/** A short, printable excerpt of bytes for an error message. */
function printable(src: Uint8Array, start: number, end: number): string {
  let out = '';
  for (let i = start; i < Math.min(end, start + 60); i++) {
    const b = src[i]!;
    out += b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '.';
  }
  return end - start > 60 ? `${out}…` : out;
}
