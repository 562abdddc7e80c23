/**
 * Issue 10: `node` answered odd requests differently from the shared framer every other server uses.
 * A corpus of odd requests, each sent to `node` and framed by the shared RequestFramer: the answers
 * must agree, except where Node's own parser decides (listed below, and in the README).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { parseHttpResponses, RawConnection, type StartedServer, startServerPlugin } from '@iobench/core/testing';
import { RequestFramer } from '@iobench/serving';
import plugin from '../src/index.js';

const CORPUS = [
  'GET / HTTP/1.1\r\nHost: x\r\n\r\n',
  'GET / HTTP/1.0\r\n\r\n',
  'GET / HTTP/1.1\r\n\r\n',
  'GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n',
  'GET / HTTP/1.1\r\nHost: x\r\n\r\nGET /no-host HTTP/1.1\r\n\r\nGET / HTTP/1.1\r\nHost: x\r\n\r\n',
  'GARBAGE\r\n\r\n',
  'GET /\r\n\r\n',
  'GET  / HTTP/1.1\r\nHost: x\r\n\r\n',
  'GET / HTTP/1.1 \r\nHost: x\r\n\r\n',
  'GET / http/1.1\r\nHost: x\r\n\r\n',
  'GET / HTTP/1.x\r\nHost: x\r\n\r\n',
  'GET / HTTP/1.1\nHost: x\n\n',
  'GET / HTTP/2.0\r\nHost: x\r\n\r\n',
  'GET / HTTP/0.9\r\nHost: x\r\n\r\n',
  'GET / HTTP/1.2\r\nHost: x\r\n\r\n',
  'PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n',
  'FOO / HTTP/1.1\r\nHost: x\r\n\r\n',
  'get / HTTP/1.1\r\nHost: x\r\n\r\n',
  'PROPFIND / HTTP/1.1\r\nHost: x\r\n\r\n',
  'OPTIONS * HTTP/1.1\r\nHost: x\r\n\r\n',
  'CONNECT x:80 HTTP/1.1\r\nHost: x\r\n\r\n',
  'GET http://x/ HTTP/1.1\r\nHost: x\r\n\r\n',
  'GET /\xe9 HTTP/1.1\r\nHost: x\r\n\r\n',
  'GET /\x7f HTTP/1.1\r\nHost: x\r\n\r\n',
  'GET / HTTP/1.1\r\nHost: x\r\nName : x\r\n\r\n',
  'GET / HTTP/1.1\r\nHost: x\r\nA: b\r\n folded\r\n\r\n',
  'GET / HTTP/1.1\r\nHost: x\r\nA: b\x01c\r\n\r\n',
  'GET / HTTP/1.1\r\nHost: x\r\nA:\tb\t\r\n\r\n',
  `GET / HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(9000)}\r\n\r\n`,
  '\r\n\r\nGET / HTTP/1.1\r\nHost: x\r\n\r\n',
  'GET / HTTP/1.1\r\nHost: x\r\nExpect: whatever\r\n\r\n',
  'POST / HTTP/1.1\r\nHost: x\r\n\r\n',
  'PUT / HTTP/1.1\r\nHost: x\r\n\r\n',
  'PATCH / HTTP/1.1\r\nHost: x\r\n\r\n',
  'POST / HTTP/1.1\r\nHost: x\r\nContent-Length: +1\r\n\r\nx',
  'POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 3, 3\r\n\r\nabc',
  'POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nContent-Length: 3\r\n\r\nabc',
  'POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 1234567890123456\r\n\r\n',
  'POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n',
  'POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip\r\n\r\n',
  'POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked, gzip\r\n\r\n',
  'POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n',
  'POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n3;ext=1\r\nabc\r\n0\r\nT: 1\r\n\r\n',
  'POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n',
];

/** Where Node's parser decides, and what `node` answers: the README's list, kept true by this test. */
const NODE_DIFFERENCES: Record<string, string> = {
  // llhttp reads a request line without a version as HTTP/0.9.
  'GET /\r\n\r\n': '505 closed',
  // llhttp tolerates several spaces between request-line parts.
  'GET  / HTTP/1.1\r\nHost: x\r\n\r\n': '200 open',
  // llhttp knows a fixed list of methods (upper case); the framer takes any token.
  'FOO / HTTP/1.1\r\nHost: x\r\n\r\n': '400 closed',
  'get / HTTP/1.1\r\nHost: x\r\n\r\n': '400 closed',
  // Node hands a CONNECT socket over as a tunnel: answered, then closed.
  'CONNECT x:80 HTTP/1.1\r\nHost: x\r\n\r\n': '200 closed',
  // Repeated equal Content-Length: llhttp rejects, the framer accepts (RFC 9110 §8.6 allows both).
  'POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nContent-Length: 3\r\n\r\nabc': '400 closed',
  // llhttp takes lengths up to 2^64; the framer 15 digits. Node answers once the head is in.
  'POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 1234567890123456\r\n\r\n': '200 open',
  // Node answers when the head is complete; the framer only after the whole body, which is broken.
  'POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n': '200 closed',
};

/** What the shared framer makes of `text`: a 200 per request framed, then the error status; and whether it closes. */
function framerOutcome(text: string): string {
  const framer = new RequestFramer();
  framer.push(Buffer.from(text, 'latin1'));
  const statuses: number[] = [];
  let closes = false;
  for (let req = framer.next(); req !== undefined && !closes; req = framer.next()) {
    statuses.push(200);
    closes = !req.keepAlive;
  }
  if (!closes && framer.error !== undefined) {
    statuses.push(framer.error.status);
    closes = true;
  }
  return `${statuses.join(',')} ${closes ? 'closed' : 'open'}`;
}

/** What `node` answers to `text` on a fresh connection: statuses within 300 ms, and whether it closed. */
async function nodeOutcome(server: StartedServer, text: string): Promise<string> {
  const connection = await RawConnection.connect(server.host, server.port);
  try {
    connection.write(text);
    await connection.waitForClose(300).catch(() => {});
    const { responses } = parseHttpResponses(connection.received, connection.closed);
    return `${responses.map((r) => r.status).join(',')} ${connection.closed ? 'closed' : 'open'}`;
  } finally {
    connection.destroy();
  }
}

describe('node answers odd requests as the shared framer does, except where Node parses', () => {
  let server: StartedServer;
  before(async () => {
    server = await startServerPlugin(plugin, {});
  });
  after(() => server.handle.stop());

  it('the corpus', async () => {
    const outcomes = await Promise.all(CORPUS.map((text) => nodeOutcome(server, text)));
    const wrong = CORPUS.flatMap((text, i) => {
      const expected = NODE_DIFFERENCES[text] ?? framerOutcome(text);
      return outcomes[i] === expected ? [] : [`${JSON.stringify(text)}: node ${outcomes[i]}, expected ${expected}`];
    });
    assert.deepEqual(wrong, []);
  });

  it('each listed difference is a real one', () => {
    for (const [text, node] of Object.entries(NODE_DIFFERENCES)) {
      assert.ok(CORPUS.includes(text), `not in the corpus: ${JSON.stringify(text)}`);
      assert.notEqual(framerOutcome(text), node, JSON.stringify(text));
    }
  });
});
