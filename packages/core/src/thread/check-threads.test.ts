/**
 * scripts/check-threads.mjs (run by `npm run lint`) on sources written the old ways: every shape the
 * thread messages had before the protocol (bare strings, `{ kind: 'ready' }`, `{ result }`,
 * `{ setupError }`, tag comparisons) fails it; the protocol's own builders and guards pass.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';

const script = new URL('../../../../scripts/check-threads.mjs', import.meta.url).pathname;

function check(source: string): { status: number | null; output: string } {
  const dir = mkdtempSync(join(tmpdir(), 'check-threads-'));
  try {
    const file = join(dir, 'thread.ts');
    writeFileSync(file, source);
    const run = spawnSync(process.execPath, [script, file], { encoding: 'utf8' });
    return { status: run.status, output: run.stdout + run.stderr };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('check-threads fails on each old message shape', () => {
  const old = [
    [`import { parentPort } from 'node:worker_threads';\nparentPort!.postMessage('ready');`, `postMessage('ready')`],
    [
      `import { parentPort } from 'node:worker_threads';\nparentPort!.postMessage({ kind: 'ready', facts: {} });`,
      'postMessage({ kind',
    ],
    [
      `import { parentPort } from 'node:worker_threads';\nparentPort!.postMessage({ result: 1 });`,
      'postMessage({ result',
    ],
    [`import { parentPort } from 'node:worker_threads';\nparentPort!.postMessage({ setupError: 'x' });`, 'setupError'],
    [
      `import type { Worker } from 'node:worker_threads';\nexport const f = (w: Worker) => w.postMessage('start');`,
      `'start'`,
    ],
    [
      `import type { Worker } from 'node:worker_threads';\nexport const ok = (m: unknown) => m === 'ready';`,
      `m === 'ready'`,
    ],
    [
      `import type { Worker } from 'node:worker_threads';\nexport const ok = (m: { kind: string }) => m?.kind !== 'ready';`,
      `m?.kind !== 'ready'`,
    ],
    [
      `import { isThreadMessage } from '@iobench/core/thread';\nexport function f(m: { type: string }) { switch (m.type) { case 'close': return isThreadMessage(m); } }`,
      `case 'close'`,
    ],
  ];
  for (const [source, expected] of old) {
    const { status, output } = check(source!);
    assert.equal(status, 1, `${source} passed:\n${output}`);
    assert.ok(output.includes(expected!), output);
  }
});

test('check-threads passes messages built by threadMessage and recognised by isThreadMessage', () => {
  const { status, output } = check(`
import { parentPort } from 'node:worker_threads';
import { isThreadMessage, threadMessage } from '@iobench/core/thread';
parentPort!.postMessage(threadMessage.ready({ sqpoll: 1 }));
parentPort!.on('message', (m: unknown) => {
  if (isThreadMessage(m, 'start')) parentPort!.postMessage(threadMessage.result({ requests: 1 }));
});
`);
  assert.equal(status, 0, output);
});
