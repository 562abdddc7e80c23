import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseZonedUrl } from './zoned-url.js';

describe('parseZonedUrl', () => {
  test('splits the zone off a link-local IPv6 host (as --netns writes it)', () => {
    const t = parseZonedUrl('http://[fe80::1%iob1]:8080/path?q=1');
    assert.equal(t.url.href, 'http://[fe80::1]:8080/path?q=1');
    assert.equal(t.zone, 'iob1');
    assert.equal(t.connectHost, 'fe80::1%iob1');
    assert.equal(t.port, 8080);
  });

  test('accepts the RFC 6874 spelling %25 and decodes the zone', () => {
    const t = parseZonedUrl('http://[fe80::1%25veth%2D0]:80/');
    assert.equal(t.zone, 'veth-0');
    assert.equal(t.connectHost, 'fe80::1%veth-0');
    assert.equal(t.url.origin, 'http://[fe80::1]');
  });

  test('URLs without a zone parse as new URL does, with the default port filled in', () => {
    assert.deepEqual(parseZonedUrl('http://127.0.0.1:3000/'), {
      url: new URL('http://127.0.0.1:3000/'),
      connectHost: '127.0.0.1',
      port: 3000,
    });
    assert.equal(parseZonedUrl('http://[::1]/').connectHost, '::1');
    assert.equal(parseZonedUrl('http://[::1]/').port, 80);
    assert.equal(parseZonedUrl('https://example.com/').port, 443);
  });

  test('rejects invalid URLs and empty zones', () => {
    assert.throws(() => parseZonedUrl('not a url'), TypeError);
    assert.throws(() => parseZonedUrl('http://[fe80::1%]:80/'), /interface name after "%"/);
    assert.throws(() => parseZonedUrl('http://[fe80::zz%iob1]:80/'), TypeError);
  });
});
