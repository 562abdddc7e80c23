import assert from 'node:assert/strict';
import { test } from 'node:test';
import { frame, GET } from './framer-test-helpers.js';
import { RequestFramer } from './request-framer.js';

const req = (method: string, target: string, version: 10 | 11, keepAlive: boolean) => ({
  method,
  target,
  version,
  keepAlive,
});

test('a simple GET, byte by byte or in one piece', () => {
  const all = Array.from({ length: GET.length }, (_, i) => i);
  assert.deepEqual(frame(GET), { requests: [req('GET', '/', 11, true)], error: undefined });
  assert.deepEqual(frame(GET, all), { requests: [req('GET', '/', 11, true)], error: undefined });
});

test('pipelined requests come out in order, with their targets and versions', () => {
  const stream = `${GET}HEAD /a?b=1 HTTP/1.1\r\nHost: x\r\n\r\nGET /c HTTP/1.0\r\nConnection: keep-alive\r\n\r\n`;
  assert.deepEqual(frame(stream).requests, [
    req('GET', '/', 11, true),
    req('HEAD', '/a?b=1', 11, true),
    req('GET', '/c', 10, true),
  ]);
});

test('keep-alive rules: HTTP/1.1 unless close, HTTP/1.0 only with keep-alive; tokens case-insensitive', () => {
  const cases: [string, boolean][] = [
    ['GET / HTTP/1.1\r\nHost: x\r\n\r\n', true],
    ['GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n', false],
    ['GET / HTTP/1.1\r\nconnection: CLOSE\r\nHost: x\r\n\r\n', false],
    ['GET / HTTP/1.1\r\nHost: x\r\nConnection: Upgrade, Close\r\n\r\n', false],
    ['GET / HTTP/1.0\r\n\r\n', false],
    ['GET / HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n', true],
    ['GET / HTTP/1.0\r\nCONNECTION:keep-alive \r\n\r\n', true],
    ['GET / HTTP/1.0\r\nConnection: keep-alive, close\r\n\r\n', false],
    ['GET / HTTP/1.0\r\nConnection: keep-alivex\r\n\r\n', false],
  ];
  for (const [text, keepAlive] of cases) assert.equal(frame(text).requests[0]?.keepAlive, keepAlive, text);
});

test('Content-Length bodies are skipped, even split, and the next request follows', () => {
  const stream = `POST /p HTTP/1.1\r\nHost: x\r\nContent-Length: 11\r\n\r\nhello world${GET}`;
  for (let cut = 0; cut <= stream.length; cut++) {
    assert.deepEqual(
      frame(stream, [cut]).requests,
      [req('POST', '/p', 11, true), req('GET', '/', 11, true)],
      `cut ${cut}`,
    );
  }
  assert.equal(frame('POST / HTTP/1.1\r\nContent-Length: 5\r\n\r\nabc').requests.length, 0, 'body incomplete');
  assert.equal(frame('POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n').requests.length, 1);
  assert.equal(
    frame('POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nContent-Length: 3\r\n\r\nabc').requests.length,
    1,
  );
});

test('chunked request bodies are skipped, with extensions and trailers', () => {
  const stream = `PUT /u HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip, Chunked\r\n\r\n5;ext=1\r\nhello\r\nA\r\n0123456789\r\n0\r\nX-Trailer: 1\r\n\r\n${GET}`;
  for (let cut = 0; cut <= stream.length; cut++) {
    const framed = frame(stream, [cut]);
    assert.equal(framed.error, undefined, `cut ${cut}`);
    assert.deepEqual(framed.requests, [req('PUT', '/u', 11, true), req('GET', '/', 11, true)], `cut ${cut}`);
  }
});

test('malformed request lines and headers are 400', () => {
  const bad = [
    'GARBAGE\r\n\r\n',
    'GET /\r\n\r\n',
    'GET  / HTTP/1.1\r\n\r\n',
    'GET / HTTP/1.1 \r\n\r\n',
    'GET / http/1.1\r\n\r\n',
    'G@T / HTTP/1.1\r\n\r\n',
    'GET / HTTP/1.x\r\n\r\n',
    'GET /\x7f HTTP/1.1\r\nHost: x\r\n\r\n',
    'GET /\xe9 HTTP/1.1\r\nHost: x\r\n\r\n',
    'GET /\xff HTTP/1.1\r\nHost: x\r\n\r\n',
    'GET / HTTP/1.1\r\nNo colon here\r\n\r\n',
    'GET / HTTP/1.1\r\nBad Name: x\r\n\r\n',
    'GET / HTTP/1.1\r\nName : x\r\n\r\n',
    'GET / HTTP/1.1\r\n: empty name\r\n\r\n',
    'GET / HTTP/1.1\r\nA: b\r\n folded\r\n\r\n',
    'GET / HTTP/1.1\r\nA: b\x00c\r\n\r\n',
    'GET / HTTP/1.1\nHost: x\n\n',
    'POST / HTTP/1.1\r\nContent-Length: abc\r\n\r\n',
    'POST / HTTP/1.1\r\nContent-Length: -1\r\n\r\n',
    'POST / HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n',
    'POST / HTTP/1.1\r\nContent-Length: 1234567890123456\r\n\r\n',
    'POST / HTTP/1.1\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n',
    'POST / HTTP/1.1\r\nTransfer-Encoding: chunked, gzip\r\n\r\n',
    'POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n',
    'POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n',
    'POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabcX',
  ];
  for (const text of bad) {
    const framed = frame(text);
    assert.equal(framed.error?.status, 400, JSON.stringify(text));
    assert.equal(framed.requests.length, 0, JSON.stringify(text));
  }
});

test('requests framed before an error still come out; nothing after it', () => {
  const framed = frame(`${GET}${GET}BROKEN\r\n\r\n${GET}`);
  assert.equal(framed.requests.length, 2);
  assert.equal(framed.error?.status, 400);
  const framer = new RequestFramer();
  framer.push(Buffer.from('BAD\r\n\r\n'));
  assert.equal(framer.push(Buffer.from(GET)), 0, 'pushes after an error are ignored');
});

test('body methods without a length are 411; others need none', () => {
  for (const method of ['POST', 'PUT', 'PATCH']) {
    assert.equal(frame(`${method} / HTTP/1.1\r\nHost: x\r\n\r\n`).error?.status, 411, method);
  }
  for (const method of ['GET', 'DELETE', 'OPTIONS', 'HEAD']) {
    assert.equal(frame(`${method} / HTTP/1.1\r\nHost: x\r\n\r\n`).requests[0]?.method, method);
  }
});

test('unsupported HTTP versions are 505', () => {
  for (const version of ['HTTP/2.0', 'HTTP/1.2', 'HTTP/0.9', 'HTTP/3.0']) {
    assert.equal(frame(`GET / ${version}\r\n\r\n`).error?.status, 505, version);
  }
});

test('header blocks over 8 KiB are 431, whether complete or still arriving', () => {
  const filler = 'x'.repeat(9000);
  assert.equal(frame(`GET / HTTP/1.1\r\nX-Big: ${filler}\r\n\r\n`).error?.status, 431);
  assert.equal(frame(`GET / HTTP/1.1\r\nX-Big: ${filler}`).error?.status, 431, 'unfinished line');
  assert.equal(frame(`GET /${filler} HTTP/1.1\r\n\r\n`).error?.status, 431, 'long request line');
  const many = Array.from({ length: 1000 }, (_, i) => `H${i}: v\r\n`).join('');
  assert.equal(frame(`GET / HTTP/1.1\r\n${many}\r\n`).error?.status, 431, 'many small headers');
  // Exactly at the limit is fine.
  const base = 'GET / HTTP/1.1\r\nHost: x\r\nX: \r\n\r\n';
  const exact = `GET / HTTP/1.1\r\nHost: x\r\nX: ${'y'.repeat(8192 - base.length)}\r\n\r\n`;
  assert.equal(exact.length, 8192);
  assert.deepEqual(frame(exact).error, undefined);
  assert.equal(frame(exact, [], { maxHeaderBytes: 8191 }).error?.status, 431);
});

test('HTTP/1.1 needs exactly one Host (RFC 9112 §3.2); HTTP/1.0 may go without', () => {
  for (const text of [
    'GET / HTTP/1.1\r\n\r\n',
    'GET / HTTP/1.1\r\nHostname: x\r\n\r\n',
    'GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n',
    'GET / HTTP/1.0\r\nHost: a\r\nhost: a\r\n\r\n',
    `${GET}GET /second HTTP/1.1\r\n\r\n`,
  ]) {
    const framed = frame(text);
    assert.equal(framed.error?.status, 400, JSON.stringify(text));
    assert.match(framed.error?.reason ?? '', /Host/, JSON.stringify(text));
  }
  assert.equal(frame(`${GET}GET /second HTTP/1.1\r\n\r\n`).requests.length, 1, 'the request before it is served');
  assert.deepEqual(frame('GET / HTTP/1.0\r\n\r\n').requests, [req('GET', '/', 10, false)]);
  assert.deepEqual(
    frame('GET / HTTP/1.1\r\nhOsT:\r\n\r\n').requests,
    [req('GET', '/', 11, true)],
    'an empty Host is a Host',
  );
});

test('empty lines before a request line are ignored, but count towards the head limit', () => {
  assert.equal(frame(`\r\n\r\n${GET}`).requests.length, 1);
  assert.equal(frame('\r\n'.repeat(5000)).error?.status, 431);
});

test('inHead tells a started head from the gap between requests and from a body; framed counts requests', () => {
  const framer = new RequestFramer();
  const push = (text: string) => framer.push(Buffer.from(text, 'latin1'));
  assert.equal(framer.inHead, false, 'nothing yet');
  push('GET / HT');
  assert.equal(framer.inHead, true, 'part of a request line');
  push('TP/1.1\r\nHost: x\r\n');
  assert.equal(framer.inHead, true, 'part of the headers');
  push('\r\n');
  assert.deepEqual([framer.inHead, framer.framed], [false, 1], 'a complete request');
  push('POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nab');
  assert.deepEqual([framer.inHead, framer.framed], [false, 1], 'in a body');
  push('cde\r\n');
  assert.deepEqual([framer.inHead, framer.framed], [true, 2], 'an empty line after the body');
});

test('common requests are shared frozen objects: the hot path allocates none', () => {
  const framer = new RequestFramer();
  framer.push(Buffer.from(GET + GET));
  const a = framer.next();
  const b = framer.next();
  assert.equal(a, b);
  assert.ok(Object.isFrozen(a));
});
