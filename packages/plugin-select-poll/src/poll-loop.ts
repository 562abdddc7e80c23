/**
 * The poll(2) I/O model: one thread, every socket non-blocking, readiness from poll over an array of
 * struct pollfd that the loop edits in place (POLLIN while reading, POLLOUT while a response waits
 * for send buffer space). No FD_SETSIZE limit; the kernel still scans the whole array every call.
 * poll waits no longer than the next timeout check (see ConnectionServer), one clock reading per wake.
 */
import { type Connection, type LoopContext, Want } from '@iobench/server-kit';
import * as sys from '@iobench/syscalls';

const { constants: c } = sys;
const MAX_ACCEPTS_PER_WAKE = 64;

export default function runPollLoop(ctx: LoopContext<unknown>): void {
  const { server, listenFd, wakeFd } = ctx;
  const set = new sys.PollSet(1024);
  const conns: (Connection | undefined)[] = [];
  set.add(listenFd, c.POLLIN);
  set.add(wakeFd, c.POLLIN);

  const acceptAll = () => {
    for (let i = 0; i < MAX_ACCEPTS_PER_WAKE; i++) {
      const fd = server.accept(listenFd, c.SOCK_NONBLOCK | c.SOCK_CLOEXEC);
      if (fd === -c.EAGAIN) return;
      if (fd < 0) continue;
      const conn = server.open(fd);
      conn.interest = Want.read;
      conns[fd] = conn;
      set.add(fd, c.POLLIN);
    }
  };

  /** What a serve step or timeout check returned for `conn` at index `i`, applied to the poll array. */
  const apply = (conn: Connection, fd: number, i: number, want: Want) => {
    if (want === conn.interest) return;
    conn.interest = want;
    if (want === Want.closed) {
      conns[fd] = undefined;
      set.remove(fd);
    } else {
      set.setEvents(i, want === Want.write ? c.POLLOUT : c.POLLIN);
    }
  };

  ctx.ready();
  try {
    while (!ctx.stopRequested()) {
      const n = set.poll(server.waitMs());
      server.tick();
      if (n < 0) {
        if (n === -c.EINTR) continue;
        throw new Error(`poll failed with errno ${-n}`);
      }
      // Backwards, so that an entry moved into a removed one's slot was already visited, and entries
      // appended by accept are not.
      for (let i = set.count - 1, left = n; i >= 0 && left > 0; i--) {
        const revents = set.revents(i);
        if (revents === 0) continue;
        left--;
        const fd = set.fd(i);
        if (fd === listenFd) acceptAll();
        // The stop eventfd is never read: it stays readable so that every loop of the server wakes.
        else if (fd !== wakeFd) {
          const conn = conns[fd]!;
          const want =
            (revents & c.POLLNVAL) !== 0
              ? server.close(conn)
              : conn.interest === Want.write
                ? server.onWritable(conn)
                : server.onReadable(conn);
          apply(conn, fd, i, want);
        }
      }
      if (server.checkDue()) {
        // Backwards for the same reason: a removal moves the last entry into the freed slot.
        for (let i = set.count - 1; i >= 0; i--) {
          const fd = set.fd(i);
          const conn = conns[fd];
          if (conn !== undefined) apply(conn, fd, i, server.expire(conn));
        }
      }
    }
  } finally {
    for (const conn of conns) if (conn !== undefined) server.close(conn);
  }
}
