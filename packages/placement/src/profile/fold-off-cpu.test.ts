import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { totalSamples } from '@iobench/core';
import { FIRST_RUN_FRAME, foldOffCpu, PREEMPTED_FRAME } from './fold-off-cpu.js';

/**
 * 60 consecutive events of `perf record -a -g -e sched:sched_switch -e sched:sched_process_fork`
 * + `perf script -F comm,pid,tid,time,event,trace,ip,sym,dso`, the epoll-thread server (pid 23667)
 * under wrk, stacks cut to 40 frames. Exiting threads show as `:-1 23667/-1`.
 */
const SCHED = readFileSync(new URL('./fixtures/perf-script-sched.txt', import.meta.url), 'utf8');
const SERVER_PID = 23667;

test('a switch out opens a block of prev_pid, the switch in (next_pid, in another task) closes it', () => {
  const text = [
    'node 7/7 1.000000: sched:sched_switch: prev_comm=node prev_pid=7 prev_prio=120 prev_state=S ==> next_comm=wrk next_pid=9 next_prio=120',
    '\tffffffff8224a1b3 schedule ([kernel.kallsyms])',
    '\t          101829 epoll_pwait (/usr/lib/x86_64-linux-gnu/libc.so.6)',
    '',
    'wrk 9/9 1.000250: sched:sched_switch: prev_comm=wrk prev_pid=9 prev_prio=120 prev_state=S ==> next_comm=node next_pid=7 next_prio=120',
    '\tffffffff8224a1b3 schedule ([kernel.kallsyms])',
    '',
  ].join('\n');
  assert.deepEqual([...foldOffCpu(text, 7)], [['node;epoll_pwait;schedule_[k]', 250]]);
  assert.equal(foldOffCpu(text, 9).size, 0, 'a block still open at the last event has lasted 0 µs');
});

test('real perf script: new threads wait for their first run under clone3, exits open nothing', () => {
  const folded = foldOffCpu(SCHED, SERVER_PID);
  const firstRun = [...folded].filter(([stack]) => stack.endsWith(FIRST_RUN_FRAME));
  assert.equal(firstRun.length, 1);
  assert.match(
    firstRun[0]![0],
    /^node;\[unresolved\];clone3;entry_SYSCALL_64_after_hwframe_\[k\];.*kernel_clone_\[k\];/,
  );
  // Threads 24293..24296 are forked at .860019/.860060/.860090/.860117 and first run at
  // .861580/.861649/.861690/.860137; later forks add theirs.
  assert.ok(firstRun[0]![1] >= 1561 + 1589 + 1600 + 20, String(firstRun[0]![1]));
  assert.ok(!folded.has('node'), 'exited threads (prev_state=X, tid -1) open no block');
  // The main thread's wait in epoll_wait, and time runnable after a preemption, each their own stack.
  assert.ok([...folded.keys()].some((s) => /^node;epoll_pwait;.*do_epoll_wait_\[k\];.*__schedule_\[k\]$/.test(s)));
  assert.ok([...folded.keys()].some((s) => s.endsWith(`;${PREEMPTED_FRAME}`)));
  assert.ok(totalSamples(folded) > 5000);
});

test('events of other processes count only as the switch back in', () => {
  assert.equal(foldOffCpu(SCHED, 1).size, 0);
});
