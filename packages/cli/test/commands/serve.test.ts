import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { iobench, serverHostPids } from '../helpers.js';

describe('iobench serve', () => {
  test('serves until Ctrl-C, then stops the server and its process', async () => {
    const before = serverHostPids();
    const serve = iobench(['serve', '--server', 'node', '--port', '0']);
    let stdout = '';
    serve.child.stdout?.on('data', (d) => (stdout += d));
    for (let i = 0; i < 100 && !/serving at/.test(stdout); i++) await new Promise((r) => setTimeout(r, 100));
    const url = /serving at (\S+)/.exec(stdout)?.[1];
    assert.ok(url, `printed its URL: ${stdout}`);
    const res = await fetch(url);
    assert.equal(res.status, 200);
    assert.equal(await res.text(), 'Hello, world!');
    serve.child.kill('SIGINT');
    const r = await serve;
    assert.equal(r.code, 130);
    assert.match(r.stdout, /served 1 requests/);
    assert.deepEqual(
      serverHostPids().filter((p) => !before.includes(p)),
      [],
    );
    await assert.rejects(fetch(url));
  });
});
