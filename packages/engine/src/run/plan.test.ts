import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createConfigSchema } from '@iobench/engine/config';
import { describePlan, planPoints, sweepDimensions } from '@iobench/engine/run';

const configSchema = createConfigSchema({ server: ['a'], load: 'gen' });

test('a plan crosses servers with every swept parameter, repeats innermost, in a stable order', () => {
  const config = configSchema.parse({
    server: ['a', 'b'],
    connections: [8, 64],
    work: ['none', 'wait:1000'],
    repeat: 2,
  });
  const points = planPoints(config);
  assert.equal(points.length, 2 * 2 * 2 * 2);
  assert.deepEqual(
    points.slice(0, 5).map((p) => p.id),
    [
      'a/gen/c8/work-none/r0',
      'a/gen/c8/work-none/r1',
      'a/gen/c8/work-wait:1000/r0',
      'a/gen/c8/work-wait:1000/r1',
      'a/gen/c64/work-none/r0',
    ],
  );
  assert.ok(
    points.slice(0, 8).every((p) => p.server === 'a'),
    'one server at a time',
  );
  assert.deepEqual(sweepDimensions(config), [
    { key: 'connections', values: [8, 64] },
    { key: 'work', values: ['none', 'wait:1000'] },
  ]);
  assert.equal(points[2]?.params.work, 'wait:1000');
  assert.equal(points[0]?.params.idleConnections, 0);
});

test('a target plan has one series and parameters that are not lists are not swept', () => {
  const config = configSchema.parse({ target: 'http://127.0.0.1:1/', connections: 16, threads: 2, rate: 1000 });
  const points = planPoints(config);
  assert.deepEqual(
    points.map((p) => p.id),
    ['target/gen/c16/r0'],
  );
  assert.equal(points[0]?.params.threads, 2);
  assert.equal(points[0]?.params.rate, 1000);
  assert.deepEqual(sweepDimensions(config), []);
});

test('a list of loads is a plan axis: every server under each generator, ids naming the load', () => {
  const config = configSchema.parse({ server: ['a', 'b'], load: ['native', 'wrk'], connections: [8, 64] });
  const points = planPoints(config);
  assert.deepEqual(
    points.map((p) => p.id),
    [
      'a/native/c8/r0',
      'a/native/c64/r0',
      'a/wrk/c8/r0',
      'a/wrk/c64/r0',
      'b/native/c8/r0',
      'b/native/c64/r0',
      'b/wrk/c8/r0',
      'b/wrk/c64/r0',
    ],
  );
  assert.deepEqual(
    points.map((p) => p.load),
    ['native', 'native', 'wrk', 'wrk', 'native', 'native', 'wrk', 'wrk'],
  );
  const plan = describePlan(config, points, {}, {});
  assert.deepEqual(plan.loads, ['native', 'wrk']);
  assert.equal(plan.pointCount, 8);
});
