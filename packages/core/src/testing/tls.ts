/**
 * A self-signed certificate for tests of https:// targets, made with openssl at test time (Node has
 * no certificate generator), so that no key pair lives in the repository. Skip with
 * `requireTool('openssl')` where openssl is missing.
 */
import { execFileSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

/** A key and its self-signed certificate (PEM), and the certificate's file for a client's `ca`. */
export interface SelfSignedCertificate {
  key: Buffer;
  cert: Buffer;
  certFile: string;
}

/** Writes a certificate for `localhost` and 127.0.0.1, valid two days, and its key into `dir`. */
export async function selfSignedCertificate(dir: string): Promise<SelfSignedCertificate> {
  const keyFile = join(dir, 'key.pem');
  const certFile = join(dir, 'cert.pem');
  const subject = '-subj /CN=localhost -addext subjectAltName=DNS:localhost,IP:127.0.0.1';
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-days',
      '2',
      ...subject.split(' '),
      '-keyout',
      keyFile,
      '-out',
      certFile,
    ],
    { stdio: 'ignore' },
  );
  const [key, cert] = await Promise.all([readFile(keyFile), readFile(certFile)]);
  return { key, cert, certFile };
}
