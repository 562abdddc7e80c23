import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { PlannedPoint } from '@iobench/engine/run';
import { LiveView } from './progress.js';

const point = {
  id: 'epoll/native/c64/r0',
  load: 'native',
  params: {
    durationMs: 5000,
    warmupMs: 1000,
    connections: 64,
    threads: 1,
    pipelining: 1,
    timeoutMs: 5000,
    idleConnections: 0,
  },
  repeat: 0,
} satisfies PlannedPoint;

test('the live view shows the last second: req/s, p50, p99, errors, a sparkline and the time left', () => {
  let written = '';
  const stream = { columns: 200, write: (s: string) => (written = s) } as unknown as NodeJS.WriteStream;
  const view = new LiveView(stream);
  view.update({
    point,
    index: 1,
    total: 3,
    progress: { elapsedMs: 1000, requests: 40_000, errors: 0, recent: { requests: 40_000, p50Us: 120, p99Us: 1210 } },
  });
  assert.equal(
    written,
    '\r\x1b[2K[2/3] epoll/native/c64/r0  1s/5s  40,000 req/s  p50 120µs  p99 1.21ms  0 errors  █  ~11s left',
  );
  view.update({
    point,
    index: 1,
    total: 3,
    progress: { elapsedMs: 2000, requests: 60_000, errors: 2, recent: { requests: 20_000, p50Us: 300, p99Us: 25_000 } },
  });
  assert.match(written, /2s\/5s {2}20,000 req\/s {2}p50 300µs {2}p99 25\.00ms {2}2 errors \(\+2\) {2}█▄ {2}~10s left$/);
});

test('the line is cut to the terminal width', () => {
  let written = '';
  const stream = { columns: 30, write: (s: string) => (written = s) } as unknown as NodeJS.WriteStream;
  new LiveView(stream).update({ point, index: 0, total: 1, progress: { elapsedMs: 1000, requests: 10, errors: 0 } });
  assert.equal(written.replace('\r\x1b[2K', '').length, 29);
});
