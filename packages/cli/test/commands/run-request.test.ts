// issue 19: pointing iobench at one's own server with the flags wrk, oha, hey and curl users type —
// a URL argument, -c/-t/-d, -X, -H, --body-file, --requests-file — and the same requests from every
// load generator (README "Benchmark your own server" shows these commands).
import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { ResultsFile } from '@iobench/core';
import { type EchoServer, echoServer, headerOf, requireTool } from '@iobench/core/testing';
import { iobench, tempDir } from '../helpers.js';

const noWrk = requireTool('wrk');
/** Every generator that can run here: wrk where it is installed. */
const LOADS = noWrk ? ['native', 'undici'] : ['native', 'undici', 'wrk'];

describe('iobench run URL with request flags', () => {
  let server: EchoServer;
  let dir: string;

  before(async () => {
    server = await echoServer();
    dir = await tempDir();
    await writeFile(join(dir, 'b.json'), '{"a":1}\n');
    await writeFile(join(dir, 'b2.json'), '{"b":2}');
    await writeFile(
      join(dir, 'requests.txt'),
      [
        '# the list each connection cycles through',
        'GET /items',
        'X-Tag: first',
        '',
        `POST ${server.url}items?x=1`,
        'content-type: application/json',
        '@b2.json',
        '',
        'DELETE /items/7',
        '',
      ].join('\n'),
    );
  });

  after(() => server.close());

  test('the README flow: -c -d -H -X --body-file URL sends identical requests from every generator', async (t) => {
    if (noWrk) t.diagnostic(`wrk left out: ${noWrk}`);
    const seen = new Map<string, string>();
    for (const load of LOADS) {
      server.requests.length = 0;
      const out = await tempDir();
      const r = await iobench(
        [
          'run',
          '-c',
          '4',
          '-d',
          '1s',
          '-H',
          'content-type: application/json',
          '-X',
          'POST',
          '--body-file',
          'b.json',
          '--load',
          load,
          `${server.url}api`,
          '--out',
          out,
        ],
        { cwd: dir },
      );
      assert.equal(r.code, 0, `${load}: ${r.stderr}`);
      assert.match(r.stdout, new RegExp(`target\\s+${load}\\s+4\\s`), r.stdout);
      const first = server.requests[0];
      assert.ok(first, `${load} sent nothing`);
      const request = [
        `${first.method} ${first.url}`,
        `content-type: ${headerOf(first, 'content-type')}`,
        `content-length: ${headerOf(first, 'content-length')}`,
        first.body,
      ].join('\n');
      seen.set(load, request);
      assert.ok(
        server.requests.every((q) => q.method === 'POST' && q.url === '/api' && q.body === '{"a":1}\n'),
        `${load}: every request is the same`,
      );
      const results = JSON.parse(await readFile(join(out, 'results.json'), 'utf8')) as ResultsFile;
      assert.equal(results.plan.target, `${server.url}api`, 'the URL argument is the target');
      assert.deepEqual(results.plan.request?.requests, [
        { method: 'POST', headers: [['content-type', 'application/json']], bodyBytes: 8 },
      ]);
    }
    assert.equal(
      seen.get('native'),
      'POST /api\ncontent-type: application/json\ncontent-length: 8\n{"a":1}\n',
      'what native sent',
    );
    for (const [load, request] of seen) assert.equal(request, seen.get('native'), `${load} sends what native sends`);
  });

  test('--requests-file: every generator cycles the list, -H added to each request', async () => {
    server.requests.length = 0;
    const out = await tempDir();
    const r = await iobench(
      [
        'run',
        '-c',
        '2',
        '-d',
        '1s',
        '-H',
        'x-run: 19',
        '--requests-file',
        'requests.txt',
        '--load',
        LOADS.join(','),
        server.url,
        '--out',
        out,
      ],
      { cwd: dir },
    );
    assert.equal(r.code, 0, r.stderr);
    const results = JSON.parse(await readFile(join(out, 'results.json'), 'utf8')) as ResultsFile;
    assert.equal(results.points.length, LOADS.length);
    for (const point of results.points) assert.ok(point.requests >= 3, `${point.load}: ${point.requests}`);
    const kinds = new Set(server.requests.map((q) => `${q.method} ${q.url} ${q.body}`));
    assert.deepEqual([...kinds].sort(), ['DELETE /items/7 ', 'GET /items ', 'POST /items?x=1 {"b":2}']);
    assert.ok(server.requests.every((q) => headerOf(q, 'x-run') === '19'));
    assert.ok(server.requests.filter((q) => q.method === 'GET').every((q) => headerOf(q, 'x-tag') === 'first'));
  });

  test('refusals say what is wrong and what to do (exit 2, nothing sent)', async () => {
    server.requests.length = 0;
    await writeFile(join(dir, 'bad-requests.txt'), 'GET /\nnot a header\n');
    await writeFile(join(dir, 'elsewhere.txt'), 'GET http://example.com/\n');
    const cases: Array<[string[], RegExp]> = [
      [
        ['run', 'epoll'],
        /"epoll" is not a URL.*\n.*hint: to benchmark the built-in server "epoll", use --server epoll/,
      ],
      [['run', server.url, '--target', server.url], /give the target once/],
      [['run', server.url, '--server', 'epoll'], /either a running server \(the URL\) or server plugins/],
      [['run', server.url, '-H', 'no colon'], /--header .*"no colon": expected "Name: value"/],
      [['run', server.url, '-H', 'bad name: x'], /header name "bad name" must be an HTTP token/],
      [
        ['run', server.url, '--load-opt', 'method=POST'],
        /load option "method" \(of native\) is a setting common to every load generator: use -X\/--method/,
      ],
      [['run', server.url, '--load-opt', 'undici.insecure=true', '-l', 'undici'], /use -k\/--insecure/],
      [
        ['run', server.url, '--body', 'x', '--body-file', 'b.json'],
        /--body=x cannot also be provided when using --body-file|give the body once/,
      ],
      [
        ['run', server.url, '--requests-file', 'bad-requests.txt'],
        /requests file .*bad-requests\.txt: line 2: expected "Name: value"/,
      ],
      [
        ['run', server.url, '--requests-file', 'elsewhere.txt'],
        /line 1: "http:\/\/example\.com\/" is not on the target http:\/\/127\.0\.0\.1:\d+/,
      ],
      [
        ['run', server.url, '--requests-file', 'requests.txt', '-X', 'PUT'],
        /--method cannot be combined with requestsFile/,
      ],
      [
        ['run', '--server', 'epoll', '--requests-file', 'requests.txt'],
        /line 5: .* is a URL, but the servers of this run are started by iobench/,
      ],
      [['run', server.url, '--body-file', 'missing.json'], /--body-file .*missing\.json cannot be read: ENOENT/],
      [
        ['run', server.url, '-l', 'wrk', '--cacert', 'b.json'],
        /load generator "wrk" cannot honour --cacert .*: it does not support checking certificates/,
      ],
      [
        ['run', server.url, '-l', 'undici', '--cacert', 'b.json'],
        /--cacert .*b\.json must be a PEM file of CA certificates/,
      ],
    ];
    // Side by side: each is refused before anything starts (most of the time is the CLI starting).
    await Promise.all(
      cases.map(async ([args, message]) => {
        const r = await iobench([...args, '-d', '1s', '--warmup', '0', '--out', join(await tempDir(), 'o')], {
          cwd: dir,
        });
        assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
        assert.match(r.stderr, message, args.join(' '));
      }),
    );
    assert.equal(server.requests.length, 0, 'nothing was sent');
  });

  test('did you mean: an unknown flag of any command names the nearest (exit 2)', async () => {
    const run = await iobench(['run', '--servr', 'epoll']);
    assert.equal(run.code, 2);
    assert.match(run.stderr, /unknown flag --servr \(did you mean "--server"\?\)/);
    assert.match(run.stderr, /hint: `iobench run --help` lists its flags/);
    const compare = await iobench(['compare', 'a.json', 'b.json', '--fail-if-slowr', '5%']);
    assert.equal(compare.code, 2);
    assert.match(compare.stderr, /unknown flag --fail-if-slowr \(did you mean "--fail-if-slower"\?\)/);
    const list = await iobench(['list', '--jsn']);
    assert.match(list.stderr, /unknown flag --jsn \(did you mean "--json"\?\)/);
  });
});
