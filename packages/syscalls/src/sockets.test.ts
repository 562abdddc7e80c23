import assert from 'node:assert/strict';
import { once } from 'node:events';
import net from 'node:net';
import { test } from 'node:test';
import * as sys from './index.js';

const { constants: c } = sys;

/** A listening non-blocking socket on `host`, port picked by the kernel. */
function listenOn(host: string): { fd: number; port: number } {
  const fd = sys.socket(host.includes(':') ? c.AF_INET6 : c.AF_INET, c.SOCK_STREAM | c.SOCK_CLOEXEC);
  sys.setsockopt(fd, c.SOL_SOCKET, c.SO_REUSEADDR, 1);
  sys.bind(fd, host, 0);
  sys.listen(fd, 16);
  sys.setNonBlocking(fd, true);
  return { fd, port: sys.localAddress(fd).port };
}

/** Retries a non-blocking call while it says EAGAIN, yielding to the event loop in between. */
async function retry(call: () => number): Promise<number> {
  for (let i = 0; i < 500; i++) {
    const rc = call();
    if (rc !== -c.EAGAIN) return rc;
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
  throw new Error('still EAGAIN after 1 s');
}

for (const host of ['127.0.0.1', '::1']) {
  test(`socket/bind/listen/accept4/recv/send round trip on ${host} with a Node client`, async () => {
    const server = listenOn(host);
    assert.equal(sys.accept4(server.fd, c.SOCK_NONBLOCK), -c.EAGAIN, 'nothing to accept yet');
    const client = net.connect(server.port, host);
    await once(client, 'connect');
    const conn = await retry(() => sys.accept4(server.fd, c.SOCK_NONBLOCK | c.SOCK_CLOEXEC));
    assert.ok(conn > 0, `accept4 returned ${conn}`);
    client.write('ping');
    const buf = new Uint8Array(64);
    const n = await retry(() => sys.recv(conn, buf, 10, 54, 0));
    assert.equal(Buffer.from(buf.subarray(10, 10 + n)).toString(), 'ping');
    const reply = new TextEncoder().encode('xxpong');
    assert.equal(sys.send(conn, reply, 2, 4, 0), 4);
    const [data] = await once(client, 'data');
    assert.equal(String(data), 'pong');
    client.end();
    assert.equal(await retry(() => sys.recv(conn, buf, 0, 64, 0)), 0, 'EOF after the client ends');
    assert.equal(sys.close(conn), 0);
    assert.equal(sys.close(server.fd), 0);
    assert.equal(sys.close(server.fd), -c.EBADF, 'hot-path calls return -errno instead of throwing');
  });
}

test('bind to a port in use throws a Node-shaped EADDRINUSE error', () => {
  const first = listenOn('127.0.0.1');
  const fd = sys.socket(c.AF_INET, c.SOCK_STREAM);
  try {
    assert.throws(
      () => sys.bind(fd, '127.0.0.1', first.port),
      (err: sys.SyscallError) => {
        assert.equal(err.code, 'EADDRINUSE');
        assert.equal(err.errno, -98);
        assert.equal(err.syscall, 'bind');
        assert.equal(err.address, '127.0.0.1');
        assert.equal(err.port, first.port);
        assert.match(err.message, /^bind EADDRINUSE: address already in use 127\.0\.0\.1:\d+$/);
        return true;
      },
    );
  } finally {
    sys.close(fd);
    sys.close(first.fd);
  }
});

test('bind rejects a host that is not an address, and an unknown IPv6 scope', () => {
  const fd = sys.socket(c.AF_INET6, c.SOCK_STREAM);
  try {
    assert.throws(() => sys.bind(fd, 'localhost', 0), { code: 'EINVAL', syscall: 'bind' });
    assert.throws(() => sys.bind(fd, 'fe80::1%no-such-iface0', 0), { code: 'ENODEV', syscall: 'bind' });
  } finally {
    sys.close(fd);
  }
});

test('an IPv6 address with an interface scope binds', () => {
  const fd = sys.socket(c.AF_INET6, c.SOCK_STREAM);
  try {
    sys.bind(fd, '::1%lo', 0);
    const local = sys.localAddress(fd);
    assert.equal(local.family, 6);
    assert.ok(local.port > 0);
  } finally {
    sys.close(fd);
  }
});

test('wrong argument types throw TypeError, out-of-range buffers RangeError', () => {
  assert.throws(() => sys.recv('3' as unknown as number, new Uint8Array(4), 0, 4, 0), TypeError);
  assert.throws(() => sys.recv(0, new Uint8Array(4), 2, 4, 0), RangeError);
  assert.throws(() => sys.send(0, new Uint16Array(4) as unknown as Uint8Array, 0, 4, 0), TypeError);
});

test('eventfd counts writes and reads them back once', () => {
  const fd = sys.eventfd(0, c.EFD_NONBLOCK | c.EFD_CLOEXEC);
  assert.equal(sys.eventfdRead(fd), -c.EAGAIN);
  assert.equal(sys.eventfdWrite(fd, 2), 0);
  assert.equal(sys.eventfdWrite(fd, 3), 0);
  assert.equal(sys.eventfdRead(fd), 5);
  assert.equal(sys.eventfdRead(fd), -c.EAGAIN);
  sys.close(fd);
});
