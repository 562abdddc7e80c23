/**
 * The io_uring I/O model: one thread, one ring, no readiness syscalls. A round is one
 * io_uring_enter that submits everything queued since the last one and waits for at least one
 * completion; then every completion is handled in JS straight from the mapped CQ ring, which queues
 * the next SQEs (sends, re-armed receives) for the next round. With multishot accept and recv a
 * keep-alive request costs a share of one io_uring_enter and no other syscall.
 *
 * Stop: the host's eventfd write completes a poll armed on it; the loop then cancels every request,
 * reaps the cancellations (bounded), closes the connections and tears the ring down, so that no
 * request keeps the listening socket (the port) alive after the thread ends.
 */
import type { LoopContext } from '@iobench/server-kit';
import * as sys from '@iobench/syscalls';
import { openRing, setupFacts, type UringChoices, type UringSetup } from './ring-setup.js';
import { Op, UringCounter, userData } from './uring-ops.js';
import { UringServer } from './uring-server.js';

const { constants: c } = sys;

/** How long the stop may wait for cancelled requests to complete (the contract allows 2 s in all). */
const DRAIN_MS = 800;

/** Options the loop reads (beyond the common ones the loop context uses). */
export type UringLoopOptions = UringChoices;

/** Serves until the host asks to stop. */
export default function runUringLoop(ctx: LoopContext<UringLoopOptions>): void {
  const setup = openRing(ctx.options);
  const server = new UringServer(ctx.serverOptions, setup, ctx.listenFd, ctx.extra);
  try {
    server.armAccept();
    armWake(server, setup, ctx.wakeFd);
    ctx.ready(setupFacts(setup));
    while (!ctx.stopRequested()) round(server, setup, ctx.extra, server.waitMs());
    drain(server, setup, ctx.extra);
  } finally {
    for (const conn of server.conns) if (conn !== undefined && conn.fd >= 0) sys.close(conn.fd);
    server.dispose();
    setup.buffers?.release();
    setup.ring.close();
  }
}

/** A poll on the wake eventfd: it completes when the host writes it to stop the loop. */
function armWake(server: UringServer, setup: UringSetup, wakeFd: number): void {
  setup.ring.prep(c.IORING_OP_POLL_ADD, wakeFd, 0, 0, c.POLLIN, 0, userData(wakeFd, Op.wake));
  server.inFlight++;
}

/** One io_uring_enter (waiting at most `waitMs`, -1 = until a completion) and every completion. */
function round(server: UringServer, setup: UringSetup, extra: Float64Array, waitMs: number): void {
  const { ring } = setup;
  const rc = ring.submitAndWait(1, waitMs);
  // ETIME: the wait ended for a timeout check; EBUSY/EAGAIN: reap first, the SQEs stay queued.
  if (rc < 0 && rc !== -c.EINTR && rc !== -c.ETIME && rc !== -c.EBUSY && rc !== -c.EAGAIN) {
    throw new Error(`io_uring_enter failed with errno ${-rc}`);
  }
  server.tick();
  const n = ring.ready();
  for (let i = 0; i < n; i++) server.complete(ring.userData(i), ring.res(i), ring.cqeFlags(i));
  ring.advance(n);
  extra[UringCounter.completions] += n;
  // Buffers recycled this round go back to the kernel in one store, before the next enter.
  setup.buffers?.publish();
  if (server.checkDue()) server.expireAll();
}

/** Cancels every request and reaps until none is in flight or DRAIN_MS passed. */
function drain(server: UringServer, setup: UringSetup, extra: Float64Array): void {
  server.stopping = true;
  server.cancelAccept();
  for (const conn of server.conns) if (conn !== undefined) server.close(conn);
  const deadline = performance.now() + DRAIN_MS;
  while (server.inFlight > 0 && performance.now() < deadline) {
    round(server, setup, extra, Math.max(1, Math.ceil(deadline - performance.now())));
  }
}
