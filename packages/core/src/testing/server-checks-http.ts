/** Conformance checks of HTTP/1.x behaviour on one or a few raw connections. */
import assert from 'node:assert/strict';
import { getRequest, RawConnection, type RawResponse } from './raw-http.js';
import type { Check } from './server-check-env.js';

const HELLO = 'Hello, world!';

function assertOk(response: RawResponse, what: string): void {
  assert.equal(response.status, 200, `${what}: status line ${JSON.stringify(response.statusLine)}`);
  assert.equal(
    response.headers['content-length'],
    String(response.body.length),
    `${what}: Content-Length must match the body`,
  );
}

const closes = (r: RawResponse) => /(^|,)\s*close\s*(,|$)/i.test(r.headers.connection ?? '');

/** GET / -> 200 Hello, world! (or `bodySize` bytes) with Content-Length. */
export const hello: Check = async ({ server, serverOptions }) => {
  const { host, port } = server();
  const connection = await RawConnection.connect(host, port);
  try {
    connection.write(getRequest());
    const [response] = await connection.readResponses(1);
    assertOk(response!, 'GET /');
    const body = response!.body;
    if (serverOptions.bodySize === undefined) {
      assert.ok(
        body.toString('latin1') === HELLO,
        `GET /: the body must be "${HELLO}" (${HELLO.length} bytes, the default bodySize); got ${JSON.stringify(body.toString('latin1', 0, 80))}`,
      );
    } else {
      assert.ok(
        body.length === serverOptions.bodySize,
        `GET /: the body must be bodySize (${serverOptions.bodySize}) bytes; got ${body.length}`,
      );
    }
  } finally {
    connection.destroy();
  }
};

/** Several sequential requests on one connection, which stays open (or closes each time with keepAlive off). */
export const keepAlive: Check = async ({ server, keepsAlive }) => {
  const { host, port } = server();
  const connection = await RawConnection.connect(host, port);
  try {
    for (let i = 0; i < 5; i++) {
      connection.write(getRequest({ target: `/keep-alive/${i}` }));
      const [response] = await connection.readResponses(1);
      assertOk(response!, `request ${i + 1} of 5 on one connection`);
      if (!keepsAlive) {
        assert.ok(closes(response!), 'with keepAlive off the answer must say Connection: close');
        await connection.waitForClose(2000);
        return;
      }
      assert.ok(!closes(response!), `request ${i + 1}: keep-alive answer must not say Connection: close`);
    }
    await new Promise((r) => setTimeout(r, 50));
    assert.equal(connection.closed, false, 'the server closed a keep-alive connection');
  } finally {
    connection.destroy();
  }
};

/** Three requests in one write (one with a body, the last with Connection: close), answered in order. */
export const pipelining: Check = async ({ server, keepsAlive }) => {
  const { host, port } = server();
  const connection = await RawConnection.connect(host, port);
  try {
    connection.write(
      getRequest({ target: '/first' }) +
        'POST /second HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 5\r\n\r\nhello' +
        getRequest({ target: '/third', headers: ['Connection: close'] }),
    );
    const expected = keepsAlive ? 3 : 1;
    const responses = await connection.readResponses(expected);
    for (const [i, r] of responses.entries()) {
      assertOk(r, `pipelined response ${i + 1}`);
      if (i < expected - 1) assert.ok(!closes(r), `pipelined response ${i + 1} must keep the connection`);
    }
    assert.ok(
      closes(responses[expected - 1]!),
      'the answer to the Connection: close request must say Connection: close',
    );
    await connection.waitForClose(2000);
    assert.equal(connection.received.length, 0, 'nothing may follow the closing answer');
  } finally {
    connection.destroy();
  }
};

/** HTTP/1.0 closes after the answer, unless the client asked for keep-alive. */
export const http10: Check = async ({ server, keepsAlive }) => {
  const { host, port } = server();
  const plain = await RawConnection.connect(host, port);
  try {
    plain.write(getRequest({ version: '1.0' }));
    const [response] = await plain.readResponses(1);
    assertOk(response!, 'HTTP/1.0 GET');
    await plain.waitForClose(2000);
  } finally {
    plain.destroy();
  }
  const kept = await RawConnection.connect(host, port);
  try {
    for (let i = 0; i < (keepsAlive ? 2 : 1); i++) {
      kept.write(getRequest({ version: '1.0', headers: ['Connection: keep-alive'] }));
      const [response] = await kept.readResponses(1);
      assertOk(response!, 'HTTP/1.0 keep-alive GET');
      if (!keepsAlive) {
        await kept.waitForClose(2000);
        return;
      }
      assert.match(
        response!.headers.connection ?? '',
        /keep-alive/i,
        'HTTP/1.0 keep-alive answer needs Connection: keep-alive',
      );
    }
    assert.equal(kept.closed, false, 'the server closed an HTTP/1.0 keep-alive connection');
  } finally {
    kept.destroy();
  }
};

/** Connection: close is answered with Connection: close and the server closes. */
export const connectionClose: Check = async ({ server }) => {
  const { host, port } = server();
  const connection = await RawConnection.connect(host, port);
  try {
    connection.write(getRequest({ headers: ['Connection: close'] }));
    const [response] = await connection.readResponses(1);
    assertOk(response!, 'GET with Connection: close');
    assert.ok(closes(response!), 'the answer must say Connection: close');
    await connection.waitForClose(2000);
  } finally {
    connection.destroy();
  }
};

/**
 * Writes `request` and expects the answer `status` followed by the server closing. `why` says what
 * makes that the right answer; the shared framer of the iobench serving package gives it.
 */
async function expectErrorAndClose(
  host: string,
  port: number,
  request: string,
  status: number,
  what: string,
  why: string,
) {
  const expected = `expected ${status} and close (${why})`;
  const connection = await RawConnection.connect(host, port);
  try {
    connection.write(request);
    const [response] = await connection.readResponses(1).catch((error: Error) => {
      throw new Error(`${what}: ${expected}: ${error.message}`);
    });
    assert.ok(response!.status === status, `${what}: ${expected}; got ${JSON.stringify(response!.statusLine)}`);
    await connection.waitForClose(2000).catch((error: Error) => {
      throw new Error(`${what}: answered ${status}, but ${error.message}`);
    });
  } finally {
    connection.destroy();
  }
}

/** Malformed request line or header -> 400 and close; the server keeps serving. */
export const malformed: Check = async ({ server }) => {
  const { host, port } = server();
  const why = 'as every iobench server answers it: see RequestFramer in the iobench serving package';
  await expectErrorAndClose(host, port, 'GARBAGE\r\n\r\n', 400, 'malformed request line "GARBAGE"', why);
  await expectErrorAndClose(
    host,
    port,
    'GET / HTTP/1.1\r\nHost: x\r\nNo colon here\r\n\r\n',
    400,
    'header line "No colon here"',
    why,
  );
  const connection = await RawConnection.connect(host, port);
  try {
    connection.write(getRequest());
    assertOk((await connection.readResponses(1))[0]!, 'GET / after malformed requests');
  } finally {
    connection.destroy();
  }
};

/** RFC 9112 §3.2: HTTP/1.1 without Host, or any request with two, -> 400 and close; HTTP/1.0 may omit it. */
export const host: Check = async ({ server }) => {
  const { host, port } = server();
  const why = 'RFC 9112 §3.2';
  await expectErrorAndClose(host, port, 'GET / HTTP/1.1\r\n\r\n', 400, 'HTTP/1.1 without Host', why);
  await expectErrorAndClose(host, port, 'GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n', 400, 'two Host headers', why);
  const connection = await RawConnection.connect(host, port);
  try {
    connection.write('GET / HTTP/1.0\r\n\r\n');
    assertOk((await connection.readResponses(1))[0]!, 'HTTP/1.0 GET without Host');
  } finally {
    connection.destroy();
  }
};

/** POST without a length -> 411 and close (the server cannot tell where its body ends). */
export const lengthRequired: Check = async ({ server }) => {
  const { host, port } = server();
  await expectErrorAndClose(
    host,
    port,
    'POST / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n',
    411,
    'POST without Content-Length or Transfer-Encoding',
    'where its body ends is unknown',
  );
};

/** A header block over 8 KiB -> 431 and close. */
export const oversizedHeaders: Check = async ({ server }) => {
  const { host, port } = server();
  const request = getRequest({ headers: [`X-Oversized: ${'a'.repeat(12 * 1024)}`] });
  await expectErrorAndClose(host, port, request, 431, 'header block of 12 KiB', 'heads are limited to 8 KiB');
};
