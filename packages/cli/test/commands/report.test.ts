// test-lane: unit (a 500 ms run whose files are reported, no speed judged).
import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { makePoint, makeResults } from '@iobench/core/testing';
import { iobench, tempDir } from '../helpers.js';

/** A small valid results file: epoll under undici at 8 and 64 connections. */
const sampleResults = () => makeResults([8, 64].map((connections) => makePoint({ params: { connections } })));

describe('iobench report', () => {
  test('re-renders a saved results file as a table, and as JSON', async () => {
    const out = await tempDir();
    const run = await iobench([
      'run',
      '--server',
      'node',
      '--connections',
      '2',
      '--duration',
      '500ms',
      '--warmup',
      '0',
      '--out',
      out,
    ]);
    assert.equal(run.code, 0, run.stderr);
    const file = join(out, 'results.json');
    const r = await iobench(['report', file]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /node\s+native\s+2\s+[\d,]+/);
    const j = await iobench(['report', file, '--json']);
    assert.deepEqual(JSON.parse(j.stdout), JSON.parse(await readFile(file, 'utf8')));
  });

  test('-r takes a comma list as run does (issue 19: it was refused)', async () => {
    const dir = await tempDir();
    const file = join(dir, 'results.json');
    await writeFile(file, JSON.stringify(sampleResults()));
    const r = await iobench(['report', file, '-r', 'markdown,csv', '--quiet']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /results\.md/);
    assert.match(r.stdout, /results\.csv/);
  });

  test('a chosen reporter adds to the console table; --quiet leaves only the files written', async () => {
    const dir = await tempDir();
    const file = join(dir, 'results.json');
    await writeFile(file, JSON.stringify(sampleResults()));
    const r = await iobench(['report', file, '--reporter', 'csv']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^server\s+load\s+conns\s+req\/s/m, 'the table');
    assert.match(r.stdout, /^csv: wrote .*results\.csv$/m);
    const quiet = await iobench(['report', file, '--reporter', 'csv', '--quiet']);
    assert.equal(quiet.code, 0, quiet.stderr);
    assert.equal(quiet.stdout, `csv: wrote ${join(dir, 'results.csv')}\n`);
  });

  test('a corrupt or missing results file is a clear error (exit 2)', async () => {
    const dir = await tempDir();
    const bad = join(dir, 'results.json');
    await writeFile(bad, '{"schemaVersion": 1, "points": [');
    const r = await iobench(['report', bad]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /results file .*results\.json is not valid JSON/);
    const missing = await iobench(['report', join(dir, 'nope.json')]);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /cannot read results file .*nope\.json: no such file/);
  });

  test('valid JSON that does not match the results schema names the file, the point and the field (exit 2)', async () => {
    const dir = await tempDir();
    const noLatency = sampleResults() as unknown as { points: Array<Record<string, unknown>> };
    delete noLatency.points[1]!.latencyUs;
    const file = join(dir, 'no-latency.json');
    await writeFile(file, JSON.stringify(noLatency));
    const r = await iobench(['report', file]);
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /no-latency\.json is not a valid iobench results file/);
    assert.match(r.stderr, /point epoll\/undici\/c64\/r0: points\[1\]\.latencyUs: expected object, received undefined/);
    assert.doesNotMatch(r.stderr, /Cannot read properties/);

    const noPlan = sampleResults() as unknown as Record<string, unknown>;
    delete noPlan.plan;
    const planless = join(dir, 'no-plan.json');
    await writeFile(planless, JSON.stringify(noPlan));
    const p = await iobench(['report', planless]);
    assert.equal(p.code, 2, p.stderr);
    assert.match(
      p.stderr,
      /no-plan\.json is not a valid iobench results file: plan: expected object, received undefined/,
    );
  });

  test('a histogram that does not decode names the file, the point and the field (exit 2)', async () => {
    const dir = await tempDir();
    const results = sampleResults();
    results.points[0]!.latencyUs.hdr = 'SGVsbG8sIHdvcmxkIQ==';
    const file = join(dir, 'bad-hdr.json');
    await writeFile(file, JSON.stringify(results));
    const r = await iobench(['report', file]);
    assert.equal(r.code, 2, r.stderr);
    assert.match(
      r.stderr,
      /bad-hdr\.json is not a valid iobench results file: point epoll\/undici\/c8\/r0: points\[0\]\.latencyUs\.hdr: expected an HDR histogram/,
    );
  });

  test('a reporter file option that leaves the output directory is refused, naming the option (exit 2)', async () => {
    const dir = await tempDir();
    const file = join(dir, 'results.json');
    await writeFile(file, JSON.stringify(sampleResults()));
    const r = await iobench(['report', file, '--reporter', 'csv', '--reporter-opt', 'csv.file=../../escaped.csv']);
    assert.equal(r.code, 2, r.stderr);
    assert.match(
      r.stderr,
      /reporter plugin "csv": option "file": expected a relative path inside the output directory.*received "\.\.\/\.\.\/escaped\.csv"/,
    );
    await assert.rejects(readFile(join(dir, '..', '..', 'escaped.csv')), /ENOENT/);
    const absolute = await iobench([
      'report',
      file,
      '--reporter',
      'markdown',
      '--reporter-opt',
      'markdown.file=/tmp/x.md',
    ]);
    assert.equal(absolute.code, 2, absolute.stderr);
    assert.match(
      absolute.stderr,
      /option "file": expected a relative path inside the output directory.*received "\/tmp\/x\.md"/,
    );
  });

  test('an --out directory that cannot be written is an error before any reporter runs (exit 2)', async () => {
    const dir = await tempDir();
    const file = join(dir, 'results.json');
    await writeFile(file, JSON.stringify(sampleResults()));
    const r = await iobench(['report', file, '--reporter', 'csv', '--out', '/proc/iobench-report'], {
      timeoutMs: 15_000,
    });
    assert.equal(r.code, 2, `exit code ${r.code} (null: killed after hanging): ${r.stderr}`);
    assert.match(r.stderr, /--out \/proc\/iobench-report: cannot create directory/);
  });
});
