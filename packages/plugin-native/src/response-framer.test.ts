import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FRAMING_FAILED, MAX_RESPONSE_HEAD_BYTES, NEED_MORE, ResponseFramer } from './response-framer.js';

interface Framed {
  responses: { status: number; keepAlive: boolean }[];
  error?: string;
  /** True when the stream ended in the middle of a response. */
  midResponse: boolean;
}

/** Feeds `text` in pieces cut at `cuts` (offsets), then the close, like a connection would. */
function frame(text: string, cuts: number[] = [], headOnly = false, closeAtEnd = false): Framed {
  const bytes = Buffer.from(text, 'latin1');
  const framer = new ResponseFramer(headOnly);
  const out: Framed = { responses: [], midResponse: false };
  const bounds = [0, ...cuts.filter((c) => c > 0 && c < bytes.length).sort((a, b) => a - b), bytes.length];
  for (let i = 0; i + 1 < bounds.length; i++) {
    // A fresh copy per read, as recv into a reused buffer would leave nothing to rely on.
    const piece = Uint8Array.from(bytes.subarray(bounds[i], bounds[i + 1]));
    let pos = 0;
    while (pos < piece.length) {
      const next = framer.feed(piece, pos, piece.length);
      if (next === FRAMING_FAILED) {
        out.error = framer.error;
        return out;
      }
      if (next === NEED_MORE) break;
      out.responses.push({ status: framer.status, keepAlive: framer.keepAlive });
      pos = next;
    }
  }
  if (closeAtEnd && framer.closed()) out.responses.push({ status: framer.status, keepAlive: framer.keepAlive });
  out.midResponse = framer.midResponse;
  return out;
}

/** Every way of cutting `text` in two, and byte by byte: framing must not depend on read boundaries. */
function everySplit(text: string, check: (framed: Framed) => void, headOnly = false, closeAtEnd = false): void {
  for (let cut = 0; cut <= text.length; cut++) check(frame(text, [cut], headOnly, closeAtEnd));
  check(
    frame(
      text,
      Array.from({ length: text.length }, (_, i) => i),
      headOnly,
      closeAtEnd,
    ),
  );
}

const ok = (body: string, extra = '') => `HTTP/1.1 200 OK\r\nContent-Length: ${body.length}\r\n${extra}\r\n${body}`;

test('Content-Length responses, pipelined, at every read boundary', () => {
  const stream = ok('Hello, world!') + ok('') + ok('x'.repeat(300), 'Server: t\r\n');
  everySplit(stream, (f) => {
    assert.equal(f.error, undefined);
    assert.deepEqual(
      f.responses.map((r) => r.status),
      [200, 200, 200],
    );
    assert.equal(f.midResponse, false);
  });
});

test('chunked bodies with extensions and trailers', () => {
  const stream =
    'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5;ext=1\r\nHello\r\nA\r\n0123456789\r\n0\r\nX-Trailer: y\r\n\r\n' +
    ok('next');
  everySplit(stream, (f) => {
    assert.equal(f.error, undefined);
    assert.equal(f.responses.length, 2);
  });
});

test('a body delimited by the close completes only when the server closes', () => {
  const stream = 'HTTP/1.0 200 OK\r\nServer: old\r\n\r\nbody until the end';
  everySplit(
    stream,
    (f) => {
      assert.deepEqual(f.responses, [{ status: 200, keepAlive: false }]);
    },
    false,
    true,
  );
  assert.equal(frame(stream).responses.length, 0, 'not complete before the close');
  assert.equal(frame(stream).midResponse, true);
});

test('HEAD answers, 204 and 304 carry no body whatever their Content-Length says', () => {
  const head = 'HTTP/1.1 200 OK\r\nContent-Length: 13\r\n\r\n';
  everySplit(head + head, (f) => assert.equal(f.responses.length, 2), true);
  const noBody = 'HTTP/1.1 204 No Content\r\nContent-Length: 5\r\n\r\nHTTP/1.1 304 Not Modified\r\n\r\n';
  everySplit(noBody, (f) =>
    assert.deepEqual(
      f.responses.map((r) => r.status),
      [204, 304],
    ),
  );
});

test('1xx interim responses are skipped, the final one counts', () => {
  const stream = `HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </a>\r\n\r\n${ok('done')}`;
  everySplit(stream, (f) => assert.deepEqual(f.responses, [{ status: 200, keepAlive: true }]));
});

test('keep-alive follows the version and the Connection header', () => {
  const statuses = (text: string) => frame(text).responses.map((r) => r.keepAlive);
  assert.deepEqual(statuses(ok('a', 'Connection: close\r\n')), [false]);
  assert.deepEqual(statuses(ok('a', 'connection: Keep-Alive, CLOSE\r\n')), [false]);
  assert.deepEqual(statuses('HTTP/1.0 200 OK\r\nContent-Length: 1\r\n\r\na'), [false]);
  assert.deepEqual(statuses('HTTP/1.0 200 OK\r\nContent-Length: 1\r\nConnection: keep-alive\r\n\r\na'), [true]);
  assert.deepEqual(statuses(ok('a')), [true]);
});

test('status codes are reported as sent', () => {
  const f = frame(`${ok('a').replace('200 OK', '404 Not Found')}HTTP/1.1 503 \r\nContent-Length: 0\r\n\r\n`);
  assert.deepEqual(
    f.responses.map((r) => r.status),
    [404, 503],
  );
});

test('garbage fails with a reason that shows what arrived', () => {
  for (const [text, reason] of [
    ['garbage\r\n\r\n', /malformed status line "garbage"/],
    ['HTTP/2 200 OK\r\n\r\n', /malformed status line/],
    ['HTTP/1.1 2x0 OK\r\n\r\n', /malformed status line/],
    ['HTTP/1.1 200 OK\r\nno colon here\r\n\r\n', /malformed header line/],
    ['HTTP/1.1 200 OK\r\nContent-Length: 12a\r\n\r\n', /invalid Content-Length "12a"/],
    ['HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n', /invalid Content-Length/],
    ['HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n', /invalid chunk size "zz"/],
    ['HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1\r\nab\r\n', /chunk data not followed by CRLF/],
  ] as const) {
    everySplit(text, (f) => {
      assert.equal(f.responses.length, 0, text);
      assert.match(f.error ?? '', reason, text);
    });
  }
});

test('a control byte in a header line fails and is named, whatever the reads; HTAB and the CRLF are fine', () => {
  for (const [line, reason] of [
    ['X-A: b\rc', /control byte 0x0d in header line/],
    ['X-A: b\r', /control byte 0x0d in header line/],
    ['X-A: \0b', /control byte 0x00 in header line/],
    ['X-\x01A: b\x7f', /control byte 0x01 in header line/],
    ['X-A: b\x7f', /control byte 0x7f in header line/],
    [': b', /malformed header line/],
    ['X-A b\r', /malformed header line/],
  ] as const) {
    everySplit(`HTTP/1.1 200 OK\r\n${line}\r\nContent-Length: 0\r\n\r\n`, (f) => {
      assert.equal(f.responses.length, 0, line);
      assert.match(f.error ?? '', reason, JSON.stringify(line));
    });
  }
  for (const line of ['X-A:\tb\tc', 'X-A: a:b', 'X-A:']) {
    everySplit(`HTTP/1.1 200 OK\r\n${line}\r\nContent-Length: 0\r\n\r\n`, (f) => {
      assert.equal(f.error, undefined, JSON.stringify(line));
      assert.equal(f.responses.length, 1);
    });
  }
  // A bare LF ends a line as well as a CRLF does.
  everySplit('HTTP/1.1 200 OK\nX-A: b\nContent-Length: 0\n\n', (f) => assert.equal(f.responses.length, 1));
});

test('a head larger than the limit fails instead of growing without end, whatever the reads', () => {
  const huge = `HTTP/1.1 200 OK\r\nX-Big: ${'a'.repeat(MAX_RESPONSE_HEAD_BYTES)}\r\n\r\n`;
  for (const cuts of [[], [100], Array.from({ length: 70 }, (_, i) => i * 1000)]) {
    assert.match(frame(huge, cuts).error ?? '', /response head larger than 65536 bytes/);
  }
  const manyLines = `HTTP/1.1 200 OK\r\n${'X-A: b\r\n'.repeat(MAX_RESPONSE_HEAD_BYTES / 8)}\r\n`;
  assert.match(frame(manyLines).error ?? '', /response head larger than/);
});

test('a large body is skipped without being held: gigabytes cost nothing', () => {
  const framer = new ResponseFramer(false);
  const head = Buffer.from('HTTP/1.1 200 OK\r\nContent-Length: 4000000000\r\n\r\n', 'latin1');
  assert.equal(framer.feed(head, 0, head.length), NEED_MORE);
  const chunk = new Uint8Array(1 << 20);
  let left = 4_000_000_000;
  let result = NEED_MORE;
  while (left > 0) {
    const n = Math.min(left, chunk.length);
    result = framer.feed(chunk, 0, n);
    left -= n;
  }
  assert.equal(result, ((4_000_000_000 - 1) % chunk.length) + 1, 'ends exactly after the last body byte');
  assert.equal(framer.status, 200);
});

test('reset forgets a partial response, so a reconnected stream frames from scratch', () => {
  const framer = new ResponseFramer(false);
  const partial = Buffer.from('HTTP/1.1 200 OK\r\nContent-Le', 'latin1');
  framer.feed(partial, 0, partial.length);
  assert.equal(framer.midResponse, true);
  framer.reset();
  assert.equal(framer.midResponse, false);
  const whole = Buffer.from(ok('hi'), 'latin1');
  assert.equal(framer.feed(whole, 0, whole.length), whole.length);
});
