import assert from 'node:assert/strict';
import { once } from 'node:events';
import net from 'node:net';
import { test } from 'node:test';
import * as sys from './index.js';

const { constants: c } = sys;

test('setsockoptMs sets SO_RCVTIMEO: a blocking accept, and the recv of an accepted socket that inherits it, give up with EAGAIN', async () => {
  const listener = sys.socket(c.AF_INET, c.SOCK_STREAM | c.SOCK_CLOEXEC);
  const client = new net.Socket();
  let conn = -1;
  try {
    sys.bind(listener, '127.0.0.1', 0);
    sys.listen(listener, 4);
    sys.setsockoptMs(listener, c.SOL_SOCKET, c.SO_RCVTIMEO, 100);
    sys.setsockoptMs(listener, c.SOL_SOCKET, c.SO_SNDTIMEO, 100);
    let t0 = performance.now();
    assert.equal(sys.accept4(listener, c.SOCK_CLOEXEC), -c.EAGAIN, 'accept with nothing pending');
    assert.ok(performance.now() - t0 >= 90, `accept waited ${performance.now() - t0} ms`);
    client.connect(sys.localAddress(listener).port, '127.0.0.1');
    await once(client, 'connect');
    conn = sys.accept4(listener, c.SOCK_CLOEXEC);
    assert.ok(conn >= 0, `accept4 returned ${conn}`);
    t0 = performance.now();
    assert.equal(sys.recv(conn, new Uint8Array(16), 0, 16, 0), -c.EAGAIN, 'recv with nothing sent');
    const waited = performance.now() - t0;
    assert.ok(waited >= 90 && waited < 1000, `recv waited ${waited} ms`);
  } finally {
    client.destroy();
    if (conn >= 0) sys.close(conn);
    sys.close(listener);
  }
});

test('setsockoptMs checks its arguments', () => {
  assert.throws(
    () => sys.setsockoptMs(0, c.SOL_SOCKET, c.SO_RCVTIMEO, -1),
    /argument 3 \(ms\) must be >= 0 \(got -1\)/,
  );
  assert.throws(() => sys.setsockoptMs(-1, c.SOL_SOCKET, c.SO_RCVTIMEO, 10), { code: 'EBADF', syscall: 'setsockopt' });
});
