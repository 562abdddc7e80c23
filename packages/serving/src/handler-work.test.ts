import assert from 'node:assert/strict';
import { test } from 'node:test';
import { z } from 'zod';
import { handlerWorkSchema, performWork } from './handler-work.js';

const schema = z.object({ work: handlerWorkSchema.prefault('none') });

test('work strings parse to HandlerWork, and the parsed form parses again', () => {
  assert.deepEqual(schema.parse({}).work, { kind: 'none' });
  assert.deepEqual(schema.parse({ work: 'none' }).work, { kind: 'none' });
  assert.deepEqual(schema.parse({ work: 'cpu:200' }).work, { kind: 'cpu', us: 200 });
  assert.deepEqual(schema.parse({ work: 'wait:1000' }).work, { kind: 'wait', us: 1000 });
  assert.deepEqual(schema.parse({ work: { kind: 'wait', us: 5 } }).work, { kind: 'wait', us: 5 });
});

test('bad work values are rejected with a message naming the expected form and the value', () => {
  for (const bad of ['cpu', 'cpu:', 'cpu:-1', 'cpu:1.5', 'sleep:10', 'wait:abc', '', 'wait:99999999999']) {
    const result = schema.safeParse({ work: bad });
    assert.equal(result.success, false, bad);
    const message = result.error!.issues.map((i) => i.message).join('; ');
    assert.match(message, /work must be/, message);
    assert.ok(message.includes(JSON.stringify(bad)), `${message} should quote ${bad}`);
  }
  assert.equal(schema.safeParse({ work: 42 }).success, false);
});

test('cpu work spins for at least the time asked and burns CPU', () => {
  // The machine may be shared: one attempt of five must show the spin got most of a core.
  const attempts: string[] = [];
  for (let attempt = 0; attempt < 5; attempt++) {
    const cpuBefore = process.cpuUsage();
    const start = process.hrtime.bigint();
    performWork({ kind: 'cpu', us: 20_000 });
    const elapsedUs = Number(process.hrtime.bigint() - start) / 1000;
    const cpu = process.cpuUsage(cpuBefore);
    assert.ok(elapsedUs >= 20_000, `elapsed ${elapsedUs} µs`);
    if (cpu.user + cpu.system >= elapsedUs / 2) return;
    attempts.push(`${cpu.user + cpu.system} µs CPU in ${Math.round(elapsedUs)} µs`);
  }
  assert.fail(`the spin did not burn CPU: ${attempts.join(', ')}`);
});

test('wait work blocks the thread for at least the time asked without burning CPU', () => {
  const cpuBefore = process.cpuUsage();
  const start = process.hrtime.bigint();
  performWork({ kind: 'wait', us: 30_000 });
  const elapsedUs = Number(process.hrtime.bigint() - start) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  assert.ok(elapsedUs >= 29_000, `elapsed ${elapsedUs} µs`);
  assert.ok(cpu.user + cpu.system < 15_000, `cpu ${cpu.user + cpu.system} µs`);
});

test('none and zero work return at once', () => {
  const start = process.hrtime.bigint();
  performWork({ kind: 'none' });
  performWork({ kind: 'cpu', us: 0 });
  performWork({ kind: 'wait', us: 0 });
  assert.ok(Number(process.hrtime.bigint() - start) < 5_000_000);
});
