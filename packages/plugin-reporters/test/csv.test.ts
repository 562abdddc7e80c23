import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, test } from 'node:test';
import {
  buildResults,
  CONNECTIONS,
  FAILED_ID,
  GENERATOR_BOUND_ID,
  REPEATS,
  SERVERS,
} from './support/results-fixture.js';
import { removeOutDirs, runReporter } from './support/run-reporter.js';

after(removeOutDirs);

/** Splits CSV text into rows of cells (RFC 4180 quoting). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(cell);
      cell = '';
    } else if (c === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
    } else if (c !== '\r') cell += c;
  }
  return rows;
}

test('csv writes results.csv with a header and one row per point, every repeat kept', async () => {
  const results = buildResults();
  const run = await runReporter('csv', results);
  const file = join(run.outDir, 'results.csv');
  assert.equal(run.stdout, `csv: wrote ${file}\n`);
  const [header, ...rows] = parseCsv(await readFile(file, 'utf8'));
  for (const column of [
    'server',
    'load',
    'connections',
    'repeat',
    'status',
    'rps',
    'p50Us',
    'p90Us',
    'p99Us',
    'p99_9Us',
    'p99_99Us',
    'maxUs',
    'errors',
    'cpuUsPerRequest',
    'ctxSwitchesPerRequest',
    'syscallsPerRequest',
    'starvedConnections',
    'generatorBound',
  ]) {
    assert.ok(header!.includes(column), `header has ${column}: ${header!.join(',')}`);
  }
  assert.equal(rows.length, SERVERS.length * CONNECTIONS.length * REPEATS);
  const col = (name: string) => header!.indexOf(name);
  const byId = new Map(rows.map((r) => [r[col('id')], r]));

  const epoll = byId.get('epoll/undici/c64/r1')!;
  const source = results.points.find((p) => p.id === 'epoll/undici/c64/r1')!;
  assert.equal(epoll[col('server')], 'epoll');
  assert.equal(epoll[col('connections')], '64');
  assert.equal(epoll[col('status')], 'ok');
  assert.equal(Number(epoll[col('rps')]), source.rps);
  assert.equal(Number(epoll[col('p99Us')]), source.latencyUs.p99);
  assert.equal(Number(epoll[col('syscallsPerRequest')]), 2.5);
  assert.equal(epoll[col('generatorBound')], 'false');

  assert.equal(byId.get(GENERATOR_BOUND_ID)![col('generatorBound')], 'true');
  assert.equal(byId.get('basic/undici/c512/r0')![col('starvedConnections')], '508');
  assert.equal(byId.get('basic/undici/c512/r0')![col('errors')], '3');
  const failed = byId.get(FAILED_ID)!;
  assert.equal(failed[col('status')], 'failed');
  assert.equal(failed[col('p99Us')], '', 'a failed point has no latency');
  assert.match(failed[col('error')]!, /exited with code 1/);
});

test("csv gives every row its point's repeats: median, range, spread and the wide-spread verdict", async () => {
  const results = buildResults();
  // epoll at 8 connections made tight: 19,900–20,100 is 1% of the median.
  for (const p of results.points)
    if (p.server === 'epoll' && p.params.connections === 8) p.rps = [19_900, 20_000, 20_100][p.repeat]!;
  const [header, ...rows] = parseCsv(
    await readFile(join((await runReporter('csv', results)).outDir, 'results.csv'), 'utf8'),
  );
  const col = (name: string) => header!.indexOf(name);
  const byId = new Map(rows.map((r) => [r[col('id')], r]));
  const cells = (id: string) =>
    ['repeats', 'rpsMedian', 'rpsMin', 'rpsMax', 'rpsSpreadPct', 'wideSpread'].map((c) => byId.get(id)![col(c)]);
  for (const r of [0, 1, 2])
    assert.deepEqual(
      cells(`epoll/undici/c8/r${r}`),
      ['3', '20000', '19900', '20100', '1', 'false'],
      'same on every repeat',
    );
  // epoll-pool at 64: 14,250, 15,000 and 16,500 req/s, 15% of the median.
  assert.deepEqual(cells('epoll-pool/undici/c64/r0'), ['3', '15000', '14250', '16500', '15', 'true']);
  // basic at 512: repeat 2 failed, so its point's figures come from the two that ran.
  assert.deepEqual(cells(FAILED_ID).slice(0, 4), ['2', '2925', '2850', '3000']);
});

test('csv quotes cells holding commas and quotes', async () => {
  const results = buildResults();
  const failed = results.points.find((p) => p.id === FAILED_ID)!;
  failed.error = { code: 'X', message: 'bad "thing", twice' };
  const run = await runReporter('csv', results, { file: 'out/x.csv' });
  const rows = parseCsv(await readFile(join(run.outDir, 'out/x.csv'), 'utf8'));
  const header = rows[0]!;
  const row = rows.find((r) => r[0] === FAILED_ID)!;
  assert.equal(row.length, header.length);
  assert.equal(row[header.indexOf('error')], 'bad "thing", twice');
});

test('csv has a column for each swept parameter, after connections', async () => {
  const results = buildResults();
  results.plan.sweep.push({ key: 'idleConnections', values: [0, 8000] });
  for (const [i, p] of results.points.entries()) p.params.idleConnections = i % 2 === 0 ? 0 : 8000;
  const run = await runReporter('csv', results);
  const [header, first, second] = parseCsv(await readFile(join(run.outDir, 'results.csv'), 'utf8'));
  const at = header!.indexOf('idleConnections');
  assert.equal(at, header!.indexOf('connections') + 1);
  assert.deepEqual([first![at], second![at]], ['0', '8000']);
});
