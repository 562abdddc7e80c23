import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { HistogramLogReader, listTags } from 'hdr-histogram-js';
import { buildResults, FAILED_ID } from './support/results-fixture.js';
import { removeOutDirs, runReporter } from './support/run-reporter.js';

after(removeOutDirs);

test('hlog writes one HdrHistogram log per measured point that reads back with the same counts', async () => {
  const results = buildResults();
  const run = await runReporter('hlog', results);
  const dir = join(run.outDir, 'hlog');
  const measured = results.points.filter((p) => p.status === 'ok');
  assert.equal(run.stdout, `hlog: wrote ${measured.length} file(s) to ${dir}\n`);
  const files = await readdir(dir);
  assert.equal(files.length, measured.length, 'the failed point recorded nothing and has no log');
  assert.ok(!files.includes(`${FAILED_ID.replaceAll('/', '_')}.hlog`));
  for (const point of measured) {
    const text = await readFile(join(dir, `${point.id.replaceAll('/', '_')}.hlog`), 'utf8');
    assert.match(text, /^#\[Histogram log format version 1\.3\]\n#\[StartTime: \d+\.\d{3} \(seconds since epoch\), /);
    const reader = new HistogramLogReader(text);
    const histogram = reader.nextIntervalHistogram();
    assert.ok(histogram, `${point.id}: an interval histogram`);
    assert.equal(histogram.totalCount, point.requests, `${point.id}: every request`);
    assert.equal(histogram.maxValue, point.latencyUs.max);
    assert.equal(histogram.getValueAtPercentile(99), point.latencyUs.p99);
    assert.equal(reader.nextIntervalHistogram(), null, 'one interval per point');
  }
});

test('hlog adds the uncorrected histogram of an open-model point as a tagged interval', async () => {
  const results = buildResults();
  const point = results.points[0]!;
  point.latencyUncorrectedUs = results.points[1]!.latencyUs;
  const run = await runReporter('hlog', results, { dir: 'logs' });
  const text = await readFile(join(run.outDir, 'logs', `${point.id.replaceAll('/', '_')}.hlog`), 'utf8');
  assert.deepEqual(listTags(text).sort(), ['NO TAG', 'uncorrected'].sort());
  const reader = new HistogramLogReader(text);
  assert.equal(reader.nextIntervalHistogram()!.totalCount, point.requests);
  const uncorrected = reader.nextIntervalHistogram()!;
  assert.equal(uncorrected.tag, 'uncorrected');
  assert.equal(uncorrected.totalCount, results.points[1]!.requests);
});
