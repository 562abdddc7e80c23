import assert from 'node:assert/strict';
import { once } from 'node:events';
import net from 'node:net';
import { test } from 'node:test';
import * as sys from './index.js';

const { constants: c } = sys;
const support = sys.ioUringSupport();
const skip = support.available ? false : `io_uring unavailable here: ${support.available ? '' : support.reason}`;

/** Reaps every ready CQE as [userData, res, flags]. */
function reap(ring: sys.IoUring): Array<[number, number, number]> {
  const n = ring.ready();
  const out: Array<[number, number, number]> = [];
  for (let i = 0; i < n; i++) out.push([ring.userData(i), ring.res(i), ring.cqeFlags(i)]);
  ring.advance(n);
  return out;
}

test('a NOP goes round the ring in one io_uring_enter, and the counters see it', { skip }, () => {
  const counters = new sys.SyscallCounters();
  sys.useCounters(counters);
  const ring = new sys.IoUring(8, 0, 16);
  try {
    assert.equal(ring.cqEntries, 16);
    ring.prep(c.IORING_OP_NOP, -1, 0, 0, 0, 0, 42);
    assert.equal(ring.pending, 1);
    assert.equal(ring.submitAndWait(1), 1);
    assert.deepEqual(reap(ring), [[42, 0, 0]]);
    assert.equal(ring.pending, 0);
  } finally {
    ring.close();
    sys.useCounters(null);
  }
  const counts = counters.snapshot();
  assert.equal(counts.io_uring_setup, 1);
  assert.equal(counts.io_uring_enter, 1);
  assert.ok((counts.mmap ?? 0) >= 2, JSON.stringify(counts));
});

test('a full submission queue is submitted before the next SQE is written', { skip }, () => {
  const ring = new sys.IoUring(4, 0, 64);
  try {
    for (let i = 0; i < 10; i++) ring.prep(c.IORING_OP_NOP, -1, 0, 0, 0, 0, i);
    ring.submitAndWait(10);
    assert.deepEqual(
      reap(ring).map(([ud]) => ud),
      [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
    );
  } finally {
    ring.close();
  }
});

test('multishot accept, multishot recv into provided buffers and a send serve a real client', { skip }, async () => {
  const listener = sys.socket(c.AF_INET, c.SOCK_STREAM | c.SOCK_CLOEXEC);
  sys.bind(listener, '127.0.0.1', 0);
  sys.listen(listener, 8);
  const ring = new sys.IoUring(16, 0, 64);
  const buffers = new sys.ProvidedBuffers(ring, 3, 4, 1024);
  const client = net.connect(sys.localAddress(listener).port, '127.0.0.1');
  let fd = -1;
  try {
    await once(client, 'connect');
    ring.prep(c.IORING_OP_ACCEPT, listener, 0, 0, c.SOCK_CLOEXEC, c.IORING_ACCEPT_MULTISHOT, 1);
    ring.submitAndWait(1, 2000);
    const [accepted] = reap(ring);
    assert.equal(accepted?.[0], 1);
    fd = accepted![1];
    assert.ok(fd >= 0 && (accepted![2] & c.IORING_CQE_F_MORE) !== 0, 'the accept stays armed');
    ring.prep(c.IORING_OP_RECV, fd, 0, 0, 0, c.IORING_RECV_MULTISHOT, 2, c.IOSQE_BUFFER_SELECT, buffers.group);
    ring.submitAndWait(0);
    client.write('ping');
    ring.submitAndWait(1, 2000);
    const [received] = reap(ring);
    const [ud, n, flags] = received!;
    assert.equal(ud, 2);
    assert.equal(n, 4);
    assert.ok((flags & c.IORING_CQE_F_BUFFER) !== 0 && (flags & c.IORING_CQE_F_MORE) !== 0);
    const bid = flags >>> c.IORING_CQE_BUFFER_SHIFT;
    const at = buffers.offset(bid);
    assert.equal(Buffer.from(buffers.bytes.subarray(at, at + n)).toString(), 'ping');
    buffers.recycle(bid);
    buffers.publish();
    const pong = new TextEncoder().encode('pong');
    ring.prep(c.IORING_OP_SEND, fd, sys.address(pong), pong.length, c.MSG_NOSIGNAL, 0, 3);
    const [data] = await Promise.all([once(client, 'data'), ring.submitAndWait(1, 2000)]);
    assert.equal(String(data[0]), 'pong');
    assert.deepEqual(reap(ring), [[3, 4, 0]]);
    ring.prep(c.IORING_OP_ASYNC_CANCEL, -1, 0, 0, c.IORING_ASYNC_CANCEL_ANY | c.IORING_ASYNC_CANCEL_ALL, 0, 9);
    ring.submitAndWait(3, 2000);
    assert.deepEqual(reap(ring).sort(), [
      [1, -c.ECANCELED, 0],
      [2, -c.ECANCELED, 0],
      [9, 2, 0],
    ]);
  } finally {
    client.destroy();
    buffers.release();
    ring.close();
    sys.close(listener);
    if (fd >= 0) sys.close(fd);
  }
});

test('after close the ring views are detached: touching them throws instead of reading unmapped memory', {
  skip,
}, () => {
  const ring = new sys.IoUring(4, 0, 8);
  ring.close();
  assert.throws(() => ring.ready(), TypeError);
  assert.throws(() => ring.prep(c.IORING_OP_NOP, -1, 0, 0, 0, 0, 1), TypeError);
});

test('ioUringSupport probes the ops the server needs; failures are explained with a fix', () => {
  if (support.available) assert.ok(support.ops[c.IORING_OP_RECV] && support.ops[c.IORING_OP_ACCEPT]);
  assert.match(sys.explainSetupFailure(c.EPERM, 2).reason, /io_uring_disabled = 2/);
  assert.match(sys.explainSetupFailure(c.EPERM, 1).fix, /io_uring_group|io_uring_disabled=0/);
  assert.match(sys.explainSetupFailure(c.EPERM, 0).reason, /seccomp/);
  assert.match(sys.explainSetupFailure(c.ENOSYS, undefined).reason, /ENOSYS.*seccomp/);
});

test('CONNECT takes its address length in the offset word; submitAndWaitUs bounds a wait in microseconds', {
  skip,
}, async () => {
  const server = net.createServer((socket) => socket.end());
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as net.AddressInfo;
  const ring = new sys.IoUring(8, 0, 16);
  const fd = sys.socket(c.AF_INET, c.SOCK_STREAM | c.SOCK_CLOEXEC);
  try {
    const started = performance.now();
    assert.equal(ring.submitAndWaitUs(1, 3000), -c.ETIME, 'nothing to complete: the wait times out');
    const waitedMs = performance.now() - started;
    assert.ok(waitedMs >= 2.5 && waitedMs < 500, `waited ${waitedMs} ms`);
    const addr = sys.sockaddr('127.0.0.1', port);
    ring.prep(c.IORING_OP_CONNECT, fd, sys.address(addr), 0, 0, 0, 7, 0, 0, addr.length);
    let cqes: Array<[number, number, number]> = [];
    for (let i = 0; i < 100 && cqes.length === 0; i++) {
      ring.submitAndWaitUs(1, 20_000);
      cqes = reap(ring);
    }
    assert.deepEqual(cqes, [[7, 0, 0]]);
  } finally {
    sys.close(fd);
    ring.close();
    server.close();
  }
});
