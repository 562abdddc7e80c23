// https:// targets (issue 11): a self-signed certificate was an AssertionError deep in undici that
// crashed the CLI and left results.json "running"; it is now a counted `tls` error, and the
// target's TLS checks (`--cacert`, `--insecure`) make such a target measurable. SNI comes from the
// URL's host name.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { TLSSocket } from 'node:tls';
import { requireTool, selfSignedCertificate } from '@iobench/core/testing';
import { runUndici } from './run-helper.js';

const QUICK = { connections: 2, durationMs: 300 };

describe('https:// targets', { skip: requireTool('openssl') }, () => {
  let dir: string;
  let certPem: string;
  let server: Server;
  let port: number;
  const serverNames: Array<string | false | null> = [];

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'iobench-tls-'));
    const { key, cert } = await selfSignedCertificate(dir);
    certPem = cert.toString();
    server = createServer({ key, cert }, (req, res) => {
      serverNames.push((req.socket as TLSSocket).servername);
      res.end('Hello, world!');
    });
    // `localhost` as the client will resolve it (127.0.0.1 or ::1), so the SNI test can use the name.
    await new Promise<void>((resolve) => server.listen(0, 'localhost', resolve));
    port = (server.address() as AddressInfo).port;
  });

  after(async () => {
    server?.closeAllConnections();
    await new Promise((resolve) => server?.close(resolve));
    await rm(dir, { recursive: true, force: true });
  });

  test('a self-signed certificate is counted as tls errors, never a crash', async () => {
    const result = await runUndici(`https://localhost:${port}/`, { params: QUICK });
    assert.equal(result.requests, 0);
    assert.ok(result.errors.tls > 0, `tls errors: ${JSON.stringify(result.errors)}`);
    assert.deepEqual(
      Object.entries(result.errors).filter(([name, n]) => name !== 'tls' && n > 0),
      [],
      'no other class',
    );
  });

  test('tls.ca trusts it; the server name sent is the URL host', async () => {
    serverNames.length = 0;
    const result = await runUndici(`https://localhost:${port}/`, {
      params: QUICK,
      tls: { insecure: false, ca: certPem },
    });
    assert.ok(result.requests > 10, `requests: ${result.requests}`);
    assert.equal(result.errors.tls, 0);
    assert.ok(serverNames.length > 0 && serverNames.every((name) => name === 'localhost'), String(serverNames));
  });

  test('tls.insecure accepts the certificate without a CA', async () => {
    const result = await runUndici(`https://localhost:${port}/`, { params: QUICK, tls: { insecure: true } });
    assert.ok(result.requests > 10, `requests: ${result.requests}`);
    assert.equal(result.errors.tls, 0);
  });
});
