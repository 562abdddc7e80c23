import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { test } from 'node:test';
import {
  ConfigError,
  decodeHistogram,
  hardDeadlineMs,
  histogramCount,
  type LoadContext,
  type LoadParams,
  type LoadProgress,
  type LoadRequest,
  TargetUnreachableError,
  ToolError,
} from '@iobench/core';
import { echoServer, headerOf, hostileServer, requireTool } from '@iobench/core/testing';
import wrkPlugin, { wrkOptionsSchema } from '@iobench/plugin-wrk';
import {
  closeDelimitedServer,
  closedPortUrl,
  closingLengthServer,
  httpServer,
  refuseAfterProbesServer,
} from './servers.js';

/** Every test that runs wrk skips where it is not installed; the others run everywhere. */
const noWrk = requireTool('wrk');

const BASE_PARAMS: LoadParams = { connections: 4, durationMs: 1000, threads: 2, pipelining: 1, timeoutMs: 2000 };

function context(params: Partial<LoadParams> = {}, extra: Partial<LoadContext> = {}): LoadContext {
  return { log: () => {}, signal: new AbortController().signal, params: { ...BASE_PARAMS, ...params }, ...extra };
}

const defaults = (options: Record<string, unknown> = {}) => wrkOptionsSchema.parse(options);

/** Processes whose parent is this test process and whose command is wrk or taskset. */
function childWrkProcesses(): number[] {
  const found: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
    } catch {
      continue;
    }
    const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    if (ppid === process.pid && (comm === 'wrk' || comm === 'taskset')) found.push(Number(entry));
  }
  return found;
}

test('counts every completed request in the histogram, with bytes, duration and wrk CPU', { skip: noWrk }, async () => {
  const server = await httpServer();
  try {
    const progress: LoadProgress[] = [];
    const result = await wrkPlugin.run(
      context({ durationMs: 1000 }, { onProgress: (p) => progress.push(p) }),
      { url: server.url },
      defaults(),
    );
    assert.ok(result.requests > 100, `requests ${result.requests}`);
    assert.equal(histogramCount(result.latency), result.requests);
    assert.equal(result.extra?.wrkCompleted, result.requests, 'no response was slower than the timeout');
    assert.ok(result.bytes > result.requests * 13, `bytes ${result.bytes}`);
    assert.ok(result.durationMs >= 1000 && result.durationMs < 2000, `durationMs ${result.durationMs}`);
    assert.deepEqual(result.errors, {
      connect: 0,
      read: 0,
      write: 0,
      timeout: 0,
      reset: 0,
      status: 0,
      parse: 0,
      tls: 0,
    });
    assert.ok((result.cpuUs ?? 0) > 0, `cpuUs ${result.cpuUs}`);
    // Generator-bound when wrk's threads used at least 90% of the cores they could use.
    const usableCores = Math.min(result.extra!.wrkThreads!, availableParallelism());
    const cpuCores = result.extra!.wrkCpuCores!;
    assert.equal(
      result.generatorBound,
      cpuCores >= 0.9 * usableCores,
      `wrk used ${cpuCores} of ${usableCores} core(s)`,
    );
    assert.equal(result.perConnection, undefined, 'wrk cannot tell per-connection counts');
    assert.ok(progress.length >= 1 && progress[0]!.elapsedMs > 0, 'progress reported about once a second');
    assert.ok(server.accepted() >= 4, `server accepted ${server.accepted()}`);
  } finally {
    await server.close();
  }
});

test('counts non-2xx/3xx responses as status errors and still as completed requests', { skip: noWrk }, async () => {
  const server = await httpServer(500);
  try {
    const result = await wrkPlugin.run(context(), { url: `${server.url}fail` }, defaults());
    assert.ok(result.requests > 0);
    assert.equal(result.errors.status, result.requests);
    assert.equal(histogramCount(result.latency), result.requests);
  } finally {
    await server.close();
  }
});

test('responses delimited by connection close (HTTP/1.0) count as successes', { skip: noWrk }, async () => {
  const server = await closeDelimitedServer();
  try {
    const result = await wrkPlugin.run(context({ connections: 2, threads: 1 }), { url: server.url }, defaults());
    assert.ok(result.requests > 10, `requests ${result.requests}`);
    assert.equal(result.errors.read, 0, 'EOF ends the body, it is not a read error');
    assert.equal(result.errors.status, 0);
    assert.equal(result.extra?.closeDelimitedResponses, result.requests);
    // One connection per response: the server saw about as many connections as wrk counted requests.
    assert.ok(server.accepted() >= result.requests, `accepted ${server.accepted()} < requests ${result.requests}`);
  } finally {
    await server.close();
  }
});

test('HTTP/1.0 responses with Content-Length on closing connections (as in the original experiment) count as successes', {
  skip: noWrk,
}, async () => {
  const server = await closingLengthServer();
  try {
    const result = await wrkPlugin.run(context({ connections: 2, threads: 1 }), { url: server.url }, defaults());
    assert.ok(result.requests > 10, `requests ${result.requests}`);
    assert.deepEqual(result.errors, {
      connect: 0,
      read: 0,
      write: 0,
      timeout: 0,
      reset: 0,
      status: 0,
      parse: 0,
      tls: 0,
    });
    assert.equal(result.extra?.closeDelimitedResponses, undefined, 'length-delimited: no response hook needed');
  } finally {
    await server.close();
  }
});

test('a target that refuses connections mid-run: wrk counts refused connects as write errors', {
  skip: noWrk,
}, async () => {
  const server = await refuseAfterProbesServer();
  try {
    const result = await wrkPlugin.run(
      context({ durationMs: 500, connections: 2, threads: 1 }),
      { url: server.url },
      defaults(),
    );
    assert.equal(result.requests, 0);
    // wrk's connect() is non-blocking: a refusal surfaces when it first writes, so wrk 4.1 counts it
    // as a write error; its "connect" class only holds synchronous connect() failures.
    assert.ok(result.errors.write + result.errors.connect > 0, JSON.stringify(result.errors));
  } finally {
    await server.close();
  }
});

test("a closed port fails before the run with wrk's own message", { skip: noWrk }, async () => {
  const url = await closedPortUrl();
  await assert.rejects(wrkPlugin.run(context(), { url }, defaults()), (error: unknown) => {
    assert.ok(error instanceof TargetUnreachableError, String(error));
    assert.match(error.message, /unable to connect to 127\.0\.0\.1:\d+ Connection refused/);
    return true;
  });
});

test('abort stops wrk with SIGINT, returns what it measured and leaves no wrk process', { skip: noWrk }, async () => {
  const server = await httpServer();
  try {
    const controller = new AbortController();
    const started = performance.now();
    setTimeout(() => controller.abort(), 600);
    const result = await wrkPlugin.run(
      context({ durationMs: 10_000 }, { signal: controller.signal }),
      { url: server.url },
      defaults(),
    );
    const tookMs = performance.now() - started;
    assert.ok(tookMs < 4000, `run returned after ${Math.round(tookMs)} ms of a 10 s run`);
    assert.ok(result.requests > 0, 'partial results');
    assert.equal(histogramCount(result.latency), result.requests);
    assert.ok(result.durationMs > 0 && result.durationMs < 3000, `durationMs ${result.durationMs}`);
    assert.deepEqual(childWrkProcesses(), []);
  } finally {
    await server.close();
  }
});

test('a sub-second duration is honoured and recorded as measured, pinned with taskset', {
  skip: noWrk ?? requireTool('taskset'),
}, async () => {
  const server = await httpServer();
  try {
    const result = await wrkPlugin.run(
      context({ durationMs: 400, connections: 2, threads: 2 }, { cpus: '0' }),
      { url: server.url },
      defaults(),
    );
    assert.ok(result.requests > 0);
    assert.ok(
      result.durationMs >= 300 && result.durationMs < 1000,
      `durationMs ${result.durationMs} (wrk -d would give >= 1000)`,
    );
    assert.deepEqual(childWrkProcesses(), []);
  } finally {
    await server.close();
  }
});

test('a missing wrk binary says how to install it', async () => {
  await assert.rejects(
    wrkPlugin.run(context(), { url: 'http://127.0.0.1:1/' }, defaults({ binary: 'wrk-not-installed-here' })),
    (error: unknown) => {
      assert.ok(error instanceof ToolError, String(error));
      assert.match(error.message, /wrk-not-installed-here/);
      assert.ok(
        error.suggestions.some((s) => s.includes('apt-get install wrk')),
        error.suggestions.join('; '),
      );
      return true;
    },
  );
});

test('a wrk that fails reports its stderr', { skip: noWrk }, async () => {
  await assert.rejects(wrkPlugin.run(context(), { url: 'notaurl' }, defaults()), (error: unknown) => {
    assert.ok(error instanceof ToolError, String(error));
    assert.match(error.message, /exit code 1.*invalid URL: notaurl/s);
    return true;
  });
});

test('abort right after start still stops wrk and leaves no process', { skip: noWrk }, async () => {
  const server = await httpServer();
  try {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 30);
    const started = performance.now();
    const result = await wrkPlugin.run(
      context({ durationMs: 10_000 }, { signal: controller.signal }),
      { url: server.url },
      defaults(),
    );
    assert.ok(performance.now() - started < 4000);
    assert.equal(histogramCount(result.latency), result.requests);
    assert.deepEqual(childWrkProcesses(), []);
  } finally {
    await server.close();
  }
});

test('an open-model rate is refused: wrk runs a closed model only', async () => {
  await assert.rejects(
    wrkPlugin.run(context({ rate: 1000 }), { url: 'http://127.0.0.1:1/' }, defaults()),
    (error: unknown) => {
      assert.ok(error instanceof ConfigError, String(error));
      assert.match(error.message, /closed model/);
      assert.ok(error.suggestions.some((s) => s.includes('undici')));
      return true;
    },
  );
});

test('the request of LoadTarget.requests reaches the server: method, path, headers, body', {
  skip: noWrk,
}, async () => {
  const server = await echoServer();
  try {
    const body = Buffer.from('a=1\nb="2"');
    const result = await wrkPlugin.run(
      context({ durationMs: 300, connections: 1, threads: 1 }),
      {
        url: server.url,
        requests: [{ method: 'POST', path: '/submit?x=1', headers: [['X-Bench', 'yes "quoted"']], body }],
      },
      defaults(),
    );
    assert.ok(result.requests > 0);
    const first = server.requests[0]!;
    assert.equal(`${first.method} ${first.url}`, 'POST /submit?x=1');
    assert.equal(headerOf(first, 'x-bench'), 'yes "quoted"');
    assert.equal(headerOf(first, 'content-length'), String(body.length));
    assert.equal(first.body, 'a=1\nb="2"');
  } finally {
    await server.close();
  }
});

test('a request list is cycled in order by each wrk thread', { skip: noWrk }, async () => {
  const server = await echoServer();
  const list: LoadRequest[] = [
    { method: 'GET', path: '/a', headers: [] },
    { method: 'POST', path: '/b', headers: [['content-type', 'text/plain']], body: Buffer.from('bee') },
    { method: 'PUT', path: '/c?n=1', headers: [] },
  ];
  try {
    // One thread, one connection: wrk's request() cycles per thread, so the one connection sees the list in order.
    const result = await wrkPlugin.run(
      context({ durationMs: 300, connections: 1, threads: 1 }),
      { url: server.url, requests: list },
      defaults(),
    );
    assert.ok(result.requests >= 3, `requests ${result.requests}`);
    server.requests.slice(0, 30).forEach((r, i) => {
      const expected = list[i % 3]!;
      assert.equal(`${r.method} ${r.url}`, `${expected.method} ${expected.path}`, `request ${i}`);
      assert.equal(r.body, expected.body ? Buffer.from(expected.body).toString() : '');
    });
  } finally {
    await server.close();
  }
});

test('HEAD is refused before wrk starts: wrk would wait for the body a HEAD response announces', async () => {
  await assert.rejects(
    wrkPlugin.run(
      context(),
      { url: 'http://127.0.0.1:1/', requests: [{ method: 'HEAD', path: '/', headers: [] }] },
      defaults(),
    ),
    (error: unknown) => error instanceof ConfigError && /HEAD/.test(error.message),
  );
});

test('decoded latency histogram is usable by core', { skip: noWrk }, async () => {
  const server = await httpServer();
  try {
    const result = await wrkPlugin.run(context({ durationMs: 400, connections: 2 }), { url: server.url }, defaults());
    const h = decodeHistogram(result.latency);
    assert.ok(h.minNonZeroValue > 0 && h.maxValue >= h.minNonZeroValue);
  } finally {
    await server.close();
  }
});

test('wrk ends a run against a server streaming 100 Continue forever by its hard deadline', {
  skip: noWrk,
}, async () => {
  // Issue #18: the framing probe's idle timeout never fired on a server that keeps sending, and
  // nothing bounded wrk: `iobench run --duration 2s` lived until it was killed 40 s later.
  const server = await hostileServer('endless1xx');
  try {
    const params = { connections: 2, durationMs: 1000, timeoutMs: 2000 };
    const startedAt = performance.now();
    const result = await wrkPlugin.run(context(params), { url: server.url }, defaults());
    const tookMs = performance.now() - startedAt;
    assert.ok(tookMs <= hardDeadlineMs(params), `took ${Math.round(tookMs)} ms`);
    assert.equal(result.requests, 0);
    assert.equal(result.errors.timeout, params.connections, JSON.stringify(result.errors));
    assert.deepEqual(childWrkProcesses(), []);
  } finally {
    await server.close();
  }
});

test('wrk against a server that never answers ends by its hard deadline and counts a timeout per connection', {
  skip: noWrk,
}, async () => {
  // Issue #18: a 2 s run against a silent server took 14.6 s (the probe waited out a long timeout
  // before wrk even started), and wrk, which never counts a request left unanswered, reported nothing.
  const server = await hostileServer('neverAnswers');
  try {
    const params = { connections: 2, durationMs: 1000, timeoutMs: 5000 };
    const startedAt = performance.now();
    const result = await wrkPlugin.run(context(params), { url: server.url }, defaults());
    const tookMs = performance.now() - startedAt;
    assert.ok(tookMs <= params.durationMs + 2000, `took ${Math.round(tookMs)} ms`);
    assert.equal(result.requests, 0);
    assert.equal(result.errors.timeout, params.connections, JSON.stringify(result.errors));
  } finally {
    await server.close();
  }
});
