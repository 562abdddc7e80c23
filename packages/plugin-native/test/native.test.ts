import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import net from 'node:net';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { histogramCount, type LoadParams, type LoadProgress, type LoadRequest, type LoadResult } from '@iobench/core';
import {
  echoServer,
  helloServer,
  hostileServer,
  oneAtATimeServer,
  spyServer,
  startServer,
} from '@iobench/core/testing';
import native, { nativeOptionsSchema } from '../src/index.js';
import { uringEngineUnavailable } from '../src/uring-setup.js';

// Every test runs on each engine (the io_uring one skips, saying why, where io_uring is unavailable).
const uringMissing = uringEngineUnavailable();

function runNativeOn(
  engine: string,
  url: string,
  params: Partial<LoadParams> = {},
  options: Record<string, unknown> = {},
  onProgress?: (p: LoadProgress) => void,
  requests?: LoadRequest[],
): Promise<LoadResult> {
  return native.run(
    {
      log: () => {},
      signal: new AbortController().signal,
      params: { connections: 4, durationMs: 500, threads: 1, pipelining: 1, timeoutMs: 2000, ...params },
      onProgress,
    },
    { url, requests },
    nativeOptionsSchema.parse({ engine, ...options }),
  );
}

function engineTests(engine: string): void {
  const runNative = (
    url: string,
    params: Partial<LoadParams> = {},
    options: Record<string, unknown> = {},
    onProgress?: (p: LoadProgress) => void,
    requests?: LoadRequest[],
  ) => runNativeOn(engine, url, params, options, onProgress, requests);

  test('a request limit is met exactly, pipelined or not, over one or two threads', async () => {
    const server = await helloServer();
    try {
      for (const [pipelining, threads] of [
        [1, 1],
        [4, 1],
        [4, 2],
      ] as const) {
        const before = server.answered;
        const result = await runNative(server.url, {
          connections: 4,
          requests: 1000,
          durationMs: 10_000,
          pipelining,
          threads,
        });
        assert.equal(result.requests, 1000, `pipelining ${pipelining}, threads ${threads}`);
        assert.equal(server.answered - before, 1000, 'the server answered exactly the limit');
        assert.equal(histogramCount(result.latency), 1000);
        assert.equal(result.perConnection?.length, 4);
      }
    } finally {
      await server.close();
    }
  });

  test('the request on the wire: Host, the user headers, a body with Content-Length', async () => {
    const server = await spyServer();
    try {
      await runNative(`${server.url}search?q=1`, { connections: 1, requests: 1 }, {}, undefined, [
        { method: 'POST', path: '/search?q=1', headers: [['x-test', 'yes']], body: Buffer.from('héllo') },
      ]);
      const host = new URL(server.url).host;
      assert.equal(
        server.firstRequest(),
        `POST /search?q=1 HTTP/1.1\r\nHost: ${host}\r\nx-test: yes\r\nContent-Length: 6\r\n\r\nh\u00c3\u00a9llo`,
      );
    } finally {
      await server.close();
    }
  });

  test('a request list is cycled per connection, in order, pipelined, with bodies of different sizes', async () => {
    const server = await echoServer();
    const list: LoadRequest[] = [
      { method: 'GET', path: '/a', headers: [] },
      { method: 'POST', path: '/b', headers: [['content-type', 'text/plain']], body: Buffer.from('x'.repeat(3000)) },
      { method: 'PUT', path: '/c?n=1', headers: [], body: Buffer.from('c') },
    ];
    try {
      for (const pipelining of [1, 4]) {
        server.requests.length = 0;
        const result = await runNative(server.url, { connections: 2, requests: 60, pipelining }, {}, undefined, list);
        assert.equal(result.requests, 60);
        assert.equal(result.errors.parse + result.errors.status, 0);
        const connections = new Set(server.requests.map((r) => r.connection));
        assert.equal(connections.size, 2);
        for (const connection of connections) {
          const seen = server.requests.filter((r) => r.connection === connection);
          assert.ok(seen.length >= 3, `connection ${connection} sent ${seen.length}`);
          seen.forEach((r, i) => {
            const expected = list[i % 3]!;
            assert.equal(`${r.method} ${r.url}`, `${expected.method} ${expected.path}`, `request ${i}`);
            assert.equal(r.body, expected.body ? Buffer.from(expected.body).toString() : '');
          });
        }
      }
    } finally {
      await server.close();
    }
  });

  test('a list mixing HEAD with GET frames each response by its own request', async () => {
    const server = await echoServer();
    try {
      const result = await runNative(server.url, { connections: 1, requests: 40, pipelining: 3 }, {}, undefined, [
        { method: 'HEAD', path: '/h', headers: [] },
        { method: 'GET', path: '/g', headers: [] },
      ]);
      assert.equal(result.requests, 40);
      assert.equal(result.errors.parse + result.errors.timeout, 0);
    } finally {
      await server.close();
    }
  });

  test('IPv6, a host name, and a source address', async () => {
    const seen = new Set<string>();
    const server = net.createServer((socket) => {
      seen.add(socket.remoteAddress ?? '');
      socket.on('error', () => {});
      socket.on('data', () => socket.write('HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok'));
    });
    await new Promise<void>((resolve) => server.listen(0, '::', resolve));
    const { port } = server.address() as net.AddressInfo;
    try {
      assert.ok((await runNative(`http://[::1]:${port}/`, { requests: 10 })).requests === 10);
      assert.ok((await runNative(`http://localhost:${port}/`, { requests: 10 })).requests === 10);
      seen.clear();
      const bound = await runNative(`http://127.0.0.1:${port}/`, { requests: 10 }, { localAddress: '127.0.0.2' });
      assert.equal(bound.requests, 10);
      assert.deepEqual([...seen], ['::ffff:127.0.0.2']);
    } finally {
      server.close();
    }
  });

  test('per-connection counts expose a server that serves one keep-alive connection at a time', async () => {
    const server = await oneAtATimeServer();
    try {
      const result = await runNative(server.url, { connections: 4, durationMs: 400, threads: 2 });
      const served = result.perConnection!.filter((n) => n > 0).length;
      assert.equal(served, 1, `per connection: ${result.perConnection}`);
      assert.equal(result.perConnection!.length, 4);
    } finally {
      await server.close();
    }
  });

  test('HEAD answers carry no body even with a Content-Length', async () => {
    const server = await startServer((socket, s) => {
      s.answered++;
      socket.write('HTTP/1.1 200 OK\r\nContent-Length: 13\r\n\r\n');
    });
    try {
      const result = await runNative(server.url, { requests: 100, durationMs: 5000 }, {}, undefined, [
        { method: 'HEAD', path: '/', headers: [] },
      ]);
      assert.equal(result.requests, 100);
      assert.equal(result.errors.parse + result.errors.timeout, 0);
    } finally {
      await server.close();
    }
  });

  test('a response larger than any buffer is skipped, counted, and its bytes added', async () => {
    const bodyBytes = 32 << 20;
    const body = Buffer.alloc(bodyBytes, 0x61);
    const server = await startServer((socket, s) => {
      s.answered++;
      socket.write(`HTTP/1.1 200 OK\r\nContent-Length: ${bodyBytes}\r\n\r\n`);
      socket.write(body);
    });
    try {
      const result = await runNative(server.url, { connections: 1, requests: 3, durationMs: 10_000 });
      assert.equal(result.requests, 3);
      assert.ok(result.bytes > 3 * bodyBytes, `bytes ${result.bytes}`);
    } finally {
      await server.close();
    }
  });

  test('progress is reported about once a second with cumulative counts and the last second latency', async () => {
    const server = await helloServer();
    try {
      const seen: LoadProgress[] = [];
      const result = await runNative(server.url, { durationMs: 2300 }, {}, (p) => seen.push(p));
      assert.ok(seen.length >= 2, `${seen.length} progress reports`);
      assert.ok(seen[1]!.requests >= seen[0]!.requests && seen[1]!.requests > 0);
      assert.ok(seen.at(-1)!.requests <= result.requests);
      // For live views: the latency of what completed since the previous report (counted as responses
      // complete, so it may run a loop iteration ahead of `requests`).
      const recent = seen[1]!.recent;
      assert.ok(recent && recent.requests > 0, JSON.stringify(seen[1]));
      assert.ok(recent.p50Us > 0 && recent.p50Us <= recent.p99Us, JSON.stringify(recent));
    } finally {
      await server.close();
    }
  });

  test('an https:// target is refused with the reason and what to use instead', async () => {
    await assert.rejects(runNative('https://127.0.0.1:1/'), (err: Error & { suggestions?: string[] }) => {
      assert.match(err.message, /plain TCP.*https/);
      assert.match(String(err.suggestions), /--load undici/);
      return true;
    });
  });

  test('out of file descriptors: the run fails naming ulimit -n and the number needed', async () => {
    // The generator runs in a child under a low limit (a shell's ulimit); the server stays here. The
    // limit leaves room for loading modules (tsx opens many files at once), not for 400 connections.
    const server = await helloServer();
    try {
      const script = fileURLToPath(new URL('./support/run-with-few-fds.ts', import.meta.url));
      const node = [process.execPath, ...process.execArgv, script, server.url, engine].map((a) => `'${a}'`).join(' ');
      const child = spawnSync('sh', ['-c', `ulimit -n 200 && exec ${node}`], { encoding: 'utf8', timeout: 30_000 });
      assert.equal(child.status, 0, child.stderr);
      const outcome = JSON.parse(child.stdout.trim().split('\n').at(-1)!) as { error?: string; suggestions?: string[] };
      assert.match(outcome.error ?? '', /ran out of file descriptors: opened \d+ of 400 connections/);
      assert.match(String(outcome.suggestions), /ulimit -n 464/);
    } finally {
      await server.close();
    }
  });

  test('latency is also kept per second of the measured phase, over threads', async () => {
    const server = await helloServer();
    try {
      const result = await runNative(server.url, { connections: 4, threads: 2, durationMs: 1200 });
      assert.ok(result.requests > 100, `requests ${result.requests}`);
      assert.equal(result.perSecond?.length, 2, 'seconds 0 and 1');
      assert.deepEqual(
        result.latencyPerSecond?.map(histogramCount),
        result.perSecond?.map((s) => s.requests),
        'a latency histogram per second, holding that second’s completions',
      );
    } finally {
      await server.close();
    }
  });

  test('native counts responses nobody asked for as parse errors instead of failing the thread', async () => {
    // Issue #18: two responses per request once ended the run with "native load thread 1 failed:
    // offset -30 + length 71 must lie within the buffer's 41 bytes" (the extra response completed a
    // request not yet written, and the next send ran past the request buffer).
    const server = await hostileServer('extraResponses');
    try {
      const result = await runNative(server.url, { connections: 4, durationMs: 500, pipelining: 2 });
      assert.ok(result.errors.parse > 0, `parse errors ${JSON.stringify(result.errors)}`);
      assert.equal(result.errors.read + result.errors.reset + result.errors.write, 0, JSON.stringify(result.errors));
    } finally {
      await server.close();
    }
  });
}

for (const engine of ['epoll', 'io_uring']) {
  const skip = engine === 'io_uring' && uringMissing ? `io_uring unavailable: ${uringMissing.reason}` : false;
  describe(`engine=${engine}`, { skip }, () => engineTests(engine));
}
