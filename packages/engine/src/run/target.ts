/** Checks that a target URL accepts TCP connections before any load is sent to it. */
import { connect } from 'node:net';
import { parseZonedUrl, TargetUnreachableError } from '@iobench/core';

const CONNECT_TIMEOUT_MS = 3000;

/** Resolves when `url`'s host and port accept a TCP connection; the host may carry an IPv6 zone. */
export async function checkTargetReachable(url: string): Promise<void> {
  const { connectHost: host, port } = parseZonedUrl(url);
  await new Promise<void>((resolve, reject) => {
    const socket = connect({ host, port, timeout: CONNECT_TIMEOUT_MS });
    const fail = (why: string, cause?: unknown) => {
      socket.destroy();
      reject(
        new TargetUnreachableError(`target ${url} does not accept connections: ${why}`, {
          cause,
          suggestions: ['Check that the server is running and listening on that address and port.'],
        }),
      );
    };
    socket.once('connect', () => {
      socket.end();
      resolve();
    });
    socket.once('timeout', () => fail(`no answer within ${CONNECT_TIMEOUT_MS} ms`));
    socket.once('error', (err: NodeJS.ErrnoException) =>
      fail(err.code === 'ECONNREFUSED' ? `connection refused by ${host}:${port}` : err.message, err),
    );
  });
}
