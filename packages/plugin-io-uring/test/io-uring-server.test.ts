import assert from 'node:assert/strict';
import { once } from 'node:events';
import { readdirSync } from 'node:fs';
import net from 'node:net';
import { test } from 'node:test';
import { ioUringServer } from '../src/index.js';
import { eventually, exchange, GET, parseResponses, startPlugin } from './support.js';

const MODES: { multishot?: false; providedBuffers?: false }[] = [
  {},
  { multishot: false },
  { multishot: false, providedBuffers: false },
];

/** Connects to `url`, writes `payload`, waits `pauseMs` without reading, then reads until 500 ms pass without data. */
async function slowRead(url: string, payload: string, pauseMs: number): Promise<string> {
  const { port } = new URL(url);
  const s = net.connect(Number(port), '127.0.0.1');
  await once(s, 'connect');
  s.pause();
  s.write(payload);
  await new Promise((resolve) => setTimeout(resolve, pauseMs));
  const chunks: Buffer[] = [];
  let quiet: NodeJS.Timeout | undefined;
  const done = new Promise<void>((resolve) => {
    const rearm = () => {
      clearTimeout(quiet);
      quiet = setTimeout(resolve, 500);
    };
    s.on('data', (d: Buffer) => {
      chunks.push(d);
      rearm();
    });
    s.on('close', () => resolve());
    rearm();
  });
  s.resume();
  await done;
  clearTimeout(quiet);
  s.destroy();
  return Buffer.concat(chunks).toString('latin1');
}

test('keep-alive requests cost io_uring_enter only: no accept4, recv or send syscalls; stats show the path used', async () => {
  const server = await startPlugin(ioUringServer, {});
  try {
    const result = await exchange(server.url, GET.repeat(50), { responses: 50 });
    assert.equal(result.responses.length, 50);
    const clients = Array.from({ length: 16 }, () => exchange(server.url, GET.repeat(20), { responses: 20 }));
    assert.ok((await Promise.all(clients)).every((r) => r.responses.length === 20));
    const stats = await server.stats();
    const { syscalls = {}, extra = {} } = stats;
    assert.equal(stats.requests, 370);
    for (const name of ['accept4', 'recv', 'send', 'epoll_wait', 'poll', 'select']) {
      assert.equal(syscalls[name] ?? 0, 0, `${name}: ${JSON.stringify(syscalls)}`);
    }
    assert.ok(syscalls.io_uring_enter! > 0 && syscalls.io_uring_enter! < stats.requests, JSON.stringify(syscalls));
    assert.equal(extra.multishotAccepts, 17, JSON.stringify(extra));
    assert.ok(extra.multishotRecvs! >= 17 && extra.singleShotRecvs === 0, JSON.stringify(extra));
    assert.equal(extra.providedBuffers, 1);
  } finally {
    await server.stop();
  }
});

for (const mode of MODES) {
  test(`io-uring ${JSON.stringify(mode)}: an 8 MiB answer to a slow reader goes out in partial sends, whole`, async () => {
    const server = await startPlugin(ioUringServer, { ...mode, bodySize: 8 * 1024 * 1024 });
    try {
      const text = await slowRead(server.url, GET + GET, 300);
      const { responses } = parseResponses(text);
      assert.equal(responses.length, 2);
      for (const r of responses) assert.equal(r.body.length, 8 * 1024 * 1024);
      assert.ok(responses[0]!.body.startsWith('Hello, world!\nHello'));
      const { extra = {} } = await server.stats();
      assert.ok(extra.partialSends! > 0, JSON.stringify(extra));
      if (mode.multishot === false) assert.ok(extra.singleShotRecvs! > 0 && extra.multishotRecvs === 0);
      if ('providedBuffers' in mode) assert.equal(extra.providedBuffers, 0);
    } finally {
      await server.stop();
    }
  });

  test(`io-uring ${JSON.stringify(mode)}: 3,000 pipelined requests from a client that reads late are all answered, in order`, async () => {
    const server = await startPlugin(ioUringServer, { ...mode, bodySize: 4096 });
    try {
      const requests = Array.from({ length: 3000 }, (_, i) => `GET /${i} HTTP/1.1\r\nHost: t\r\n\r\n`).join('');
      const text = await slowRead(server.url, requests, 300);
      assert.equal(parseResponses(text).responses.length, 3000);
      const stats = await server.stats();
      const extra = stats.extra ?? {};
      assert.equal(stats.requests, 3000);
      // Multishot keeps receiving while the answers wait: past 256 queued requests it is cancelled.
      if (mode.multishot !== false) assert.ok(extra.recvPauses! > 0, JSON.stringify(extra));
    } finally {
      await server.stop();
    }
  });
}

test('a client that half-closes after its request still gets the answer, then the close', async () => {
  const server = await startPlugin(ioUringServer, {});
  try {
    const { port } = new URL(server.url);
    const s = net.connect(Number(port), '127.0.0.1');
    s.setEncoding('latin1');
    let text = '';
    s.on('data', (d: string) => (text += d));
    s.end(GET + GET);
    await once(s, 'close');
    assert.equal(parseResponses(text).responses.length, 2);
  } finally {
    await server.stop();
  }
});

test('header and idle timeouts: a half-sent head gets 408, an idle keep-alive connection is closed', async () => {
  const server = await startPlugin(ioUringServer, { headerTimeoutMs: 200, idleTimeoutMs: 400 });
  try {
    const started = Date.now();
    const half = await exchange(server.url, 'GET / HTTP/1.1\r\nHost: ', { timeoutMs: 3000 });
    assert.equal(half.responses[0]?.status, 408);
    assert.ok(half.closed && Date.now() - started < 1500);
    const idle = await exchange(server.url, GET, { timeoutMs: 3000 });
    assert.equal(idle.responses[0]?.status, 200);
    assert.ok(idle.closed, 'closed for idleness');
    const { errors } = await server.stats();
    assert.ok(errors.headerTimeout === 1 && errors.idleTimeout! >= 1, JSON.stringify(errors));
  } finally {
    await server.stop();
  }
});

test('stop() within 2 s while a large answer is in flight and a head half-sent leaves no fd behind', async () => {
  const fds = () => readdirSync('/proc/self/fd').length;
  const before = fds();
  const server = await startPlugin(ioUringServer, { bodySize: 32 * 1024 * 1024 });
  const { port } = new URL(server.url);
  const busy = net.connect(Number(port), '127.0.0.1');
  const half = net.connect(Number(port), '127.0.0.1');
  for (const s of [busy, half]) s.on('error', () => {});
  await Promise.all([once(busy, 'connect'), once(half, 'connect')]);
  busy.pause();
  busy.write(GET);
  half.write('GET / HTTP/1.1\r\nHo');
  await eventually(async () => assert.equal((await server.stats()).requests, 1));
  const started = Date.now();
  await server.stop();
  assert.ok(Date.now() - started < 2000, `stopped in ${Date.now() - started} ms`);
  busy.destroy();
  half.destroy();
  await eventually(() => assert.equal(fds(), before));
  const probe = net.createServer().listen(Number(port), '127.0.0.1');
  await once(probe, 'listening');
  probe.close();
});
