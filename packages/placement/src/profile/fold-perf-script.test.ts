import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { formatFolded, parseFolded, totalSamples } from '@iobench/core';
import { foldPerfScript, foldUnresolved, isUnresolvedFrame, unresolvedShare } from './fold-perf-script.js';

/** Five samples captured with `perf record -e cpu-clock -g` + `perf script` from a node:net server run with --perf-basic-prof. */
const SAMPLE = readFileSync(new URL('./fixtures/perf-script-sample.txt', import.meta.url), 'utf8');

test('every sample becomes one stack, root (thread name) first, kernel and JIT frames annotated', () => {
  const folded = foldPerfScript(SAMPLE);
  assert.equal(totalSamples(folded), 5);
  const stacks = [...folded.keys()];
  const write = stacks.find((s) => s.includes('handleRequest'))!;
  const frames = write.split(';');
  assert.equal(frames[0], 'node');
  assert.equal(frames[1], '__libc_start_call_main');
  assert.ok(
    frames.includes('JS:^handleRequest /tmp/srv.js:2:23_[j]'),
    'JS frame named through the perf map, offset dropped',
  );
  assert.equal(frames.at(-1), 'pvm_irq_enable_[k]');
  assert.ok(
    frames.indexOf('JS:^handleRequest /tmp/srv.js:2:23_[j]') < frames.indexOf('__GI___libc_write'),
    'callers before callees',
  );
  const accept = stacks.find((s) => s.includes('accept4'))!;
  assert.match(
    accept,
    /uv__server_io;accept4;entry_SYSCALL_64_after_hwframe_\[k\];.*__sys_accept4_\[k\];do_accept_\[k\];inet_accept_\[k\];inet_csk_accept_\[k\]$/,
  );
});

test('unknown frames, C++ names with spaces and parentheses, and samples without a call chain', () => {
  const stacks = [...foldPerfScript(SAMPLE).keys()];
  assert.ok(stacks.includes('node;[unresolved];malloc'));
  assert.ok(stacks.includes('node;epoll_pwait'));
  assert.ok(
    stacks.some((s) =>
      s.includes(';non-virtual thunk to node::LibuvStreamWrap::DoTryWrite(uv_buf_t**, unsigned long*);'),
    ),
  );
  const noChain = foldPerfScript('node 1  1.0:    1001001 cpu-clock: \n\n');
  assert.deepEqual([...noChain], [['node', 1]]);
});

test('thread names with spaces, and ; inside a symbol, cannot break the format', () => {
  const text = 'V8 Worker 12/14 [000] 5.0: 1 cpu-clock:\n\t  abc weird;name+0x1 (/usr/bin/node)\n';
  assert.deepEqual([...foldPerfScript(text)], [['V8 Worker;weird:name', 1]]);
});

test('formatFolded and parseFolded round-trip', () => {
  const folded = foldPerfScript(SAMPLE);
  const text = formatFolded(folded);
  assert.match(text, /^node;.* 1\n/);
  assert.deepEqual(parseFolded(text), folded);
});

/** A thread-per-request server's clone3, captured with `perf record -a -g` (trimmed): a tower of unknown frames above it. */
const CLONE_TOWER = readFileSync(new URL('./fixtures/perf-script-clone3.txt', import.meta.url), 'utf8');

test('a run of unresolved frames folds into one [unresolved] frame; glibc symbol versions are dropped', () => {
  const stacks = [...foldPerfScript(CLONE_TOWER).keys()];
  const clone = stacks.find((s) => s.includes('kernel_clone'))!;
  assert.match(clone, /^node;\[unresolved\];clone3;entry_SYSCALL_64_after_hwframe_\[k\];/);
  assert.ok(
    stacks.some((s) => s.startsWith('node;pthread_create;')),
    stacks.join('\n'),
  );
  assert.ok(!stacks.some((s) => s.includes('[unknown]')));
});

test('foldUnresolved keeps resolved frames between runs', () => {
  assert.deepEqual(foldUnresolved(['a', '[unknown]', '0x7f00aa', '[unknown]', 'b', '[libx.so.1]', 'c']), [
    'a',
    '[unresolved]',
    'b',
    '[unresolved]',
    'c',
  ]);
  assert.ok(
    isUnresolvedFrame('[unresolved]') && isUnresolvedFrame('[libnode.so.115]') && isUnresolvedFrame('deadbeef00'),
  );
  assert.ok(!isUnresolvedFrame('add') && !isUnresolvedFrame('do_exit_[k]') && !isUnresolvedFrame('JS:*f x.js:1_[j]'));
});

test('unresolvedShare counts stacks whose leaf side is unresolved, and (anyShare) any unresolved frame', () => {
  const folded = parseFolded('t;[unresolved];clone3 6\nt;main;[unresolved] 2\nt;main 2\n');
  assert.deepEqual(unresolvedShare(folded), { leafShare: 0.2, anyShare: 0.8 });
  assert.deepEqual(unresolvedShare(new Map()), { leafShare: 0, anyShare: 0 });
});
