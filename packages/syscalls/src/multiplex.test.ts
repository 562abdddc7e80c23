import assert from 'node:assert/strict';
import { once } from 'node:events';
import net from 'node:net';
import { test } from 'node:test';
import * as sys from './index.js';

const { constants: c } = sys;

/** A connected pair: the server side fd (non-blocking) and the Node client socket. */
async function connectedPair(): Promise<{ fd: number; client: net.Socket; cleanup: () => void }> {
  const listener = sys.socket(c.AF_INET, c.SOCK_STREAM | c.SOCK_CLOEXEC);
  sys.bind(listener, '127.0.0.1', 0);
  sys.listen(listener, 4);
  const client = net.connect(sys.localAddress(listener).port, '127.0.0.1');
  await once(client, 'connect');
  const fd = sys.accept4(listener, c.SOCK_NONBLOCK | c.SOCK_CLOEXEC);
  assert.ok(fd >= 0);
  sys.close(listener);
  return {
    fd,
    client,
    cleanup: () => {
      client.destroy();
      sys.close(fd);
    },
  };
}

test('fd_set helpers refuse fds >= FD_SETSIZE instead of writing past the set', () => {
  const set = sys.createFdSet();
  assert.equal(set.length, c.FD_SETSIZE / 8);
  sys.fdSet(set, 0);
  sys.fdSet(set, 1023);
  assert.ok(sys.fdIsSet(set, 1023));
  assert.throws(() => sys.fdSet(set, 1024), RangeError);
  assert.throws(() => sys.fdIsSet(set, -1), RangeError);
  sys.fdClr(set, 1023);
  assert.equal(sys.fdIsSet(set, 1023), false);
  sys.fdZero(set);
  assert.ok(set.every((b) => b === 0));
});

test('select refuses nfds > FD_SETSIZE and short sets with -EINVAL, never touching memory past the set', () => {
  const backing = new Uint8Array(c.FD_SETSIZE / 8 + 8).fill(0xaa);
  const set = backing.subarray(0, c.FD_SETSIZE / 8);
  assert.equal(sys.select(c.FD_SETSIZE + 1, set, null, 0), -c.EINVAL);
  assert.equal(sys.select(4, new Uint8Array(16), null, 0), -c.EINVAL);
  set.fill(0);
  assert.equal(sys.select(c.FD_SETSIZE, set, null, 0), 0, 'an empty set with the full nfds times out');
  assert.ok(
    backing.subarray(c.FD_SETSIZE / 8).every((b) => b === 0xaa),
    'bytes after the set untouched',
  );
});

test('select reports a readable and a writable socket', async () => {
  const { fd, client, cleanup } = await connectedPair();
  try {
    const readSet = sys.createFdSet();
    const writeSet = sys.createFdSet();
    sys.fdSet(readSet, fd);
    assert.equal(sys.select(fd + 1, readSet, null, 0), 0, 'nothing to read yet');
    client.write('x');
    await new Promise((resolve) => setTimeout(resolve, 20));
    sys.fdSet(readSet, fd);
    sys.fdSet(writeSet, fd);
    assert.equal(sys.select(fd + 1, readSet, writeSet, 1000), 2);
    assert.ok(sys.fdIsSet(readSet, fd) && sys.fdIsSet(writeSet, fd));
  } finally {
    cleanup();
  }
});

test('PollSet: poll reports readiness, entries add and remove in O(1)', async () => {
  const { fd, client, cleanup } = await connectedPair();
  try {
    const set = new sys.PollSet(1);
    const wake = sys.eventfd(0, c.EFD_NONBLOCK);
    set.add(wake, c.POLLIN);
    const index = set.add(fd, c.POLLIN);
    assert.equal(set.count, 2);
    assert.equal(set.poll(0), 0);
    client.write('x');
    await new Promise((resolve) => setTimeout(resolve, 20));
    assert.equal(set.poll(1000), 1);
    assert.equal(set.revents(index) & c.POLLIN, c.POLLIN);
    set.setEvents(index, c.POLLIN | c.POLLOUT);
    assert.equal(set.poll(0), 1);
    assert.equal(set.revents(index), c.POLLIN | c.POLLOUT);
    assert.ok(set.remove(wake));
    assert.equal(set.count, 1);
    assert.equal(set.indexOf(fd), 0, 'the last entry moved into the hole');
    assert.equal(set.fd(0), fd);
    assert.equal(set.remove(wake), false);
    sys.close(wake);
  } finally {
    cleanup();
  }
});

test('epoll reports readiness as (events, fd) pairs', async () => {
  const { fd, client, cleanup } = await connectedPair();
  const epfd = sys.epollCreate1(c.EPOLL_CLOEXEC);
  try {
    const out = new Int32Array(8);
    assert.equal(sys.epollCtl(epfd, c.EPOLL_CTL_ADD, fd, c.EPOLLIN), 0);
    assert.equal(sys.epollCtl(epfd, c.EPOLL_CTL_ADD, fd, c.EPOLLIN), -17 /* EEXIST */);
    assert.equal(sys.epollWait(epfd, out, 4, 0), 0);
    client.write('x');
    await new Promise((resolve) => setTimeout(resolve, 20));
    assert.equal(sys.epollWait(epfd, out, 4, 1000), 1);
    assert.equal(out[0]! & c.EPOLLIN, c.EPOLLIN);
    assert.equal(out[1], fd);
    assert.equal(sys.epollWait(epfd, out, 5, 0), -c.EINVAL, 'out too small for maxEvents');
  } finally {
    sys.close(epfd);
    cleanup();
  }
});

test('watchReadable calls back on the event loop when an epoll fd becomes readable', async () => {
  const epfd = sys.epollCreate1(c.EPOLL_CLOEXEC);
  const wake = sys.eventfd(0, c.EFD_NONBLOCK);
  sys.epollCtl(epfd, c.EPOLL_CTL_ADD, wake, c.EPOLLIN);
  let calls = 0;
  const ready = new Promise<void>((resolve) => {
    const watch = sys.watchReadable(epfd, () => {
      calls++;
      sys.eventfdRead(wake);
      watch.stop();
      watch.stop();
      resolve();
    });
  });
  setTimeout(() => sys.eventfdWrite(wake, 1), 10);
  await ready;
  assert.equal(calls, 1);
  sys.close(wake);
  sys.close(epfd);
});
