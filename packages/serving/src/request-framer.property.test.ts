/** Property-based tests of the framer: split invariance, robustness to garbage, the header limit. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { frame } from './framer-test-helpers.js';
import type { ParsedRequest } from './request-framer.js';

const token = fc.stringMatching(/^[A-Za-z0-9!#$%&'*+.^_`|~-]{1,12}$/);
const headerValue = fc.stringMatching(/^[\x21-\x7e]([\x20-\x7e]{0,30}[\x21-\x7e])?$/);
const target = fc.stringMatching(/^\/[A-Za-z0-9/?=&%._~-]{0,40}$/);
const anyCase = (word: string) =>
  fc
    .array(fc.boolean(), { minLength: word.length, maxLength: word.length })
    .map((upper) => [...word].map((c, i) => (upper[i] ? c.toUpperCase() : c)).join(''));

/** A valid request: its bytes and what the framer must make of it. */
const validRequest = fc
  .record({
    method: fc.constantFrom('GET', 'HEAD', 'DELETE', 'OPTIONS', 'POST', 'PUT', 'PATCH', 'PROPFIND'),
    target,
    version: fc.constantFrom(10 as const, 11 as const),
    headers: fc.array(fc.tuple(token, headerValue), { maxLength: 5 }),
    connection: fc.option(fc.oneof(anyCase('close'), anyCase('keep-alive'), fc.constant('upgrade')), {
      nil: undefined,
    }),
    body: fc.option(fc.string({ maxLength: 40 }), { nil: undefined }),
    chunked: fc.boolean(),
    host: fc.boolean(),
  })
  .map((r) => {
    const framingNames = /^(content-length|transfer-encoding|connection|host)$/i;
    const lines = [`${r.method} ${r.target} HTTP/1.${r.version === 10 ? 0 : 1}`];
    // HTTP/1.1 requires one Host; HTTP/1.0 may send one.
    if (r.version === 11 || r.host) lines.push('Host: example.test');
    for (const [name, value] of r.headers) if (!framingNames.test(name)) lines.push(`${name}: ${value}`);
    if (r.connection !== undefined) lines.push(`Connection: ${r.connection}`);
    const needsBody = ['POST', 'PUT', 'PATCH'].includes(r.method);
    const body = r.body ?? (needsBody ? '' : undefined);
    let bodyBytes = '';
    if (body !== undefined) {
      if (r.chunked && r.version === 11) {
        lines.push('Transfer-Encoding: chunked');
        const half = Math.floor(body.length / 2);
        for (const part of [body.slice(0, half), body.slice(half)]) {
          if (part.length > 0) bodyBytes += `${Buffer.byteLength(part).toString(16)}\r\n${part}\r\n`;
        }
        bodyBytes += '0\r\n\r\n';
      } else {
        lines.push(`Content-Length: ${Buffer.byteLength(body)}`);
        bodyBytes = body;
      }
    }
    const connection = r.connection?.toLowerCase();
    const keepAlive = connection === 'close' ? false : r.version === 11 || connection === 'keep-alive';
    const expected: ParsedRequest = { method: r.method, target: r.target, version: r.version, keepAlive };
    return {
      bytes: Buffer.concat([Buffer.from(`${lines.join('\r\n')}\r\n\r\n`, 'latin1'), Buffer.from(bodyBytes)]),
      expected,
    };
  });

const cutsFor = (length: number) =>
  fc.array(fc.nat({ max: length }), { maxLength: 12 }).map((cuts) => cuts.sort((a, b) => a - b));

test('any split of a valid pipelined stream yields the same requests, in order', () => {
  fc.assert(
    fc.property(
      fc.array(validRequest, { minLength: 1, maxLength: 6 }).chain((requests) => {
        const stream = Buffer.concat(requests.map((r) => r.bytes));
        return fc.tuple(fc.constant(stream), fc.constant(requests.map((r) => r.expected)), cutsFor(stream.length));
      }),
      ([stream, expected, cuts]) => {
        const framed = frame(stream, cuts);
        assert.equal(framed.error, undefined);
        assert.deepEqual(framed.requests, expected);
      },
    ),
    { numRuns: 500 },
  );
});

test('random garbage never throws: it yields requests and at most a FrameError, the same for any split', () => {
  const pieces = fc.oneof(
    fc.uint8Array({ maxLength: 64 }),
    fc
      .constantFrom(
        '\r\n',
        '\r\n\r\n',
        'GET / HTTP/1.1\r\n',
        'Content-Length: 3\r\n',
        'Transfer-Encoding: chunked\r\n',
        '5\r\n',
        'HTTP/1.0',
        ' ',
        ':',
      )
      .map((s) => Buffer.from(s)),
  );
  fc.assert(
    fc.property(
      fc.array(pieces, { maxLength: 20 }).chain((parts) => {
        const stream = Buffer.concat(parts);
        return fc.tuple(fc.constant(stream), cutsFor(stream.length));
      }),
      ([stream, cuts]) => {
        const whole = frame(stream);
        const split = frame(stream, cuts);
        if (whole.error !== undefined) assert.ok([400, 411, 431, 505].includes(whole.error.status));
        assert.deepEqual(split, whole);
      },
    ),
    { numRuns: 1000 },
  );
});

test('header blocks over the limit are always 431, however they arrive', () => {
  fc.assert(
    fc.property(
      validRequest,
      fc.integer({ min: 8193, max: 20_000 }),
      fc.integer({ min: 1, max: 40 }),
      (request, size, headerCount) => {
        const text = request.bytes.toString('latin1');
        const headEnd = text.indexOf('\r\n') + 2;
        // Pad with several headers so the block, not one line, crosses the limit.
        const padLength = Math.ceil(size / headerCount);
        const padding = Array.from({ length: headerCount }, (_, i) => `X-Pad-${i}: ${'p'.repeat(padLength)}\r\n`).join(
          '',
        );
        const stream = Buffer.from(text.slice(0, headEnd) + padding + text.slice(headEnd), 'latin1');
        return fc.assert(
          fc.property(cutsFor(stream.length), (cuts) => {
            const framed = frame(stream, cuts);
            assert.equal(framed.error?.status, 431);
            assert.equal(framed.requests.length, 0);
          }),
          { numRuns: 3 },
        );
      },
    ),
    { numRuns: 100 },
  );
});
