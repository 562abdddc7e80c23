// HTTP/2 over TLS (issue 19): `http2` drives a real HTTP/2 server (Node's own http2 module, on a
// certificate made for the test), counts every stream it answered exactly, counts what the server
// refuses (503, RST_STREAM, GOAWAY) in the error classes, and refuses a server that does not
// negotiate h2 instead of measuring it over HTTP/1.1.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import {
  constants,
  createSecureServer,
  type Http2SecureServer,
  type ServerHttp2Session,
  type ServerHttp2Stream,
} from 'node:http2';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, beforeEach, describe, test } from 'node:test';
import { ConfigError } from '@iobench/core';
import { requireTool, selfSignedCertificate } from '@iobench/core/testing';
import { runUndici } from './run-helper.js';

/** What the test server does with its n-th stream (1-based, over the whole server). */
type StreamHandler = (stream: ServerHttp2Stream, n: number) => void;

const answer: StreamHandler = (stream) => {
  // A short wait, so that several streams of a connection are open at once.
  setTimeout(() => {
    if (stream.destroyed || stream.closed) return;
    stream.respond({ ':status': 200, 'content-length': 13 });
    stream.end('Hello, world!');
  }, 2);
};

/** A run bounded by a request count, with a duration long enough never to be what ends it. */
function counted(requests: number, extra: Record<string, number> = {}) {
  return {
    params: { connections: 2, pipelining: 8, requests, durationMs: 10_000, http2: true, ...extra },
    tls: { insecure: true },
  };
}

function sum(values: number[] | undefined): number {
  return (values ?? []).reduce((a, b) => a + b, 0);
}

describe('HTTP/2 over TLS', { skip: requireTool('openssl') }, () => {
  let dir: string;
  let key: Buffer;
  let cert: Buffer;
  let server: Http2SecureServer;
  let url: string;
  let handler: StreamHandler;
  let streams: number;
  let maxOpenStreams: number;
  const sessions = new Set<ServerHttp2Session>();

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'iobench-h2-'));
    ({ key, cert } = await selfSignedCertificate(dir));
    server = createSecureServer({ key, cert });
    server.on('session', (session) => {
      sessions.add(session);
      session.on('close', () => sessions.delete(session));
      session.on('error', () => undefined);
    });
    // Streams open on each session at once: what --pipelining sets.
    const open = new WeakMap<object, number>();
    server.on('stream', (stream) => {
      stream.on('error', () => undefined);
      streams++;
      const session = stream.session!;
      open.set(session, (open.get(session) ?? 0) + 1);
      maxOpenStreams = Math.max(maxOpenStreams, open.get(session)!);
      stream.once('close', () => open.set(session, open.get(session)! - 1));
      handler(stream, streams);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `https://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  });

  beforeEach(() => {
    handler = answer;
    streams = 0;
    maxOpenStreams = 0;
  });

  after(async () => {
    for (const session of sessions) session.destroy();
    await new Promise((resolve) => server?.close(resolve));
    await rm(dir, { recursive: true, force: true });
  });

  test('--requests N: exactly N responses, as the server counts them, over h2 connections of concurrent streams', async () => {
    const result = await runUndici(url, counted(300));
    assert.equal(result.requests, 300);
    assert.equal(streams, 300, 'streams the server answered');
    assert.deepEqual(
      Object.entries(result.errors).filter(([, n]) => n > 0),
      [],
    );
    assert.equal(result.protocol, 'h2');
    assert.equal(result.connectionsOpened, 2, 'one session per connection, no reconnects');
    assert.equal(sum(result.perConnection), 300);
    // --pipelining 8 is up to 8 streams open at once on each connection, never more.
    assert.ok(maxOpenStreams > 1 && maxOpenStreams <= 8, `streams open at once on a connection: ${maxOpenStreams}`);
  });

  test('threads share the count exactly', async () => {
    const result = await runUndici(url, counted(200, { threads: 2 }));
    assert.equal(result.requests, 200);
    assert.equal(streams, 200);
    assert.equal(result.protocol, 'h2');
  });

  test('streams answered 503 are responses counted as status errors, one for one', async () => {
    let unavailable = 0;
    handler = (stream, n) => {
      if (n % 4 !== 0) return answer(stream, n);
      unavailable++;
      stream.respond({ ':status': 503 });
      stream.end();
    };
    const result = await runUndici(url, counted(200));
    assert.equal(result.requests, 200);
    assert.equal(unavailable, 50);
    assert.equal(result.errors.status, 50);
    assert.equal(result.errors.reset + result.errors.parse + result.errors.read, 0);
  });

  test('streams the server resets (RST_STREAM) are reset errors; every other stream is a response', async () => {
    let resets = 0;
    handler = (stream, n) => {
      if (n % 5 !== 0) return answer(stream, n);
      resets++;
      // With an error code and without one: undici reports the two differently.
      stream.close(n % 10 === 0 ? constants.NGHTTP2_INTERNAL_ERROR : constants.NGHTTP2_CANCEL);
    };
    const result = await runUndici(url, counted(200));
    assert.equal(resets, 40);
    assert.equal(result.errors.reset, 40, JSON.stringify(result.errors));
    assert.equal(result.requests, 160);
    assert.equal(result.requests + result.errors.reset, 200);
  });

  test('streams never answered time out, counted, and the run still ends at its request count', async () => {
    let ignored = 0;
    handler = (stream, n) => {
      if (n % 10 !== 0) return answer(stream, n);
      ignored++;
    };
    const result = await runUndici(url, counted(100, { timeoutMs: 200 }));
    assert.equal(ignored, 10);
    assert.equal(result.errors.timeout, 10, JSON.stringify(result.errors));
    assert.equal(result.requests, 90);
  });

  for (const [what, code] of [
    ['no error', constants.NGHTTP2_NO_ERROR],
    ['an error code', constants.NGHTTP2_INTERNAL_ERROR],
  ] as const) {
    test(`a GOAWAY (${what}) mid-run ends its session, counted as resets; the run goes on and ends`, async () => {
      let goaways = 0;
      handler = (stream, n) => {
        if (n % 50 === 0) {
          goaways++;
          stream.session?.goaway(code);
        }
        answer(stream, n);
      };
      const result = await runUndici(url, counted(300));
      assert.ok(goaways > 0);
      assert.ok(result.errors.reset > 0, JSON.stringify(result.errors));
      // Every request issued ends once: as a response or as a counted error, never twice or not at all.
      assert.equal(result.requests + result.errors.reset, 300, JSON.stringify(result.errors));
      assert.ok(result.requests <= streams, `${result.requests} responses, ${streams} streams served`);
      assert.ok((result.connectionsOpened ?? 0) > 2, 'reconnected after the GOAWAY');
    });
  }

  test('a server that ends every session at once: counted, bounded by the duration, no hang', async () => {
    handler = (stream) => stream.session?.destroy();
    const result = await runUndici(url, {
      params: { connections: 2, pipelining: 4, durationMs: 300, http2: true },
      tls: { insecure: true },
    });
    assert.equal(result.requests, 0);
    assert.ok(result.errors.reset > 0, JSON.stringify(result.errors));
  });

  test('without http2 the same server is spoken to over HTTP/1.1, and the result says so', async () => {
    const h1 = createSecureServer({ key, cert, allowHTTP1: true }, (_req, res) => res.end('Hello, world!'));
    await new Promise<void>((resolve) => h1.listen(0, '127.0.0.1', resolve));
    try {
      const result = await runUndici(`https://127.0.0.1:${(h1.address() as AddressInfo).port}/`, {
        params: { connections: 2, requests: 20, durationMs: 10_000 },
        tls: { insecure: true },
      });
      assert.equal(result.requests, 20);
      assert.equal(result.protocol, 'http/1.1');
    } finally {
      await new Promise((resolve) => h1.close(resolve));
    }
  });

  test('a TLS server that speaks only HTTP/1.1 is refused with the reason, not measured over HTTP/1.1', async () => {
    let answered = 0;
    const h1 = createHttpsServer({ key, cert }, (_req, res) => {
      answered++;
      res.end('Hello, world!');
    });
    await new Promise<void>((resolve) => h1.listen(0, '127.0.0.1', resolve));
    const h1Url = `https://127.0.0.1:${(h1.address() as AddressInfo).port}/`;
    try {
      await assert.rejects(
        runUndici(h1Url, counted(20)),
        (err: unknown) =>
          err instanceof ConfigError &&
          /^https:\/\/127\.0\.0\.1:\d+ does not speak HTTP\/2: offered h2 and http\/1\.1 in the TLS handshake \(ALPN\), it chose (http\/1\.1|neither)/.test(
            err.message,
          ),
      );
      assert.equal(answered, 0, 'no request went out over HTTP/1.1');
    } finally {
      h1.closeAllConnections();
      await new Promise((resolve) => h1.close(resolve));
    }
  });
});
