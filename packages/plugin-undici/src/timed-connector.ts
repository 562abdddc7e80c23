/**
 * An undici connector that times each TCP (or TLS) connect into a histogram, counts connections
 * opened and keeps the sockets so that response bytes can be read from `socket.bytesRead` instead
 * of being summed per chunk.
 */

import type { Socket } from 'node:net';
import type { Histogram } from '@iobench/core/histogram';
import { nowUs } from '@iobench/load-kit/thread';
import { buildConnector } from 'undici';
import type { TlsSpec } from './thread-spec.js';

export class TimedConnector {
  opened = 0;
  private closedBytes = 0;
  private readonly sockets = new Set<Socket>();
  readonly connect: buildConnector.connector;

  /**
   * `zone`: the interface of a link-local IPv6 target, appended to its address (`fe80::1%iob1`).
   * `tls`: certificate checks for https:// (undici sends the URL's host name as SNI, none for an IP).
   */
  constructor(connectTimeoutMs: number, histogram: Histogram, zone?: string, tls?: TlsSpec) {
    const base = buildConnector({ timeout: connectTimeoutMs, ...tls });
    this.connect = (options, callback) => {
      const startUs = nowUs();
      base(zone === undefined ? options : { ...options, hostname: `${options.hostname}%${zone}` }, (err, socket) => {
        if (err === null) {
          histogram.recordValue(Math.round(nowUs() - startUs));
          this.opened++;
          this.sockets.add(socket);
          socket.once('close', () => {
            this.closedBytes += socket.bytesRead;
            this.sockets.delete(socket);
          });
          callback(null, socket);
        } else {
          callback(err, null);
        }
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
