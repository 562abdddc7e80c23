import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  getRequest,
  ipv6LoopbackUnavailable,
  RawConnection,
  rawRequest,
  runServerConformance,
  startServerPlugin,
} from '@iobench/core/testing';
import plugin from '../src/index.js';

// The whole suite again with server-side keep-alive off: every answer must close its connection.
runServerConformance(plugin, { serverOptions: { keepAlive: false } });

describe('node server options', () => {
  it('listens on IPv6 loopback and puts the host in brackets in its URL', {
    skip: ipv6LoopbackUnavailable() ?? false,
  }, async () => {
    const started = await startServerPlugin(plugin, { host: '::1', port: 0 });
    try {
      assert.match(started.handle.url, /^http:\/\/\[::1\]:\d+\/$/);
      const [response] = await rawRequest('::1', started.port, getRequest());
      assert.equal(response!.body.toString(), 'Hello, world!');
    } finally {
      await started.handle.stop();
    }
  });

  it('answers with bodySize bytes', async () => {
    const started = await startServerPlugin(plugin, { bodySize: 100_000 });
    try {
      const [response] = await rawRequest(started.host, started.port, getRequest());
      assert.equal(response!.body.length, 100_000);
      assert.ok(response!.body.toString().startsWith('Hello, world!\nHello'));
    } finally {
      await started.handle.stop();
    }
  });

  it('does the handler work for each request (wait blocks the loop, so answers queue up)', async () => {
    const started = await startServerPlugin(plugin, { work: 'wait:20000' });
    try {
      const connection = await RawConnection.connect(started.host, started.port);
      const t0 = process.hrtime.bigint();
      connection.write(getRequest().repeat(3));
      await connection.readResponses(3);
      const elapsedMs = Number(process.hrtime.bigint() - t0) / 1e6;
      connection.destroy();
      assert.ok(elapsedMs >= 58, `3 requests with 20 ms of blocking work each took ${elapsedMs} ms`);
    } finally {
      await started.handle.stop();
    }
  });

  it('rejects bad options with messages naming them', async () => {
    await assert.rejects(startServerPlugin(plugin, { work: 'sleep:5' }), /work: work must be .*"sleep:5"/);
    await assert.rejects(startServerPlugin(plugin, { bindDevice: 'eth0' }), /bindDevice/);
    await assert.rejects(startServerPlugin(plugin, { port: -1 }), /port/);
  });

  it('fails to start, clearly, when the port is taken', async () => {
    const first = await startServerPlugin(plugin, {});
    try {
      await assert.rejects(startServerPlugin(plugin, { port: first.port }), /EADDRINUSE/);
    } finally {
      await first.handle.stop();
    }
  });
});
