import assert from 'node:assert/strict';
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import type { ResultsFile } from '@iobench/core';
import { iobench, tempDir } from '../helpers.js';

/** A short run of the node server at 2 connections, 1 s a point, no warm-up. */
const SHORT = ['run', '--server', 'node', '--connections', '2', '--duration', '1s', '--warmup', '0'];

/** The table's header and rows (the notes under it aside). */
function table(stdout: string): string[] {
  const lines = stdout.split('\n');
  const start = lines.findIndex((l) => l.startsWith('server '));
  return [lines[start]!, ...lines.slice(start + 2).filter((l) => l.startsWith('node '))];
}

describe('iobench run --repeat', () => {
  test('--repeat 3 prints one row per point: the median req/s with the repeats’ range, and the repeat count', async (t) => {
    const out = await tempDir();
    t.after(() => rm(out, { recursive: true, force: true }));
    const r = await iobench([...SHORT, '--repeat', '3', '--out', out]);
    assert.equal(r.code, 0, r.stderr);
    const [header, ...rows] = table(r.stdout);
    assert.match(header!, /^server\s+load\s+conns\s+repeats\s+req\/s\s+p50/);
    assert.equal(rows.length, 1, r.stdout);
    const saved: ResultsFile = JSON.parse(await readFile(join(out, 'results.json'), 'utf8'));
    assert.equal(saved.points.length, 3, 'every repeat is kept in results.json');
    const rps = saved.points.map((p) => Math.round(p.rps)).sort((a, b) => a - b);
    const count = (n: number) => n.toLocaleString('en-US');
    const range = `${count(rps[1]!)} \\(${count(rps[0]!)}–${count(rps[2]!)}\\)`;
    assert.match(rows[0]!, new RegExp(`^node\\s+native\\s+2\\s+3\\s+${range}!?\\s`));
    // Whether this shared machine's repeats spread past 10% is up to it: the mark and the note go together.
    const marked = rows[0]!.includes(')!');
    assert.equal(/^! node\/native\/c2: the 3 repeats' req\/s spread/m.test(r.stdout), marked, r.stdout);
    assert.match(r.stdout, /^repeats: req\/s is the median of a point's repeats \(min–max\)/m);
  });

  test('--repeat-rows prints a row per repeat with a repeat column', async (t) => {
    const out = await tempDir();
    t.after(() => rm(out, { recursive: true, force: true }));
    const r = await iobench([...SHORT, '--repeat', '2', '--repeat-rows', '--out', out]);
    assert.equal(r.code, 0, r.stderr);
    const [header, ...rows] = table(r.stdout);
    assert.match(header!, /^server\s+load\s+conns\s+repeat\s+req\/s\s/);
    const saved: ResultsFile = JSON.parse(await readFile(join(out, 'results.json'), 'utf8'));
    assert.deepEqual(
      rows.map((row) => row.split(/\s+/).slice(0, 5)),
      saved.points.map((p) => ['node', 'native', '2', `r${p.repeat}`, Math.round(p.rps).toLocaleString('en-US')]),
    );
    assert.deepEqual(
      saved.points.map((p) => p.repeat),
      [0, 1],
    );
  });

  test('--repeat-rows with --json is refused before anything runs', async () => {
    const r = await iobench([...SHORT, '--repeat-rows', '--json']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /--json=true cannot also be provided when using --repeat-rows/);
  });
});
