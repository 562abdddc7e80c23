import assert from 'node:assert/strict';
import { once } from 'node:events';
import net from 'node:net';
import { test } from 'node:test';
import * as sys from './index.js';

const { constants: c } = sys;

/** Waits (up to 2 s) until epoll reports `fd`, returning its event mask. */
function waitFor(epfd: number, fd: number): number {
  const events = new Int32Array(8);
  const n = sys.epollWaitUs(epfd, events, 4, 2_000_000);
  assert.ok(n >= 1, `epoll_pwait2 returned ${n}`);
  assert.equal(events[1], fd);
  return events[0]!;
}

for (const host of ['127.0.0.1', '::1']) {
  test(`non-blocking connect to ${host}: EINPROGRESS, writable, SO_ERROR 0, then a round trip`, async () => {
    const server = net.createServer((socket) => socket.on('data', (d) => socket.end(`echo:${d}`)));
    server.listen(0, host);
    await once(server, 'listening');
    const { port } = server.address() as net.AddressInfo;
    const fd = sys.socket(host.includes(':') ? c.AF_INET6 : c.AF_INET, c.SOCK_STREAM | c.SOCK_NONBLOCK);
    const epfd = sys.epollCreate1(c.EPOLL_CLOEXEC);
    try {
      const rc = sys.connect(fd, sys.sockaddr(host, port));
      assert.ok(rc === 0 || rc === -c.EINPROGRESS, `connect returned ${rc}`);
      assert.equal(sys.epollCtl(epfd, c.EPOLL_CTL_ADD, fd, c.EPOLLOUT), 0);
      assert.ok((waitFor(epfd, fd) & c.EPOLLOUT) !== 0);
      assert.equal(sys.socketError(fd), 0, 'the handshake completed');
      const request = Buffer.from('hi');
      assert.equal(sys.send(fd, request, 0, request.length, 0), 2);
      assert.equal(sys.epollCtl(epfd, c.EPOLL_CTL_MOD, fd, c.EPOLLIN), 0);
      const buf = Buffer.alloc(64);
      let text = '';
      while (!text.endsWith('hi')) {
        await new Promise((resolve) => setImmediate(resolve));
        const n = sys.recv(fd, buf, 0, buf.length, 0);
        if (n > 0) text += buf.toString('latin1', 0, n);
        else assert.equal(n, -c.EAGAIN);
      }
      assert.equal(text, 'echo:hi');
    } finally {
      sys.close(fd);
      sys.close(epfd);
      server.close();
    }
  });
}

test('connect to a port nobody listens on: the error arrives through SO_ERROR as ECONNREFUSED', async () => {
  // A port that was free a moment ago: bind one, read its number, close it.
  const probe = net.createServer().listen(0, '127.0.0.1');
  await once(probe, 'listening');
  const { port } = probe.address() as net.AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  const fd = sys.socket(c.AF_INET, c.SOCK_STREAM | c.SOCK_NONBLOCK);
  const epfd = sys.epollCreate1(c.EPOLL_CLOEXEC);
  try {
    const rc = sys.connect(fd, sys.sockaddr('127.0.0.1', port));
    if (rc === -c.ECONNREFUSED) return; // refused synchronously, equally correct
    assert.equal(rc, -c.EINPROGRESS);
    assert.equal(sys.epollCtl(epfd, c.EPOLL_CTL_ADD, fd, c.EPOLLOUT), 0);
    const events = waitFor(epfd, fd);
    assert.ok((events & (c.EPOLLERR | c.EPOLLHUP)) !== 0, `events ${events} report the failure`);
    assert.equal(sys.socketError(fd), c.ECONNREFUSED);
    assert.equal(sys.socketError(fd), 0, 'reading SO_ERROR clears it');
  } finally {
    sys.close(fd);
    sys.close(epfd);
  }
});

test('sockaddr refuses what is not an address, naming it', () => {
  assert.throws(
    () => sys.sockaddr('localhost', 80),
    (err: sys.SyscallError) => {
      assert.equal(err.code, 'EINVAL');
      assert.match(err.message, /localhost/);
      return true;
    },
  );
  assert.throws(() => sys.sockaddr('fe80::1%no-such-if0', 80), /ENODEV|no such network interface/);
  assert.throws(() => sys.sockaddr('127.0.0.1', 70000), RangeError);
  assert.equal(sys.sockaddr('127.0.0.1', 80).length, 16, 'struct sockaddr_in');
  assert.equal(sys.sockaddr('::1', 80).length, 28, 'struct sockaddr_in6');
});

test('epollWaitUs times out after microseconds, not milliseconds', () => {
  const epfd = sys.epollCreate1(c.EPOLL_CLOEXEC);
  const events = new Int32Array(2);
  try {
    const startMs = performance.now();
    for (let i = 0; i < 20; i++) assert.equal(sys.epollWaitUs(epfd, events, 1, 100), 0);
    // 20 waits of 100 µs: epoll_wait's millisecond timeout would take at least 20 ms.
    assert.ok(performance.now() - startMs < 15, `20 waits of 100 µs took ${performance.now() - startMs} ms`);
  } finally {
    sys.close(epfd);
  }
});

test('connect and socketError are counted', () => {
  const counters = new sys.SyscallCounters();
  sys.useCounters(counters);
  try {
    const fd = sys.socket(c.AF_INET, c.SOCK_STREAM | c.SOCK_NONBLOCK);
    sys.connect(fd, sys.sockaddr('127.0.0.1', 9));
    sys.socketError(fd);
    sys.close(fd);
    const counts = counters.snapshot();
    assert.equal(counts.connect, 1);
    assert.equal(counts.getsockopt, 1);
  } finally {
    sys.useCounters(null);
  }
});
