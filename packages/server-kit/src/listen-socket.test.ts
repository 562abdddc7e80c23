import assert from 'node:assert/strict';
import { once } from 'node:events';
import net from 'node:net';
import { test } from 'node:test';
import * as sys from '@iobench/syscalls';
import { openListeningSocket } from './listen-socket.js';

const base = { port: 0, backlog: 16, nonBlocking: true };

test('a listening socket on 127.0.0.1 accepts connections and reports its port and URL', async () => {
  const listening = openListeningSocket({ ...base, host: '127.0.0.1' });
  try {
    assert.equal(listening.family, 4);
    assert.equal(listening.url, `http://127.0.0.1:${listening.port}/`);
    const client = net.connect(listening.port, '127.0.0.1');
    await once(client, 'connect');
    const fd = sys.accept4(listening.fd, sys.constants.SOCK_NONBLOCK);
    assert.ok(fd >= 0);
    sys.close(fd);
    client.destroy();
  } finally {
    sys.close(listening.fd);
  }
});

test('an IPv6 listening socket gets a bracketed URL', () => {
  const listening = openListeningSocket({ ...base, host: '::1' });
  sys.close(listening.fd);
  assert.equal(listening.family, 6);
  assert.equal(listening.url, `http://[::1]:${listening.port}/`);
});

test('a port in use is an EADDRINUSE error naming address and port, and no fd leaks', () => {
  const first = openListeningSocket({ ...base, host: '127.0.0.1' });
  try {
    const probe = sys.socket(sys.constants.AF_INET, sys.constants.SOCK_STREAM);
    sys.close(probe);
    assert.throws(() => openListeningSocket({ ...base, host: '127.0.0.1', port: first.port }), {
      code: 'EADDRINUSE',
      syscall: 'bind',
      port: first.port,
    });
    const next = sys.socket(sys.constants.AF_INET, sys.constants.SOCK_STREAM);
    sys.close(next);
    assert.equal(next, probe, 'the failed attempt closed its socket');
  } finally {
    sys.close(first.fd);
  }
});

test('binding to a device that does not exist fails clearly', () => {
  assert.throws(() => openListeningSocket({ ...base, host: '127.0.0.1', bindDevice: 'no-such-if0' }), {
    syscall: 'setsockopt',
  });
});
