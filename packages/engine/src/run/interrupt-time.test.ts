import assert from 'node:assert/strict';
import { test } from 'node:test';
import { interruptTime, parseInterruptTicks } from './interrupt-time.js';

/** /proc/stat with the given per-CPU irq and softirq ticks (user nice system idle iowait irq softirq steal). */
function procStat(cpus: Array<[irq: number, softirq: number]>): string {
  const lines = cpus.map(([irq, softirq], i) => `cpu${i} 100 0 50 900 3 ${irq} ${softirq} 0 0 0`);
  return ['cpu  300 0 150 2700 9 0 0 0 0 0', ...lines, 'intr 1 2 3', 'ctxt 42'].join('\n');
}

test('/proc/stat: irq and softirq ticks of every CPU, the all-CPU line and the rest ignored', () => {
  const ticks = parseInterruptTicks(
    procStat([
      [1, 10],
      [0, 20],
    ]),
  );
  assert.deepEqual(
    [...ticks],
    [
      [0, { irq: 1, softirq: 10 }],
      [1, { irq: 0, softirq: 20 }],
    ],
  );
});

test('pinned apart, each side gets the interrupt time of its own CPUs, per request', async () => {
  const before = parseInterruptTicks(
    procStat([
      [0, 10],
      [0, 20],
      [0, 0],
    ]),
  );
  const after = parseInterruptTicks(
    procStat([
      [1, 60],
      [0, 45],
      [0, 0],
    ]),
  );
  const time = await interruptTime(before, after, 1000, { serverCpus: '0', loadCpus: '1-1' });
  assert.equal(time.attribution, 'pinned');
  // 100 ticks a second on every mainstream kernel: 50 ticks = 500 ms.
  assert.equal(time.server?.softirqUs, 500_000);
  assert.equal(time.server?.irqUs, 10_000);
  assert.equal(time.server?.softirqUsPerRequest, 500);
  assert.equal(time.generator?.softirqUs, 250_000);
  assert.equal(time.softirqUs, 750_000);
  assert.deepEqual(
    time.perCpu.map((c) => c.cpu),
    [0, 1],
    'CPUs that spent nothing are left out',
  );
});

test('without both sides pinned to CPUs they do not share, only the machine total is known', async () => {
  const before = parseInterruptTicks(
    procStat([
      [0, 0],
      [0, 0],
    ]),
  );
  const after = parseInterruptTicks(
    procStat([
      [0, 3],
      [0, 1],
    ]),
  );
  for (const pinning of [{}, { loadCpus: '1' }, { serverCpus: '0-1', loadCpus: '1' }]) {
    const time = await interruptTime(before, after, 4, pinning);
    assert.equal(time.attribution, 'machine', JSON.stringify(pinning));
    assert.equal(time.server, undefined);
    assert.equal(time.generator, undefined);
    assert.equal(time.softirqUsPerRequest, 10_000);
  }
});
