/**
 * Idle keep-alive connections held open during a measured phase: the variable under which select
 * and poll fall behind epoll (every loop iteration pays for every watched fd, busy or not).
 */
import { connect, type Socket } from 'node:net';
import { parseZonedUrl } from '@iobench/core';

const CONNECT_TIMEOUT_MS = 5000;

export interface IdleConnections {
  /** How many are still open (the server may close or refuse some, e.g. select past FD_SETSIZE). */
  held(): number;
  close(): void;
}

/**
 * Opens `count` TCP connections to the URL's host and port and keeps them open, sending nothing.
 * The host may carry an IPv6 zone (`http://[fe80::1%iob1]:8080/`, as under `--netns`).
 */
export async function openIdleConnections(url: string, count: number): Promise<IdleConnections> {
  const { connectHost: host, port } = parseZonedUrl(url);
  const sockets: Socket[] = [];
  let open = 0;
  await Promise.all(
    Array.from(
      { length: count },
      () =>
        new Promise<void>((resolve) => {
          const socket = connect({ host, port });
          sockets.push(socket);
          const timer = setTimeout(() => {
            socket.destroy();
            resolve();
          }, CONNECT_TIMEOUT_MS);
          socket.once('connect', () => {
            open++;
            clearTimeout(timer);
            socket.once('close', () => open--);
            resolve();
          });
          socket.on('error', () => {
            clearTimeout(timer);
            resolve();
          });
          socket.on('data', () => {});
        }),
    ),
  );
  return {
    held: () => open,
    close: () => {
      for (const s of sockets) s.destroy();
    },
  };
}
