// issue 19: `--http2` measures an HTTP/2 server over TLS, records the protocol in the plan and every
// point, and refuses what cannot be measured over HTTP/2 before any load is sent.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createSecureServer, type Http2SecureServer, type ServerHttp2Session } from 'node:http2';
import { createServer as createHttpsServer, type Server as HttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { ResultsFile } from '@iobench/core';
import { requireTool, selfSignedCertificate } from '@iobench/core/testing';
import { iobench, tempDir } from '../helpers.js';

describe('iobench run --http2', { skip: requireTool('openssl') }, () => {
  let dir: string;
  let h2: Http2SecureServer;
  let h1: HttpsServer;
  let h2Url: string;
  let h1Url: string;
  let streams = 0;
  const sessions = new Set<ServerHttp2Session>();

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'iobench-h2-'));
    const { key, cert } = await selfSignedCertificate(dir);
    h2 = createSecureServer({ key, cert }, (_req, res) => {
      streams++;
      res.end('Hello, world!');
    });
    h2.on('session', (session) => {
      sessions.add(session);
      session.on('close', () => sessions.delete(session));
    });
    h1 = createHttpsServer({ key, cert }, (_req, res) => res.end('Hello, world!'));
    await new Promise<void>((resolve) => h2.listen(0, '127.0.0.1', resolve));
    await new Promise<void>((resolve) => h1.listen(0, '127.0.0.1', resolve));
    h2Url = `https://127.0.0.1:${(h2.address() as AddressInfo).port}/`;
    h1Url = `https://127.0.0.1:${(h1.address() as AddressInfo).port}/`;
  });

  after(async () => {
    for (const session of sessions) session.destroy();
    h1?.closeAllConnections();
    await Promise.all([new Promise((resolve) => h2?.close(resolve)), new Promise((resolve) => h1?.close(resolve))]);
    await rm(dir, { recursive: true, force: true });
  });

  test('counts the responses of an HTTP/2 server exactly and records h2 in the plan and the point', async () => {
    const out = await tempDir();
    streams = 0;
    const r = await iobench([
      'run',
      '--target',
      h2Url,
      '--http2',
      '--load',
      'undici',
      '--connections',
      '2',
      '--pipelining',
      '4',
      '--requests',
      '120',
      '--duration',
      '30s',
      '--warmup',
      '0',
      '-k',
      '--out',
      out,
    ]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /load undici over HTTP\/2;/);
    const saved = JSON.parse(await readFile(join(out, 'results.json'), 'utf8')) as ResultsFile;
    assert.equal(saved.plan.http2, true);
    const [point] = saved.points;
    assert.equal(point?.params.http2, true);
    assert.equal(point?.params.pipelining, 4);
    assert.equal(point?.loadStats.protocol, 'h2');
    assert.equal(point?.requests, 120);
    assert.equal(streams, 120, 'the server answered as many streams as the point counts');
  });

  test('is refused, with the reason, wherever it cannot be honoured (exit 2, nothing written)', async () => {
    const cases: Array<[string[], RegExp]> = [
      [
        ['--target', h1Url, '--load', 'undici', '-k'],
        /target https:\/\/127\.0\.0\.1:\d+\/ does not speak HTTP\/2: offered h2 and http\/1\.1 in the TLS handshake \(ALPN\), it chose (http\/1\.1|neither)[\s\S]*hint: Drop --http2/,
      ],
      [['--target', h2Url, '--load', 'wrk'], /load generator "wrk" cannot honour --http2: it does not support HTTP\/2/],
      [['--target', h2Url], /load generator "native" cannot honour --http2[\s\S]*hint: use --load undici instead/],
      [['--server', 'node', '--load', 'undici'], /--http2 needs an https:\/\/ target: .*this run has servers node/],
    ];
    // Side by side: each is refused before anything starts (most of the time is the CLI starting).
    await Promise.all(
      cases.map(async ([args, message]) => {
        const out = join(await tempDir(), 'out');
        const r = await iobench(['run', '--http2', ...args, '--duration', '300ms', '--out', out]);
        assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
        assert.match(r.stderr, message);
        assert.equal(existsSync(out), false, `${args.join(' ')}: refused before anything was written`);
      }),
    );
  });
});
