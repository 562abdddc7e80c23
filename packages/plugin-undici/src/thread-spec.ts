/**
 * What one undici generator thread is asked to do and what it reports back. Both cross worker-thread
 * boundaries through structured clone, so they hold plain data only (histograms encoded).
 */
import type { LoadShare, ThreadResult } from '@iobench/load-kit/thread';

export interface ThreadSpec extends LoadShare {
  /** `protocol://host:port` of the target. */
  origin: string;
  /** The requests each connection cycles through (at least one). */
  requestList: ThreadRequest[];
  /** Requests in flight per connection. */
  pipelining: number;
  durationMs: number;
  timeoutMs: number;
  /** Source address to bind connections to. */
  localAddress?: string;
  /** Zone (interface) of a link-local IPv6 target, e.g. `iob1` from `http://[fe80::1%iob1]:8080/`. */
  zone?: string;
  /** https:// targets: how the server's certificate is checked (the server name sent is the URL's host). */
  tls?: TlsSpec;
  /** HTTP/2: every connection must negotiate `h2` with ALPN; `pipelining` is streams per connection. */
  http2: boolean;
}

/** One request of the list, as undici's dispatch takes it. */
export interface ThreadRequest {
  method: string;
  /** Request path with query, starting with `/`. */
  path: string;
  /** Request headers as a flat `[name, value, ...]` list. */
  headers: string[];
  body?: Uint8Array;
}

/** Certificate checks of an https:// target, as `tls.connect` options (plain data: it crosses to workers). */
export interface TlsSpec {
  /** False with `--insecure`: any certificate is accepted. */
  rejectUnauthorized: boolean;
  /** PEM certificates trusted: the system's plus those of `--cacert`. */
  ca?: string[];
}

/** A thread's result, with what only undici can report. */
export interface UndiciThreadResult extends ThreadResult {
  /** Why undici refused to send the request at all (invalid header, path...), when it did. */
  requestRejected?: string;
  /** With `http2`: a connection refused because its TLS handshake chose `chosen` (false: nothing), not h2. */
  http2Refused?: { origin: string; chosen: string | false };
}
