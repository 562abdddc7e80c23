// issue 11: `--target https://` with a self-signed certificate crashed the CLI with undici's
// AssertionError and left results.json "running".
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { ResultsFile } from '@iobench/core';
import { requireTool, selfSignedCertificate, testTempDir } from '@iobench/core/testing';
import { iobench, tempDir } from '../helpers.js';

const SHORT = ['--load', 'undici', '--connections', '2', '--duration', '300ms', '--warmup', '0'];

describe('iobench run --target https://', { skip: requireTool('openssl') }, () => {
  let server: Server;
  let url: string;
  let certFile: string;

  before(async () => {
    const tls = await selfSignedCertificate(await testTempDir('iobench-tls-'));
    certFile = tls.certFile;
    server = createServer({ key: tls.key, cert: tls.cert }, (_req, res) => res.end('Hello, world!'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `https://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  });

  after(async () => {
    server?.closeAllConnections();
    await new Promise((resolve) => server?.close(resolve));
  });

  test('an untrusted certificate fails the point with counted tls errors and what to do (exit 1, no crash)', async () => {
    const out = await tempDir();
    const r = await iobench(['run', '--target', url, ...SHORT, '--out', out, '--force']);
    assert.equal(r.code, 1, r.stderr);
    assert.doesNotMatch(r.stderr, /AssertionError/);
    assert.match(
      r.stderr,
      /completed no request in 300ms \(errors: \d+ tls; .*the TLS handshake failed: .*--cacert FILE, or skip verification with -k\/--insecure/,
    );
    const saved = JSON.parse(await readFile(join(out, 'results.json'), 'utf8')) as ResultsFile;
    assert.equal(saved.status, 'failed', 'not left "running"');
    assert.ok((saved.points[0]?.errors.tls ?? 0) > 0);
  });

  test('--cacert FILE measures it (the README command)', async () => {
    const out = await tempDir();
    const r = await iobench(['run', '--load', 'undici', '--cacert', certFile, url, ...SHORT.slice(2), '--out', out]);
    assert.equal(r.code, 0, r.stderr);
    const saved = JSON.parse(await readFile(join(out, 'results.json'), 'utf8')) as ResultsFile;
    assert.ok((saved.points[0]?.requests ?? 0) > 10);
    assert.equal(saved.points[0]?.errors.tls, 0);
    assert.equal(saved.plan.request?.cacert, certFile);
  });

  test('-k accepts the certificate without a CA', async () => {
    const out = await tempDir();
    const r = await iobench(['run', '-k', url, ...SHORT, '--out', out]);
    assert.equal(r.code, 0, r.stderr);
    const saved = JSON.parse(await readFile(join(out, 'results.json'), 'utf8')) as ResultsFile;
    assert.ok((saved.points[0]?.requests ?? 0) > 10);
    assert.equal(saved.plan.request?.insecure, true);
  });
});
