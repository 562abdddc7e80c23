import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { promisify } from 'node:util';
import { createLatencyHistogram } from '@iobench/core';
import { requireTool } from '@iobench/core/testing';
import { type Histogram, HistogramLogReader, listTags } from 'hdr-histogram-js';
import { buildResults, DURATION_MS, FAILED_ID } from './support/results-fixture.js';
import { removeOutDirs, runReporter } from './support/run-reporter.js';

after(removeOutDirs);

/** The log of a point, named like every artifact of the point (`epoll/undici/c8/r0` -> `epoll-undici-c8-r0.hlog`). */
const logName = (id: string) => `${id.replaceAll('/', '-')}.hlog`;

test('hlog writes one HdrHistogram log per measured point, an interval per second, that add up to the point', async () => {
  const results = buildResults();
  const run = await runReporter('hlog', results);
  const dir = join(run.outDir, 'hlog');
  const measured = results.points.filter((p) => p.status === 'ok');
  assert.equal(run.stdout, `hlog: wrote ${measured.length} file(s) to ${dir}\n`);
  const files = await readdir(dir);
  assert.equal(files.length, measured.length, 'the failed point recorded nothing and has no log');
  assert.ok(!files.includes(logName(FAILED_ID)));
  for (const point of measured) {
    const text = await readFile(join(dir, logName(point.id)), 'utf8');
    assert.match(
      text,
      /^#\[Histogram log format version 1\.3\]\n#\[StartTime: (\d+\.\d{3}) \(seconds since epoch\), [^\]]+\]\n#\[BaseTime: \1 \(seconds since epoch\)\]\n/,
    );
    assert.match(
      text,
      /\n"StartTimestamp","Interval_Length","Interval_Max","Interval_Compressed_Histogram"\n0\.000,1\.000,/,
    );
    const reader = new HistogramLogReader(text);
    const seconds: Histogram[] = [];
    for (let h = reader.nextIntervalHistogram(); h; h = reader.nextIntervalHistogram()) seconds.push(h);
    assert.equal(seconds.length, DURATION_MS / 1000, `${point.id}: one interval per second`);
    const startMs = Date.parse(point.startedAt);
    assert.deepEqual(
      seconds.map((h) => [h.startTimeStampMsec - startMs, h.endTimeStampMsec - startMs]),
      [
        [0, 1000],
        [1000, 2000],
        [2000, 3000],
      ],
      'each interval one second long, from the start of the measured phase',
    );
    assert.deepEqual(
      seconds.map((h) => h.totalCount),
      point.perSecond!.map((s) => s.requests),
    );
    const whole = seconds.reduce((sum, h) => {
      sum.add(h);
      return sum;
    }, createLatencyHistogram());
    assert.equal(whole.totalCount, point.requests, `${point.id}: every request`);
    assert.equal(whole.maxValue, point.latencyUs.max);
    assert.equal(whole.getValueAtPercentile(99), point.latencyUs.p99);
  }
});

test('a point without per-second histograms (wrk) is one interval for the whole phase, and says why', async () => {
  const results = buildResults();
  const point = results.points[0]!;
  point.load = 'wrk';
  for (const s of point.perSecond!) delete s.latencyUs;
  const run = await runReporter('hlog', results);
  const text = await readFile(join(run.outDir, 'hlog', logName(point.id)), 'utf8');
  assert.match(text, /one interval for the whole measured phase \(wrk keeps no histogram per second\)/);
  const reader = new HistogramLogReader(text);
  const histogram = reader.nextIntervalHistogram()!;
  assert.equal(histogram.totalCount, point.requests);
  assert.equal(histogram.endTimeStampMsec - histogram.startTimeStampMsec, DURATION_MS);
  assert.equal(reader.nextIntervalHistogram(), null, 'one interval');
});

test('hlog adds the uncorrected histogram of an open-model point as a tagged interval', async () => {
  const results = buildResults();
  const point = results.points[0]!;
  point.latencyUncorrectedUs = results.points[1]!.latencyUs;
  const run = await runReporter('hlog', results, { dir: 'logs' });
  const text = await readFile(join(run.outDir, 'logs', logName(point.id)), 'utf8');
  assert.deepEqual(listTags(text).sort(), ['NO TAG', 'uncorrected'].sort());
  const reader = new HistogramLogReader(text);
  let counted = 0;
  let uncorrected = reader.nextIntervalHistogram()!;
  for (; uncorrected.tag !== 'uncorrected'; uncorrected = reader.nextIntervalHistogram()!)
    counted += uncorrected.totalCount;
  assert.equal(counted, point.requests);
  assert.equal(uncorrected.tag, 'uncorrected');
  assert.equal(uncorrected.totalCount, results.points[1]!.requests);
});

/** HdrHistogram's own Java jar: `HDRHISTOGRAM_JAR`, or the newest in the local Maven repository. */
function hdrHistogramJar(): string | undefined {
  if (process.env.HDRHISTOGRAM_JAR) return process.env.HDRHISTOGRAM_JAR;
  const dir = join(homedir(), '.m2/repository/org/hdrhistogram/HdrHistogram');
  const versions = existsSync(dir) ? readdirSync(dir).sort() : [];
  const jar = versions.map((v) => join(dir, v, `HdrHistogram-${v}.jar`)).findLast((f) => existsSync(f));
  return jar;
}

const javaSkip =
  requireTool('java') ??
  (hdrHistogramJar()
    ? undefined
    : 'no HdrHistogram jar (set HDRHISTOGRAM_JAR, or mvn dependency:get org.hdrhistogram:HdrHistogram:2.2.2)');

test("HdrHistogram's own HistogramLogProcessor reads the log, one interval a second", { skip: javaSkip }, async () => {
  const results = buildResults();
  const point = results.points.find((p) => p.status === 'ok')!;
  const run = await runReporter('hlog', { ...results, points: [point] });
  const out = join(run.outDir, 'processed');
  const log = join(run.outDir, 'hlog', logName(point.id));
  await promisify(execFile)(
    'java',
    [
      '-cp',
      hdrHistogramJar()!,
      'org.HdrHistogram.HistogramLogProcessor',
      '-i',
      log,
      '-o',
      out,
      '-outputValueUnitRatio',
      '1000',
    ],
    { timeout: 60_000 },
  );
  const intervalLog = await readFile(out, 'utf8');
  // `<end of interval>: I:<count> ( ... ) T:<running total> ( ... )`, one line per interval.
  const intervals = [...intervalLog.matchAll(/^(\d+\.\d+): I:(\d+) .* T:(\d+) /gm)].map((m) => [
    m[1],
    Number(m[2]),
    Number(m[3]),
  ]);
  assert.deepEqual(
    intervals.map(([end, count]) => [end, count]),
    point.perSecond!.map((s) => [`${s.second + 1}.000`, s.requests]),
  );
  assert.equal(intervals.at(-1)![2], point.requests, 'the running total ends at every request');
});
