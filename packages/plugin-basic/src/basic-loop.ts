/**
 * The blocking iterative I/O model (the seed's basic server): blocking accept, then serve that one
 * connection with blocking recv/send until it is done, then close and accept the next. Without
 * keep-alive each connection carries one request; with it, one client that keeps its connection open
 * holds the only thread and every other connection waits in the listen backlog (starvation).
 */
import { type LoopContext, Want } from '@iobench/server-kit';
import * as sys from '@iobench/syscalls';

const { constants: c } = sys;

export default function runBasicLoop(ctx: LoopContext<unknown>): void {
  const { server, listenFd } = ctx;
  ctx.ready();
  while (!ctx.stopRequested()) {
    const fd = server.accept(listenFd, c.SOCK_CLOEXEC);
    if (fd < 0) continue; // EINVAL once stop shut the listening socket down; the loop condition ends it
    // Publish the fd before re-checking the stop flag: either the host sees it and shuts it down, or
    // we see the flag (both sides use sequentially consistent atomics).
    ctx.setCurrentFd(fd);
    const conn = server.open(fd);
    let want: Want = ctx.stopRequested() ? server.close(conn) : Want.read;
    while (want !== Want.closed) {
      want = want === Want.write ? server.onWritable(conn) : server.onReadable(conn);
    }
    ctx.setCurrentFd(-1);
  }
}
