import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { planBatches } from './pool-batches.js';

/** The groups `planBatches` cuts `sizes` into, as arrays of sizes. */
function groups(sizes: number[], maxTasks: number): number[][] {
  const out: number[][] = [];
  let start = 0;
  for (const end of planBatches(sizes, maxTasks)) {
    out.push(sizes.slice(start, end));
    start = end;
  }
  return out;
}

describe('planBatches', () => {
  it('gives one task per connection when there are fewer connections than threads', () => {
    assert.deepEqual(groups([1, 1, 1], 10), [[1], [1], [1]]);
  });

  it('cuts many single-request connections into `maxTasks` near-equal tasks', () => {
    const sizes = new Array<number>(64).fill(1);
    const lengths = groups(sizes, 10).map((g) => g.length);
    assert.equal(lengths.length, 10);
    assert.ok(Math.max(...lengths) - Math.min(...lengths) <= 1, `task sizes ${lengths}`);
  });

  it('keeps a pipelining connection whole even when it holds most of the requests', () => {
    assert.deepEqual(groups([1, 30, 1, 1], 4), [[1, 30], [1], [1]]);
  });

  it('plans nothing for an empty round and rejects a bad thread count', () => {
    assert.deepEqual(planBatches([], 10), []);
    assert.throws(() => planBatches([1], 0), /maxTasks must be a positive integer \(got 0\)/);
  });

  it('covers every connection once, in order, in at most maxTasks non-empty groups', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 50 }), { maxLength: 300 }),
        fc.integer({ min: 1, max: 32 }),
        (sizes, maxTasks) => {
          const ends = planBatches(sizes, maxTasks);
          assert.ok(ends.length <= maxTasks);
          if (sizes.every((s) => s === 1)) assert.equal(ends.length, Math.min(maxTasks, sizes.length));
          let previous = 0;
          for (const end of ends) {
            assert.ok(end > previous, `empty group in ${ends}`);
            previous = end;
          }
          if (sizes.length > 0) assert.equal(previous, sizes.length);
        },
      ),
    );
  });
});
