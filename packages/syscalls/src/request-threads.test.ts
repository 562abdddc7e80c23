/**
 * The request-thread calls behind the epoll-thread server, with real threads on real sockets: a
 * thread sends, reports once and ends; records never tear; cancel cuts a wait short; a short send
 * says how much went.
 */
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { readdirSync } from 'node:fs';
import net from 'node:net';
import { after, before, test } from 'node:test';
import * as sys from './index.js';

const { constants: c } = sys;
const W = sys.RequestThreadWork;

/** Threads of this process now (request threads included while they live). */
const threadCount = () => readdirSync('/proc/self/task').length;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `done` every 5 ms for up to 500 ms. */
async function until(done: () => boolean): Promise<void> {
  for (let i = 0; i < 100 && !done(); i++) await sleep(5);
}

let listenFd = -1;
let port = 0;
let doneRead = -1;
let doneWrite = -1;
let cancelFd = -1;
const records = new Int32Array(512);

before(() => {
  listenFd = sys.socket(c.AF_INET, c.SOCK_STREAM | c.SOCK_CLOEXEC);
  sys.bind(listenFd, '127.0.0.1', 0);
  sys.listen(listenFd, 16);
  sys.setNonBlocking(listenFd, true);
  port = sys.localAddress(listenFd).port;
  [doneRead, doneWrite] = sys.pipe2(c.O_CLOEXEC);
  sys.setNonBlocking(doneRead, true);
});
after(() => {
  for (const fd of [listenFd, doneRead, doneWrite]) sys.close(fd);
});

interface Pair {
  client: net.Socket;
  /** The accepted non-blocking fd. */
  fd: number;
  /** What the client received so far. */
  received: () => Buffer;
}

/** Runs `body` with a connected pair and a fresh cancel eventfd, then closes all three. */
async function withConnection(body: (pair: Pair) => Promise<void>): Promise<void> {
  cancelFd = sys.eventfd(0, c.EFD_CLOEXEC);
  const pair = await connection();
  try {
    await body(pair);
  } finally {
    pair.client.destroy();
    sys.close(pair.fd);
    sys.close(cancelFd);
  }
}

/** A connected pair: a Node client and the accepted non-blocking fd. */
async function connection(): Promise<Pair> {
  const client = net.connect(port, '127.0.0.1');
  const chunks: Buffer[] = [];
  client.on('data', (chunk: Buffer) => chunks.push(chunk));
  await once(client, 'connect');
  for (let i = 0; i < 500; i++) {
    const fd = sys.accept4(listenFd, c.SOCK_NONBLOCK | c.SOCK_CLOEXEC);
    if (fd >= 0) return { client, fd, received: () => Buffer.concat(chunks) };
    await sleep(2);
  }
  throw new Error('no connection to accept after 1 s');
}

/** Reads records until `count` came (or `timeoutMs` passed); returns them as [fd, result] pairs. */
async function reap(count: number, timeoutMs = 5000): Promise<Array<[number, number]>> {
  const got: Array<[number, number]> = [];
  const deadline = Date.now() + timeoutMs;
  while (got.length < count && Date.now() < deadline) {
    const n = sys.readThreadRecords(doneRead, records);
    if (n === -c.EAGAIN) await sleep(2);
    else for (let i = 0; i < n; i++) got.push([records[2 * i]!, records[2 * i + 1]!]);
  }
  return got;
}

test('a request thread sends its answer, leaves one record and ends; its syscalls are counted on reaping', async () => {
  await withConnection(async ({ fd, received }) => {
    const counters = new sys.SyscallCounters();
    sys.useCounters(counters);
    const threadsBefore = threadCount();
    assert.equal(sys.spawnRequestThread(fd, new TextEncoder().encode('hello'), W.none, 0, doneWrite, cancelFd), 0);
    assert.deepEqual(await reap(1), [[fd, 5]]);
    sys.useCounters(null);
    const { read, ...theThreads } = counters.snapshot();
    assert.ok(read! >= 1);
    assert.deepEqual(theThreads, { clone: 1, send: 1, write: 1 }, 'pthread_create, its send and its record write');
    await until(() => received().length >= 5);
    assert.equal(received().toString(), 'hello');
    await until(() => threadCount() <= threadsBefore);
    assert.equal(threadCount(), threadsBefore, 'the thread ended');
  });
});

test('fifty threads at once: fifty records, none lost or torn, and every byte sent', async () => {
  await withConnection(async ({ fd, received }) => {
    const one = new TextEncoder().encode('x');
    for (let i = 0; i < 50; i++) assert.equal(sys.spawnRequestThread(fd, one, W.cpu, 100, doneWrite, cancelFd), 0);
    const got = await reap(50);
    assert.equal(got.length, 50);
    assert.ok(
      got.every(([f, r]) => f === fd && r === 1),
      JSON.stringify(got),
    );
    await until(() => received().length >= 50);
    assert.equal(received().toString(), 'x'.repeat(50));
  });
});

test('writing the cancel eventfd ends a 10 s wait at once, with -ECANCELED and nothing sent', async () => {
  await withConnection(async ({ fd, received }) => {
    assert.equal(sys.spawnRequestThread(fd, new Uint8Array(4), W.wait, 10_000_000, doneWrite, cancelFd), 0);
    await sleep(20);
    assert.equal(sys.readThreadRecords(doneRead, records), -c.EAGAIN, 'still waiting');
    const t0 = performance.now();
    sys.eventfdWrite(cancelFd, 1);
    assert.deepEqual(await reap(1), [[fd, -c.ECANCELED]]);
    assert.ok(performance.now() - t0 < 1000, `cancel took ${performance.now() - t0} ms`);
    assert.equal(received().length, 0);
  });
});

test('a short send (the peer does not read) reports the bytes the kernel took', async () => {
  await withConnection(async ({ client, fd }) => {
    client.pause();
    const answer = new Uint8Array(32 * 1024 * 1024);
    assert.equal(sys.spawnRequestThread(fd, answer, W.none, 0, doneWrite, cancelFd), 0);
    const [[f, sent] = [-1, -1]] = await reap(1);
    assert.equal(f, fd);
    assert.ok(sent > 0 && sent < answer.length, `sent ${sent} of ${answer.length}`);
  });
});

test('wrong arguments throw instead of starting a thread', () => {
  const bytes = new Uint8Array(1);
  assert.throws(() => sys.spawnRequestThread(0, bytes, 3, 0, doneWrite, cancelFd), RangeError);
  assert.throws(() => sys.spawnRequestThread(0, bytes, W.wait, -1, doneWrite, cancelFd), RangeError);
  assert.throws(
    () => sys.spawnRequestThread(0, 'x' as unknown as Uint8Array, W.none, 0, doneWrite, cancelFd),
    TypeError,
  );
  assert.throws(() => sys.readThreadRecords(doneRead, new Float64Array(4) as unknown as Int32Array), TypeError);
});
