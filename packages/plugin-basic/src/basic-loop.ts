/**
 * The blocking iterative I/O model (the original experiment's basic server): blocking accept, then serve that one
 * connection with blocking recv/send until it is done, then close and accept the next. Without
 * keep-alive each connection carries one request; with it, one client that keeps its connection open
 * holds the only thread and every other connection waits in the listen backlog (starvation).
 *
 * Timeouts: the listening socket carries SO_RCVTIMEO / SO_SNDTIMEO of one timeout check interval,
 * inherited by each accepted socket, so every blocking call returns at least that often (EAGAIN when
 * nothing came) and the loop applies the header and idle timeouts between calls. No readiness wait,
 * and no syscall per request for it.
 */
import { type LoopContext, Want } from '@iobench/server-kit';
import * as sys from '@iobench/syscalls';

const { constants: c } = sys;

export default function runBasicLoop(ctx: LoopContext<unknown>): void {
  const { server, listenFd } = ctx;
  const timeouts = server.timeoutCheckMs > 0;
  ctx.ready();
  while (!ctx.stopRequested()) {
    // EAGAIN when the accept timed out; EINVAL once stop shut the listening socket down (the loop
    // condition ends it).
    const fd = server.accept(listenFd, c.SOCK_CLOEXEC);
    if (fd < 0) continue;
    // Publish the fd before re-checking the stop flag: either the host sees it and shuts it down, or
    // we see the flag (both sides use sequentially consistent atomics).
    ctx.setCurrentFd(fd);
    const conn = server.open(fd);
    let want: Want = ctx.stopRequested() ? server.close(conn) : Want.read;
    while (want !== Want.closed) {
      want = want === Want.write ? server.onWritable(conn) : server.onReadable(conn);
      // One clock read per blocking call; expire is a few comparisons unless a timeout is due.
      if (timeouts && want !== Want.closed) {
        server.tick();
        want = server.expire(conn);
      }
    }
    ctx.setCurrentFd(-1);
  }
}
