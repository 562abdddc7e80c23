import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ParsedRequest } from './request-head.js';
import { Responder } from './responder.js';

const text = (b: Uint8Array) => Buffer.from(b).toString('latin1');
const get11: ParsedRequest = { method: 'GET', target: '/', version: 11, keepAlive: true };
const get10ka: ParsedRequest = { method: 'GET', target: '/', version: 10, keepAlive: true };
const get11close: ParsedRequest = { method: 'GET', target: '/', version: 11, keepAlive: false };

test('the default response is Hello, world! with Content-Length and no Connection header', () => {
  const r = new Responder({ bodySize: 13, keepAlive: true });
  assert.equal(
    text(r.respond(get11)),
    'HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 13\r\n\r\nHello, world!',
  );
  assert.equal(r.closesAfter(get11), false);
  assert.equal(r.respond(get11), r.respond(get11), 'precomputed, not rebuilt');
});

test('HTTP/1.0 keep-alive gets Connection: keep-alive; closing answers get Connection: close', () => {
  const r = new Responder({ bodySize: 13, keepAlive: true });
  assert.match(text(r.respond(get10ka)), /^HTTP\/1\.1 200 OK\r\n.*Connection: keep-alive\r\n\r\nHello, world!$/s);
  assert.equal(r.closesAfter(get10ka), false);
  assert.match(text(r.respond(get11close)), /Connection: close\r\n\r\nHello, world!$/);
  assert.equal(r.closesAfter(get11close), true);
});

test('keepAlive: false closes after every answer', () => {
  const r = new Responder({ bodySize: 13, keepAlive: false });
  assert.match(text(r.respond(get11)), /Connection: close\r\n/);
  assert.equal(r.closesAfter(get11), true);
});

test('body size: larger bodies repeat the line, smaller ones cut it, HEAD gets no body', () => {
  const big = text(new Responder({ bodySize: 100, keepAlive: true }).respond(get11));
  const body = big.slice(big.indexOf('\r\n\r\n') + 4);
  assert.equal(body.length, 100);
  assert.match(big, /Content-Length: 100\r\n/);
  assert.ok(body.startsWith('Hello, world!\nHello, world!\n'));
  const small = text(new Responder({ bodySize: 5, keepAlive: true }).respond(get11));
  assert.ok(small.endsWith('\r\n\r\nHello'));
  const zero = text(new Responder({ bodySize: 0, keepAlive: true }).respond(get11));
  assert.ok(zero.endsWith('Content-Length: 0\r\n\r\n'));
  const head = text(new Responder({ bodySize: 13, keepAlive: true }).respond({ ...get11, method: 'HEAD' }));
  assert.ok(head.endsWith('Content-Length: 13\r\n\r\n'));
  assert.throws(
    () => new Responder({ bodySize: -1, keepAlive: true }),
    /bodySize must be a non-negative integer \(got -1\)/,
  );
});

test('error answers carry their status, a reason and Connection: close', () => {
  const r = new Responder({ bodySize: 13, keepAlive: true });
  const answer = text(r.error({ status: 431, reason: 'too big' }));
  assert.match(answer, /^HTTP\/1\.1 431 Request Header Fields Too Large\r\n/);
  assert.match(answer, /Connection: close\r\n/);
  const body = answer.slice(answer.indexOf('\r\n\r\n') + 4);
  assert.match(answer, new RegExp(`Content-Length: ${body.length}\\r\\n`));
  assert.match(body, /too big/);
  for (const status of [400, 411, 505] as const) {
    assert.match(text(r.error({ status, reason: 'x' })), new RegExp(`^HTTP/1\\.1 ${status} `));
  }
});
