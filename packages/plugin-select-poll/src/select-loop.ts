/**
 * The select(2) I/O model: one thread, every socket non-blocking, readiness from select over two
 * fd_set bitmaps rebuilt from master copies before every call — the O(maxfd) scan per round that
 * makes select what it is. fds >= FD_SETSIZE (1024) cannot be put in an fd_set at all: such a
 * connection is refused (closed and counted) and the loop keeps serving the others. select waits no
 * longer than the next timeout check (see ConnectionServer), one clock reading per wake.
 */
import { type Connection, type LoopContext, Want } from '@iobench/server-kit';
import * as sys from '@iobench/syscalls';

const { constants: c } = sys;
const FD_SETSIZE = c.FD_SETSIZE;
const MAX_ACCEPTS_PER_WAKE = 64;

export default function runSelectLoop(ctx: LoopContext<unknown>): void {
  const { server, listenFd, wakeFd } = ctx;
  if (listenFd >= FD_SETSIZE || wakeFd >= FD_SETSIZE) {
    throw new RangeError(`select needs its listening and wake fds below FD_SETSIZE (got ${listenFd}, ${wakeFd})`);
  }
  const readMaster = sys.createFdSet();
  const writeMaster = sys.createFdSet();
  const readSet = sys.createFdSet();
  const writeSet = sys.createFdSet();
  const conns: (Connection | undefined)[] = new Array(FD_SETSIZE).fill(undefined);
  let maxFd = Math.max(listenFd, wakeFd);
  let writers = 0;
  sys.fdSet(readMaster, listenFd);
  sys.fdSet(readMaster, wakeFd);

  /** Moves `fd` between the master sets after a serve step; forgets it once closed. */
  const apply = (conn: Connection, fd: number, want: Want) => {
    if (want === conn.interest) return;
    const bit = 1 << (fd & 7);
    const byte = fd >> 3;
    if (conn.interest === Want.write) {
      writeMaster[byte]! &= ~bit;
      writers--;
    } else {
      readMaster[byte]! &= ~bit;
    }
    conn.interest = want;
    if (want === Want.write) {
      writeMaster[byte]! |= bit;
      writers++;
    } else if (want === Want.read) {
      readMaster[byte]! |= bit;
    } else {
      conns[fd] = undefined;
      while (maxFd > 0 && !isSet(readMaster, maxFd) && !isSet(writeMaster, maxFd)) maxFd--;
    }
  };

  const acceptAll = () => {
    for (let i = 0; i < MAX_ACCEPTS_PER_WAKE; i++) {
      const fd = server.accept(listenFd, c.SOCK_NONBLOCK | c.SOCK_CLOEXEC);
      if (fd === -c.EAGAIN) return;
      if (fd < 0) continue;
      if (fd >= FD_SETSIZE) {
        server.refuse(fd, 'fdSetSize');
        continue;
      }
      const conn = server.open(fd);
      conn.interest = Want.read;
      conns[fd] = conn;
      readMaster[fd >> 3]! |= 1 << (fd & 7);
      if (fd > maxFd) maxFd = fd;
    }
  };

  ctx.ready();
  try {
    while (!ctx.stopRequested()) {
      readSet.set(readMaster);
      const checkWrites = writers > 0;
      if (checkWrites) writeSet.set(writeMaster);
      const n = sys.select(maxFd + 1, readSet, checkWrites ? writeSet : null, server.waitMs());
      server.tick();
      if (n < 0) {
        if (n === -c.EINTR) continue;
        throw new Error(`select failed with errno ${-n}`);
      }
      const lastByte = maxFd >> 3;
      for (let byte = 0, left = n; byte <= lastByte && left > 0; byte++) {
        const bits = readSet[byte]! | (checkWrites ? writeSet[byte]! : 0);
        if (bits === 0) continue;
        for (let bit = 0; bit < 8; bit++) {
          if ((bits & (1 << bit)) === 0) continue;
          left--;
          const fd = (byte << 3) | bit;
          if (fd === listenFd) acceptAll();
          // The stop eventfd is never read: it stays readable so that every loop of the server wakes.
          else if (fd !== wakeFd) {
            const conn = conns[fd];
            if (conn === undefined) continue;
            apply(conn, fd, conn.interest === Want.write ? server.onWritable(conn) : server.onReadable(conn));
          }
        }
      }
      if (server.checkDue()) {
        for (let fd = 0; fd <= maxFd; fd++) {
          const conn = conns[fd];
          if (conn !== undefined) apply(conn, fd, server.expire(conn));
        }
      }
    }
  } finally {
    for (const conn of conns) if (conn !== undefined) server.close(conn);
  }
}

function isSet(set: Uint8Array, fd: number): boolean {
  return (set[fd >> 3]! & (1 << (fd & 7))) !== 0;
}
