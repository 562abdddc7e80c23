/** Checks that a target URL accepts TCP connections (and speaks HTTP/2 when asked) before any load is sent to it. */
import { connect, isIP } from 'node:net';
import { connect as connectTls } from 'node:tls';
import { notHttp2Error, parseZonedUrl, TargetUnreachableError } from '@iobench/core';

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

/**
 * `--http2`: refuses (ConfigError) an https:// target whose TLS handshake chooses anything but `h2`
 * when offered `h2` and `http/1.1`, so that a run does not start only to fail every point. The
 * certificate is not checked here (the generator checks it with its own trust options, and counts a
 * failure as `tls` errors); nor is a failed handshake refused here, for the same reason.
 */
export async function checkTargetSpeaksHttp2(url: string): Promise<void> {
  const { url: parsed, connectHost: host, port } = parseZonedUrl(url);
  const name = parsed.hostname.replace(/^\[|\]$/g, '');
  const chosen = await new Promise<string | false | undefined>((resolve) => {
    const socket = connectTls({
      host,
      port,
      ALPNProtocols: ['h2', 'http/1.1'],
      rejectUnauthorized: false,
      ...(isIP(name) === 0 ? { servername: name } : {}),
      timeout: CONNECT_TIMEOUT_MS,
    });
    const done = (protocol: string | false | undefined) => {
      socket.destroy();
      resolve(protocol);
    };
    socket.once('secureConnect', () => done(socket.alpnProtocol ?? false));
    socket.once('timeout', () => done(undefined));
    socket.once('error', () => done(undefined));
  });
  if (chosen === undefined || chosen === 'h2') return;
  throw notHttp2Error(`target ${url}`, chosen);
}
