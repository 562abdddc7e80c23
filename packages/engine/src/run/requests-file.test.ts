import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { testTempDir } from '@iobench/core/testing';
import { MAX_REQUESTS_FILE_BYTES, parseRequestsText, readRequestsFile } from './requests-file.js';

const ORIGIN = 'http://127.0.0.1:8080';

test('requests: method and target, headers, an @file body, blank lines between, comments', () => {
  const parsed = parseRequestsText(
    '# c\nGET /a\nAccept:  text/plain \n\nPOST http://127.0.0.1:8080/b?x=1\n@body.json\n\n\nDELETE /c\n',
    ORIGIN,
  );
  assert.ok('requests' in parsed);
  assert.deepEqual(
    parsed.requests.map(({ request, bodyFile, line }) => [
      request.method,
      request.path,
      request.headers,
      bodyFile,
      line,
    ]),
    [
      ['GET', '/a', [['Accept', 'text/plain']], undefined, 2],
      ['POST', '/b?x=1', [], 'body.json', 5],
      ['DELETE', '/c', [], undefined, 9],
    ],
  );
});

test('every error names its line and what was expected', () => {
  const cases: Array<[string, string | undefined, RegExp]> = [
    ['', ORIGIN, /holds no request/],
    ['GET\n', ORIGIN, /line 1: expected "METHOD path"/],
    ['G T /\n', ORIGIN, /line 1: expected "METHOD path"/],
    ['GE(T /\n', ORIGIN, /line 1: "GE\(T" is not an HTTP method token/],
    ['GET nowhere\n', ORIGIN, /line 1: expected a path starting with "\/" or an http\(s\):\/\/ URL/],
    ['GET /\nno colon\n', ORIGIN, /line 2: expected "Name: value"/],
    ['GET /\n@a\n@b\n', ORIGIN, /line 3: a second @file/],
    ['GET /\n@a\nX: y\n', ORIGIN, /line 3: expected a blank line after the @file body line/],
    ['GET /\n@\n', ORIGIN, /line 2: expected a file name after "@"/],
    ['GET http://other:1/\n', ORIGIN, /line 1: "http:\/\/other:1\/" is not on the target http:\/\/127\.0\.0\.1:8080/],
    [
      'GET http://127.0.0.1:8080/\n',
      undefined,
      /line 1: .* is a URL, but the servers of this run are started by iobench/,
    ],
  ];
  for (const [text, origin, message] of cases) {
    const parsed = parseRequestsText(text, origin);
    assert.ok('error' in parsed, JSON.stringify(text));
    assert.match(parsed.error, message, JSON.stringify(text));
  }
});

test('bodies are read relative to the requests file; a file too large is refused before it is read', async () => {
  const dir = await testTempDir('iobench-requests-');
  await writeFile(join(dir, 'b.bin'), Buffer.from([0, 1, 2, 255]));
  await writeFile(join(dir, 'list.txt'), 'PUT /x\n@b.bin\n');
  const [request] = await readRequestsFile(join(dir, 'list.txt'), ORIGIN);
  assert.deepEqual([...request!.body!], [0, 1, 2, 255]);
  await writeFile(join(dir, 'missing.txt'), 'PUT /x\n@nope.bin\n');
  await assert.rejects(readRequestsFile(join(dir, 'missing.txt')), /line 1: body .*nope\.bin cannot be read: ENOENT/);
  await writeFile(join(dir, 'big.txt'), `GET /\n${'#'.repeat(MAX_REQUESTS_FILE_BYTES)}\n`);
  await assert.rejects(readRequestsFile(join(dir, 'big.txt')), /at most 1048576 \(1 MiB\) are read/);
});
