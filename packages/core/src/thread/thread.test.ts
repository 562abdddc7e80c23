import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Worker } from 'node:worker_threads';
import {
  type EventfdCalls,
  isThreadMessage,
  StopController,
  stopRequested,
  threadMessage,
  waitForReady,
  waitForResult,
  waitForThreadMessage,
} from './index.js';

/** A thread from plain JS source (the test's stand-in for a loop or generator thread). */
const thread = (source: string, workerData?: unknown) => new Worker(source, { eval: true, workerData });

test('every message is tagged by `type`, survives structured clone unchanged and is recognised by its guard', () => {
  const messages = [
    threadMessage.ready({ sqpoll: 1 }),
    threadMessage.result({ requests: 3 }),
    threadMessage.failed(new RangeError('bad')),
    threadMessage.start(),
    threadMessage.stop(),
    threadMessage.close(),
  ];
  for (const m of messages) {
    const cloned = structuredClone(m);
    assert.deepEqual(cloned, m);
    assert.ok(isThreadMessage(cloned));
    assert.ok(isThreadMessage(cloned, m.type));
  }
  assert.deepEqual(threadMessage.ready(), { type: 'ready', facts: {} });
  assert.equal(threadMessage.failed(new RangeError('bad')).error.name, 'RangeError');
  assert.deepEqual(threadMessage.failed('text').error, { name: 'Error', message: 'text' });
});

test('the old shapes are not protocol messages', () => {
  for (const old of ['ready', { kind: 'ready', facts: {} }, { result: 1 }, { setupError: 'x' }, null, 7]) {
    assert.equal(isThreadMessage(old), false, JSON.stringify(old));
  }
  assert.equal(isThreadMessage(threadMessage.start(), 'ready'), false);
});

test('waitForReady resolves with the facts; waitForResult with the result, in order', async () => {
  const worker = thread(`
    const { parentPort } = require('node:worker_threads');
    parentPort.postMessage({ type: 'ready', facts: { a: 1 } });
    parentPort.once('message', (m) => { if (m.type === 'start') parentPort.postMessage({ type: 'result', result: [1, 2] }); });
  `);
  try {
    assert.deepEqual(await waitForReady(worker, { label: 'test thread' }), { a: 1 });
    const result = waitForResult<number[]>(worker, { label: 'test thread' });
    worker.postMessage(threadMessage.start());
    assert.deepEqual(await result, [1, 2]);
  } finally {
    await worker.terminate();
  }
});

test('a `failed` message rejects the wait with the thread named and its error as cause', async () => {
  const worker = thread(`
    const { parentPort } = require('node:worker_threads');
    const err = new TypeError('no such host');
    parentPort.postMessage({ type: 'failed', error: { name: err.name, message: err.message, stack: err.stack } });
    setInterval(() => {}, 1000);
  `);
  try {
    await assert.rejects(waitForReady(worker, { label: 'native load thread' }), (err: Error) => {
      assert.match(err.message, /^native load thread \d+ failed: no such host$/);
      assert.equal((err.cause as Error).name, 'TypeError');
      assert.match((err.cause as Error).stack ?? '', /no such host/);
      return true;
    });
  } finally {
    await worker.terminate();
  }
});

test('an uncaught error, an exit, or silence past the timeout rejects the wait', async () => {
  await assert.rejects(
    waitForReady(thread(`throw new Error('boom')`), { label: 'loop thread' }),
    /^Error: loop thread \d+ failed: boom$/,
  );
  await assert.rejects(
    waitForReady(thread(`process.exit(3)`), { label: 'loop thread' }),
    /loop thread \d+ exited with code 3 before it posted ready/,
  );
  const silent = thread(`setInterval(() => {}, 1000)`);
  try {
    await assert.rejects(
      waitForReady(silent, { label: 'loop thread', timeoutMs: 50 }),
      /loop thread \d+ posted no ready within 50 ms/,
    );
    assert.equal(silent.listenerCount('message'), 0, 'the wait removed its listeners');
  } finally {
    await silent.terminate();
  }
});

test('waitForThreadMessage ignores messages of other tags', async () => {
  const worker = thread(`
    const { parentPort } = require('node:worker_threads');
    parentPort.postMessage({ type: 'ready', facts: {} });
    parentPort.postMessage({ type: 'result', result: 'done' });
  `);
  try {
    assert.deepEqual(await waitForThreadMessage(worker, 'result', { label: 't' }), { type: 'result', result: 'done' });
  } finally {
    await worker.terminate();
  }
});

/** eventfd calls that record what a controller does, for a test without the native layer. */
function fakeEventfd() {
  const calls: string[] = [];
  const sys: EventfdCalls = {
    eventfd: (init, flags) => {
      calls.push(`eventfd ${init} ${flags}`);
      return 42;
    },
    eventfdWrite: (fd, value) => {
      calls.push(`write ${fd} ${value}`);
      return 0;
    },
    close: (fd) => {
      calls.push(`close ${fd}`);
      return 0;
    },
    constants: { EFD_NONBLOCK: 1, EFD_CLOEXEC: 2 },
  };
  return { sys, calls };
}

test('StopController: request sets the flag then writes the eventfd once; close closes it once; no write after close', () => {
  const { sys, calls } = fakeEventfd();
  const stop = new StopController(sys);
  assert.equal(stop.signal.wakeFd, 42);
  assert.equal(stopRequested(stop.signal), false);
  stop.request();
  stop.request();
  assert.equal(stop.requested, true);
  stop.close();
  stop.close();
  assert.deepEqual(calls, ['eventfd 0 3', 'write 42 1', 'close 42']);

  const late = fakeEventfd();
  const closedFirst = new StopController(late.sys);
  closedFirst.close();
  closedFirst.request();
  assert.equal(closedFirst.requested, true);
  assert.deepEqual(late.calls, ['eventfd 0 3', 'close 42'], 'a closed fd number may be reused: never written');
});

test('a StopSignal crosses the worker boundary as plain data and stays shared', async () => {
  const { sys } = fakeEventfd();
  const stop = new StopController(sys);
  const worker = thread(
    `
    const { parentPort, workerData } = require('node:worker_threads');
    const { flag, wakeFd } = workerData;
    const poll = setInterval(() => {
      if (Atomics.load(flag, 0) !== 0) { clearInterval(poll); parentPort.postMessage({ type: 'result', result: wakeFd }); }
    }, 1);
    parentPort.postMessage({ type: 'ready', facts: {} });
  `,
    stop.signal,
  );
  try {
    await waitForReady(worker, { label: 't' });
    const result = waitForResult<number>(worker, { label: 't', timeoutMs: 2000 });
    stop.request();
    assert.equal(await result, 42);
  } finally {
    await worker.terminate();
  }
});
