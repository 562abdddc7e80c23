import assert from 'node:assert/strict';
import { test } from 'node:test';
import { foldedToTree, parseFolded } from '@iobench/core';
import { flameData } from './flame-data.js';

const TREE = foldedToTree(parseFolded(['t;a;b;c 5', 't;a;b;d 1', 't;a;e 1', 't;f_[k] 3', 't;g_[j];a 2'].join('\n')));

test('rows keep the tree: parents before children, self samples adding up to the total', () => {
  const data = flameData(TREE);
  assert.equal(data.samples, 12);
  assert.equal(data.depth, 4);
  assert.equal(data.prunedFrames, 0);
  assert.equal(
    data.rows.reduce((sum, r) => sum + r.s, 0),
    12,
  );
  for (const row of data.rows) if (row.p !== null) assert.ok(row.p < row.id, 'parent listed first');
  assert.equal(data.names.filter((n) => n.label === 'a').length, 1, 'a name is listed once, used twice');
  assert.deepEqual(Object.fromEntries(data.names.map((n) => [n.label, n.kind])), {
    all: 'all',
    t: 'native',
    a: 'native',
    b: 'native',
    c: 'native',
    d: 'native',
    e: 'native',
    f: 'kernel',
    g: 'JavaScript',
  });
});

test('big profiles keep the busiest frames; what is left out stays in the caller as self time', () => {
  const data = flameData(TREE, 6);
  assert.ok(data.rows.length <= 6, `${data.rows.length} rows`);
  assert.equal(data.minSamples, 3);
  const label = (id: number) => data.names[data.rows[id]!.n]!.label;
  assert.deepEqual(data.rows.map((r) => label(r.id)).sort(), ['a', 'all', 'b', 'c', 'f', 't']);
  const b = data.rows.find((r) => label(r.id) === 'b')!;
  assert.deepEqual([b.v, b.s], [6, 1], 'd (1 sample) is self time of b');
  assert.equal(data.prunedFrames, 4, 'd, e, g and the a under g');
  assert.equal(
    data.rows.reduce((sum, r) => sum + r.s, 0),
    12,
  );
});
