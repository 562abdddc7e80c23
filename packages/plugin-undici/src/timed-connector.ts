/**
 * An undici connector that times each TCP (or TLS) connect into a histogram, counts connections
 * opened and keeps the sockets so that response bytes can be read from `socket.bytesRead` instead
 * of being summed per chunk. With HTTP/2 it offers `h2` in the TLS handshake (ALPN) and refuses a
 * connection on which the server chose anything else: undici would speak HTTP/1.1 on it silently.
 */

import type { Socket } from 'node:net';
import type { TLSSocket } from 'node:tls';
import type { Histogram } from '@iobench/core/histogram';
import { nowUs } from '@iobench/load-kit/thread';
import { buildConnector } from 'undici';
import type { TlsSpec } from './thread-spec.js';

/**
 * The error a connect fails with when `http2` is asked and the server's TLS handshake did not choose
 * `h2`. The load thread ends the run on it (every connection to that server would be refused alike)
 * and hands `origin` and `chosen` to the parent, which words the refusal (core's `notHttp2Error`).
 */
export class Http2NotNegotiatedError extends Error {
  readonly code = 'IOBENCH_H2_NOT_NEGOTIATED';
  constructor(
    readonly origin: string,
    /** The protocol the server chose with ALPN; false: none. */
    readonly chosen: string | false,
  ) {
    super(`${origin}: the TLS handshake did not negotiate h2`);
    this.name = 'Http2NotNegotiatedError';
  }
}

export interface TimedConnectorOptions {
  connectTimeoutMs: number;
  /** The interface of a link-local IPv6 target, appended to its address (`fe80::1%iob1`). */
  zone?: string;
  /** Certificate checks for https:// (undici sends the URL's host name as SNI, none for an IP). */
  tls?: TlsSpec;
  /** Offer h2 with ALPN and refuse a connection that does not negotiate it. */
  http2: boolean;
}

export class TimedConnector {
  opened = 0;
  private closedBytes = 0;
  private readonly sockets = new Set<Socket>();
  readonly connect: buildConnector.connector;

  constructor(histogram: Histogram, { connectTimeoutMs, zone, tls, http2 }: TimedConnectorOptions) {
    const base = buildConnector({ timeout: connectTimeoutMs, allowH2: http2, ...tls });
    this.connect = (options, callback) => {
      const startUs = nowUs();
      base(zone === undefined ? options : { ...options, hostname: `${options.hostname}%${zone}` }, (err, socket) => {
        if (err !== null) {
          callback(err, null);
          return;
        }
        const chosen = (socket as TLSSocket).alpnProtocol ?? false;
        if (http2 && chosen !== 'h2') {
          socket.destroy();
          callback(new Http2NotNegotiatedError(`${options.protocol}//${options.host}`, chosen), null);
          return;
        }
        histogram.recordValue(Math.round(nowUs() - startUs));
        this.opened++;
        this.sockets.add(socket);
        socket.once('close', () => {
          this.closedBytes += socket.bytesRead;
          this.sockets.delete(socket);
        });
        callback(null, socket);
      });
    };
  }

  /** Bytes read so far on every socket this connector opened, closed or not. */
  bytesRead(): number {
    let total = this.closedBytes;
    for (const socket of this.sockets) total += socket.bytesRead;
    return total;
  }
}
