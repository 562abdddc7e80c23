// test-lane: unit (a served server answers a few requests; nothing is measured).
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { describe, test } from 'node:test';
import { iobench, isRunning, serverHostsOf } from '../helpers.js';

describe('iobench serve', () => {
  test('serves until Ctrl-C, then stops the server and its process', async () => {
    const serve = iobench(['serve', '--server', 'node', '--port', '0']);
    let stdout = '';
    serve.child.stdout?.on('data', (d) => (stdout += d));
    for (let i = 0; i < 100 && !/serving at/.test(stdout); i++) await new Promise((r) => setTimeout(r, 100));
    const url = /serving at (\S+)/.exec(stdout)?.[1];
    assert.ok(url, `printed its URL: ${stdout}`);
    const res = await fetch(url);
    assert.equal(res.status, 200);
    assert.equal(await res.text(), 'Hello, world!');
    // This serve's host by parentage: other runs on the machine have hosts of their own.
    const hosts = serverHostsOf(serve.child.pid!);
    assert.equal(hosts.length, 1, 'serve runs its server in a host process');
    serve.child.kill('SIGINT');
    const r = await serve;
    assert.equal(r.code, 130);
    assert.match(r.stdout, /served 1 requests/);
    assert.deepEqual(hosts.filter(isRunning), [], 'the host is gone');
    await assert.rejects(fetch(url));
  });

  test('a port in use is named with the flag that changes it, --port (exit 1)', async () => {
    const blocker = createServer().listen(0, '127.0.0.1');
    await new Promise((r) => blocker.once('listening', r));
    const { port } = blocker.address() as { port: number };
    try {
      const r = await iobench(['serve', '--server', 'node', '--port', String(port)]);
      assert.equal(r.code, 1, r.stderr);
      assert.match(r.stderr, /EADDRINUSE/);
      assert.match(r.stderr, /hint: Choose another port with --port N, or 0 for a free one/);
      assert.doesNotMatch(r.stderr, /--server-opt/);
    } finally {
      blocker.close();
    }
  });

  test('a list of servers is refused: serve runs one (exit 2)', async () => {
    const r = await iobench(['serve', '--server', 'epoll,poll']);
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /serve runs one server; --server "epoll,poll" names 2/);
    assert.match(r.stderr, /hint: .*iobench run --server epoll,poll/);
    assert.doesNotMatch(r.stderr, /Install|plugin-epoll,poll/);
  });
});
