import assert from 'node:assert/strict';
import { test } from 'node:test';
import { errors } from 'undici';
import { classifyError } from './classify-error.js';
import { RequestTimeoutError } from './timeout-sweeper.js';

function withCode(code: string): Error {
  return Object.assign(new Error(code), { code });
}

test('maps undici errors and errno codes to iobench error classes', () => {
  assert.equal(classifyError(withCode('ECONNREFUSED')), 'connect');
  assert.equal(classifyError(new errors.ConnectTimeoutError()), 'connect');
  assert.equal(classifyError(new errors.HeadersTimeoutError()), 'timeout');
  assert.equal(classifyError(new errors.BodyTimeoutError()), 'timeout');
  assert.equal(classifyError(withCode('ECONNRESET')), 'reset');
  assert.equal(classifyError(new errors.SocketError('other side closed')), 'reset');
  assert.equal(classifyError(withCode('EPIPE')), 'write');
  assert.equal(classifyError(withCode('HPE_INVALID_CONSTANT')), 'parse');
  assert.equal(classifyError(new Error('something else')), 'read');
});

test('certificate and handshake failures are tls errors', () => {
  for (const code of [
    'DEPTH_ZERO_SELF_SIGNED_CERT',
    'SELF_SIGNED_CERT_IN_CHAIN',
    'CERT_HAS_EXPIRED',
    'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
    'ERR_TLS_CERT_ALTNAME_INVALID',
    'ERR_SSL_WRONG_VERSION_NUMBER',
  ]) {
    assert.equal(classifyError(withCode(code)), 'tls', code);
  }
});

test('a socket error caused by an errno takes the errno class', () => {
  const err = new errors.SocketError('write failed');
  (err as { cause?: unknown }).cause = withCode('EPIPE');
  assert.equal(classifyError(err), 'write');
});

test('the generator own request timeout is a timeout', () => {
  assert.equal(classifyError(new RequestTimeoutError(100)), 'timeout');
});

test('HTTP/2: reset streams and ended sessions are resets, frame and protocol errors are parse errors', () => {
  assert.equal(classifyError(withCode('ERR_HTTP2_STREAM_ERROR')), 'reset', 'RST_STREAM with an error code');
  assert.equal(
    classifyError(new errors.InformationalError('HTTP/2: stream closed before the response was complete')),
    'reset',
    'RST_STREAM NO_ERROR or CANCEL',
  );
  assert.equal(classifyError(new errors.InformationalError('HTTP/2: stream half-closed (remote)')), 'reset');
  assert.equal(classifyError(new errors.SocketError('HTTP/2: "GOAWAY" frame received with code 2')), 'reset');
  assert.equal(classifyError(withCode('ERR_HTTP2_GOAWAY_SESSION')), 'reset');
  assert.equal(classifyError(new errors.InformationalError('HTTP/2: "frameError" received - type 1, code 1')), 'parse');
  assert.equal(classifyError(withCode('ERR_HTTP2_ERROR')), 'parse');
});
