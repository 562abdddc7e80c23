/**
 * Behaviour every iobench socket server shows to clients, as node:test cases any server package can
 * register for its plugin (until the conformance suite of @iobench/core/testing covers it).
 */

import assert from 'node:assert/strict';
import { once } from 'node:events';
import net from 'node:net';
import { after, before, describe, test } from 'node:test';
import type { ServerHandle, ServerPlugin } from '@iobench/core';
import { exchange, GET } from './http-exchange.js';

export interface ServerTraits {
  /** select(2): connections on fds >= FD_SETSIZE are refused. */
  refusesFdsAboveSetSize?: boolean;
  /** The blocking server: one connection at a time, so idle clients block everyone. */
  iterative?: boolean;
}

const ctx = () => ({ log: () => {}, signal: new AbortController().signal });

/** Starts `plugin` with `options` validated (and defaulted) by its own schema. */
export async function startPlugin(
  plugin: ServerPlugin<any>,
  options: Record<string, unknown> = {},
): Promise<ServerHandle> {
  const parsed = await plugin.options['~standard'].validate(options);
  if (parsed.issues !== undefined) throw new Error(`invalid options: ${JSON.stringify(parsed.issues)}`);
  return plugin.start(ctx(), parsed.value);
}

/** Waits until `check` passes (counters are updated by another thread). */
export async function eventually(check: () => void | Promise<void>, timeoutMs = 3000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }
}

/** Registers the shared behaviour tests for `plugin` started with `options` (keep-alive on). */
export function describeServerBehaviour(
  plugin: ServerPlugin<any>,
  options: Record<string, unknown>,
  traits: ServerTraits = {},
): void {
  describe(`${plugin.name} server behaviour`, () => {
    let server: ServerHandle;
    before(async () => {
      server = await startPlugin(plugin, options);
    });
    after(() => server.stop());

    test('answers GET / with 200 Hello, world! and keeps the connection for the next request', async () => {
      const result = await exchange(server.url, GET + GET, { responses: 2 });
      assert.equal(result.responses.length, 2);
      for (const r of result.responses) {
        assert.equal(r.status, 200);
        assert.equal(r.body, 'Hello, world!');
        assert.equal(r.headers['content-length'], '13');
      }
      assert.equal(result.closed, false);
    });

    test('answers pipelined requests in order (three in one write)', async () => {
      const http10 = 'GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n';
      const result = await exchange(server.url, GET + http10 + GET, { responses: 3 });
      assert.deepEqual(
        result.responses.map((r) => [r.status, r.headers.connection]),
        [
          [200, undefined],
          [200, 'keep-alive'],
          [200, undefined],
        ],
      );
    });

    test('honours HTTP/1.0 (close by default, keep-alive on request) and Connection: close', async () => {
      const plain = await exchange(server.url, 'GET / HTTP/1.0\r\n\r\n');
      assert.equal(plain.responses[0]?.status, 200);
      assert.equal(plain.closed, true);
      const kept = await exchange(server.url, 'GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n', {
        responses: 1,
        timeoutMs: 300,
      });
      assert.equal(kept.responses[0]?.headers.connection, 'keep-alive');
      const close = await exchange(server.url, 'GET / HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n' + GET);
      assert.equal(close.responses.length, 1, 'nothing answered after Connection: close');
      assert.equal(close.responses[0]?.headers.connection, 'close');
      assert.equal(close.closed, true);
    });

    test('answers malformed requests 400, oversized heads 431, bodies without length 411, then closes', async () => {
      const bad = await exchange(server.url, 'GARBAGE\r\n\r\n');
      assert.equal(bad.responses[0]?.status, 400);
      assert.equal(bad.closed, true);
      const big = await exchange(server.url, `GET / HTTP/1.1\r\nHost: t\r\nX-Big: ${'a'.repeat(9000)}\r\n\r\n`);
      assert.equal(big.responses[0]?.status, 431);
      assert.equal(big.closed, true);
      const post = await exchange(server.url, 'POST / HTTP/1.1\r\nHost: t\r\n\r\n');
      assert.equal(post.responses[0]?.status, 411);
      const stats = await server.stats();
      assert.ok(
        stats.errors.badRequest! >= 1 && stats.errors.headersTooLarge! >= 1 && stats.errors.lengthRequired! >= 1,
        JSON.stringify(stats),
      );
    });

    if (traits.iterative !== true) {
      test('serves other clients while 200 connections sit on half-sent requests', async () => {
        const idle: net.Socket[] = [];
        for (let i = 0; i < 200; i++) {
          const { hostname, port } = new URL(server.url);
          const s = net.connect(Number(port), hostname.replace(/^\[|\]$/g, ''));
          s.on('error', () => {});
          s.write('GET / HTTP/1.1\r\nHost: ');
          idle.push(s);
        }
        await Promise.all(idle.map((s) => (s.connecting ? once(s, 'connect') : undefined)));
        const started = Date.now();
        const result = await exchange(server.url, GET, { responses: 1, timeoutMs: 2000 });
        assert.equal(result.responses[0]?.status, 200);
        assert.ok(Date.now() - started < 1000);
        for (const s of idle) s.destroy();
      });
    }

    test('stats count connections, requests and the syscalls issued', async () => {
      await exchange(server.url, GET, { responses: 1 });
      const stats = await server.stats();
      assert.ok(stats.accepted >= 1 && stats.requests >= 1, JSON.stringify(stats));
      assert.ok((stats.syscalls?.accept4 ?? 0) >= stats.accepted);
      assert.ok((stats.syscalls?.send ?? 0) >= 1 && (stats.syscalls?.recv ?? 0) >= 1);
    });
  });

  test(`${plugin.name}: a client reset mid-response is counted, closed, and serving goes on`, async () => {
    const server = await startPlugin(plugin, { ...options, bodySize: 8 * 1024 * 1024 });
    try {
      const { hostname, port } = new URL(server.url);
      const s = net.connect(Number(port), hostname);
      s.on('error', () => {});
      await once(s, 'connect');
      s.write(GET);
      await once(s, 'data');
      s.resetAndDestroy();
      await eventually(async () => {
        const { errors } = await server.stats();
        assert.ok((errors.reset ?? 0) + (errors.pipe ?? 0) >= 1, JSON.stringify(errors));
      });
      const next = net.connect(Number(port), hostname);
      next.write(GET);
      const [first] = await once(next, 'data');
      assert.match(String(first), /^HTTP\/1\.1 200 /);
      next.destroy();
    } finally {
      await server.stop();
    }
  });

  test(`${plugin.name}: 1,100 simultaneous connections ${traits.refusesFdsAboveSetSize ? 'are served below FD_SETSIZE and refused above' : 'are all served'}`, async () => {
    const server = await startPlugin(plugin, { ...options, backlog: 2048 });
    const { hostname, port } = new URL(server.url);
    const sockets: net.Socket[] = [];
    try {
      const outcomes: Promise<'served' | 'refused'>[] = [];
      for (let i = 0; i < 1100; i++) {
        const s = net.connect(Number(port), hostname);
        sockets.push(s);
        outcomes.push(
          new Promise((resolve) => {
            let text = '';
            s.setEncoding('latin1');
            s.on('data', (d: string) => (text += d));
            s.on('error', () => resolve('refused'));
            s.on('close', () => resolve(text.startsWith('HTTP/1.1 200') ? 'served' : 'refused'));
          }),
        );
        if (i % 100 === 99)
          await Promise.all(
            sockets.slice(-100).map((x) => (x.connecting ? once(x, 'connect').catch(() => {}) : undefined)),
          );
      }
      for (const s of sockets) if (!s.destroyed) s.write('GET / HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n');
      const results = await Promise.all(outcomes);
      const served = results.filter((r) => r === 'served').length;
      const stats = await server.stats();
      if (traits.refusesFdsAboveSetSize) {
        assert.ok(served > 0, 'some connections are served');
        assert.equal(1100 - served, stats.refused, 'every connection not served was refused by the server');
        assert.equal(stats.errors.fdSetSize, stats.refused);
      } else {
        assert.equal(served, 1100);
        assert.equal(stats.refused, 0);
      }
      const after = await exchange(server.url, GET, { responses: 1 });
      assert.equal(after.responses[0]?.status, 200, 'still serving');
    } finally {
      for (const s of sockets) s.destroy();
      await server.stop();
    }
  });

  test(`${plugin.name}: stop() is idempotent and frees the port`, async () => {
    const server = await startPlugin(plugin, options);
    const { port } = new URL(server.url);
    const idle = net.connect(Number(port), '127.0.0.1');
    idle.on('error', () => {});
    await once(idle, 'connect');
    const started = Date.now();
    await Promise.all([server.stop(), server.stop()]);
    await server.stop();
    assert.ok(Date.now() - started < 2000, 'stopped within 2 s');
    const probe = net.createServer();
    probe.listen(Number(port), '127.0.0.1');
    await once(probe, 'listening');
    probe.close();
    idle.destroy();
  });
}
