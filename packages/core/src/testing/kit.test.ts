/** Tests of the conformance kit itself: its parser, and that its checks fail a server that misbehaves. */
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { test } from 'node:test';
import { defineServerPlugin } from '../plugin/contract.js';
import { parseHttpResponses, rawRequest } from './raw-http.js';
import type { CheckEnv } from './server-check-env.js';
import { conformanceChecks } from './server-conformance.js';
import { startServerPlugin } from './start-server.js';

test('parseHttpResponses splits pipelined responses by Content-Length and waits for incomplete ones', () => {
  const one = 'HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello';
  const parsed = parseHttpResponses(Buffer.from(one + one + 'HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc'));
  assert.equal(parsed.responses.length, 2);
  assert.equal(parsed.responses[1]!.body.toString(), 'hello');
  assert.equal(parsed.consumed, one.length * 2);
  assert.equal(parsed.need, 'HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n'.length + 10);
  const noLength = Buffer.from('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\nbad');
  assert.equal(parseHttpResponses(noLength).responses.length, 0, 'runs to EOF');
  assert.equal(parseHttpResponses(noLength, true).responses[0]!.body.toString(), 'bad');
  assert.throws(() => parseHttpResponses(Buffer.from('SSH-2.0\r\n\r\n')), /not an HTTP\/1\.x status line/);
});

/** A server that answers every blank line with one fixed response and never closes: wrong in many ways. */
const sloppyPlugin = defineServerPlugin<Record<string, unknown>>({
  name: 'sloppy',
  description: 'answers anything with 200 and never closes',
  options: {
    '~standard': { version: 1, vendor: 'test', validate: (value) => ({ value: value as Record<string, unknown> }) },
  },
  async start() {
    const server = createServer((socket) => {
      socket.on('data', (data) => {
        for (const _ of data.toString('latin1').matchAll(/\r\n\r\n/g)) {
          socket.write('HTTP/1.1 200 OK\r\nContent-Length: 13\r\n\r\nHello, world!');
        }
      });
      socket.on('error', () => {});
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    return {
      url: `http://127.0.0.1:${port}/`,
      stats: () => ({ accepted: 0, refused: 0, requests: 0, errors: {} }),
      stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
    };
  },
});

test('the checks pass what is right and fail what is wrong, with a message saying why', async () => {
  const started = await startServerPlugin(sloppyPlugin, {});
  try {
    const env: CheckEnv = { plugin: sloppyPlugin, serverOptions: {}, server: () => started, keepsAlive: true };
    assert.equal((await rawRequest(started.host, started.port, 'GET / HTTP/1.1\r\n\r\n'))[0]!.status, 200);
    await conformanceChecks.hello.run(env);
    await assert.rejects(conformanceChecks.connectionClose.run(env), /Connection: close/);
    await assert.rejects(conformanceChecks.malformed.run(env), /expected 400 and close/);
    await assert.rejects(conformanceChecks.host.run(env), /HTTP\/1\.1 without Host: expected 400 and close \(RFC 9112/);
    await assert.rejects(conformanceChecks.stats.run(env), /stats\(\) went from/);
  } finally {
    await started.handle.stop();
  }
});

/** Answers every request with `body` (keep-alive) and counts in one object that stats() returns itself. */
function liveStatsPlugin(body: string) {
  return defineServerPlugin<Record<string, unknown>>({
    ...sloppyPlugin,
    name: 'live-stats',
    options: {
      '~standard': { version: 1, vendor: 'test', validate: (value) => ({ value: value as Record<string, unknown> }) },
    },
    async start() {
      const stats = { accepted: 0, refused: 0, requests: 0, errors: {} };
      const server = createServer((socket) => {
        stats.accepted++;
        socket.on('data', (data) => {
          for (const _ of data.toString('latin1').matchAll(/\r\n\r\n/g)) {
            stats.requests++;
            socket.write(`HTTP/1.1 200 OK\r\nContent-Length: ${body.length}\r\n\r\n${body}`);
          }
        });
        socket.on('error', () => {});
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      const { port } = server.address() as { port: number };
      return {
        url: `http://127.0.0.1:${port}/`,
        stats: () => stats,
        stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
      };
    },
  });
}

test('stats() may return its live counters: the kit compares snapshots', async () => {
  const plugin = liveStatsPlugin('Hello, world!');
  const started = await startServerPlugin(plugin, {});
  try {
    await conformanceChecks.stats.run({ plugin, serverOptions: {}, server: () => started, keepsAlive: true });
  } finally {
    await started.handle.stop();
  }
});

test('a failed check says what it expected: the body, bodySize, 400, 411 and 431', async () => {
  const plugin = liveStatsPlugin('Howdy');
  const started = await startServerPlugin(plugin, {});
  try {
    const env: CheckEnv = { plugin, serverOptions: {}, server: () => started, keepsAlive: true };
    await assert.rejects(
      conformanceChecks.hello.run(env),
      /GET \/: the body must be "Hello, world!" \(13 bytes, the default bodySize\); got "Howdy"/,
    );
    await assert.rejects(
      conformanceChecks.hello.run({ ...env, serverOptions: { bodySize: 100 } }),
      /GET \/: the body must be bodySize \(100\) bytes; got 5/,
    );
    await assert.rejects(
      conformanceChecks.malformed.run(env),
      /malformed request line "GARBAGE": expected 400 and close \(as every iobench server answers it: see RequestFramer in the iobench serving package\); got "HTTP\/1\.1 200 OK"/,
    );
    await assert.rejects(
      conformanceChecks.lengthRequired.run(env),
      /POST without Content-Length or Transfer-Encoding: expected 411 and close/,
    );
    await assert.rejects(
      conformanceChecks.oversizedHeaders.run(env),
      /header block of 12 KiB: expected 431 and close \(heads are limited to 8 KiB\); got "HTTP\/1\.1 200 OK"/,
    );
  } finally {
    await started.handle.stop();
  }
});

test('a check that starts its own server names the options it needs when the schema refuses them', async () => {
  const plugin = defineServerPlugin<Record<string, unknown>>({
    ...sloppyPlugin,
    options: {
      '~standard': {
        version: 1,
        vendor: 'test',
        validate: (value) =>
          'bodySize' in (value as object)
            ? { issues: [{ message: 'Unrecognized key: "bodySize"', path: [] }] }
            : { value: value as Record<string, unknown> },
      },
    },
  });
  const env: CheckEnv = { plugin, serverOptions: {}, server: () => assert.fail('not used'), keepsAlive: true };
  await assert.rejects(
    conformanceChecks.clientReset.run(env),
    /this check starts the server with \{"bodySize":33554432\}: every iobench server takes the common server options .*commonServerOptions from the iobench serving package.*Unrecognized key: "bodySize"/s,
  );
});

test('startServerPlugin names the plugin and the issues when options do not validate', async () => {
  const strict = defineServerPlugin<{ port: number }>({
    ...sloppyPlugin,
    commonOptions: ['port'],
    options: {
      '~standard': {
        version: 1,
        vendor: 'test',
        validate: () => ({ issues: [{ message: 'must be a number', path: ['port'] }] }),
      },
    },
    start: () => Promise.reject(new Error('not reached')),
  });
  await assert.rejects(startServerPlugin(strict, { port: 'x' }), /server plugin "sloppy".*port: must be a number/);
});

test('with fdLimit, connections the server refuses count as refused, the rest must be answered', async () => {
  let refused = 0;
  const fdLimit = 1024;
  const server = createServer((socket) => {
    // As select(2) servers do: an fd at or past FD_SETSIZE cannot be watched, so close it at once.
    const fd = (socket as unknown as { _handle?: { fd?: number } })._handle?.fd ?? 0;
    if (fd >= fdLimit) {
      refused++;
      socket.destroy();
      return;
    }
    socket.on('data', () => socket.end('HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n'));
    socket.on('error', () => {});
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  const handle = {
    url: `http://127.0.0.1:${port}/`,
    stats: () => ({ accepted: 0, refused, requests: 0, errors: {} }),
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
  try {
    const started = { handle, options: {}, host: '127.0.0.1', port };
    const env: CheckEnv = { plugin: sloppyPlugin, serverOptions: {}, server: () => started, keepsAlive: true, fdLimit };
    await conformanceChecks.manyConnections.run(env);
    assert.ok(refused > 0, 'this test needs fds past the limit');
    await assert.rejects(
      conformanceChecks.manyConnections.run({ ...env, fdLimit: undefined }),
      /answered \d+, closed unanswered [1-9]/,
    );
  } finally {
    await handle.stop();
  }
});

test('native and undici agree on every hostile kind: neither may deviate from the one expectations table', async () => {
  const { hostileDeviations, hostileExpectations } = await import('./load-plugin-hostile-checks.js');
  const { hostileKinds } = await import('./hostile-servers.js');
  assert.deepEqual(Object.keys(hostileExpectations).sort(), Object.keys(hostileKinds).sort());
  assert.equal(hostileDeviations.native, undefined);
  assert.equal(hostileDeviations.undici, undefined);
});

test('a hostile server stops its endless streams and leaves no socket when closed', async () => {
  const { hostileServer } = await import('./hostile-servers.js');
  const server = await hostileServer('endlessBody');
  const { connect } = await import('node:net');
  const port = Number(new URL(server.url).port);
  const socket = connect(port, '127.0.0.1');
  socket.on('error', () => {});
  let received = 0;
  await new Promise<void>((resolve) => {
    socket.on('data', (chunk) => {
      received += chunk.length;
      if (received > 16 * 1024) resolve();
    });
    socket.write('GET / HTTP/1.1\r\nHost: x\r\n\r\n');
  });
  const closed = new Promise<void>((resolve) => socket.on('close', () => resolve()));
  await server.close();
  await closed;
  await server.close();
});
