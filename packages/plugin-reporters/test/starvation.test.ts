import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { makePoint, makeResults, makeServerStats } from '@iobench/core/testing';
import { removeOutDirs, runReporter } from './support/run-reporter.js';

after(removeOutDirs);

/**
 * wrk reports no per-connection counts; the blocking keep-alive server's starvation shows only in how
 * few connections it had accepted halfway through the measured phase (1 of the 8 wrk held open).
 */
function wrkResults() {
  const point = (server: string, acceptedFirstHalf: number) =>
    makePoint({
      server,
      load: 'wrk',
      params: { connections: 8 },
      serverStats: makeServerStats({ accepted: acceptedFirstHalf, acceptedFirstHalf, requests: 100 }),
    });
  return makeResults([point('basic', 1), point('epoll', 8)]);
}

test('a wrk-starved point shows as starved in markdown: the starved column and its note', async () => {
  const md = await readFile(join((await runReporter('markdown', wrkResults())).outDir, 'results.md'), 'utf8');
  const starvedColumn = (server: string) => {
    const line = md.split('\n').find((l) => l.startsWith(`| ${server} |`));
    assert.ok(line, `a row for ${server} in:\n${md}`);
    const cells = line.split('|').map((c) => c.trim());
    const header = md
      .split('\n')
      .find((l) => l.startsWith('| server |'))!
      .split('|')
      .map((c) => c.trim());
    return cells[header.indexOf('starved')];
  };
  assert.equal(starvedColumn('basic'), '7/8');
  assert.equal(starvedColumn('epoll'), '0');
  assert.match(md, /^- starved: /m);
});

test('a wrk-starved point shows as starved in html: the sweep table and the points table', async () => {
  const html = await readFile(join((await runReporter('html', wrkResults())).outDir, 'report.html'), 'utf8');
  // (assert.ok, not assert.match: a failing match would print the inlined chart bundles.)
  const row = (first: string) => html.match(new RegExp(`<tr><td>${first}</td>.*?</tr>`))?.[0] ?? '';
  assert.ok(row('basic').includes('<td class="num">7/8</td>'), `sweep table row: ${row('basic')}`);
  assert.ok(row('basic/wrk/c8/r0').includes('>7/8<'), `points table row: ${row('basic/wrk/c8/r0')}`);
});

test('a wrk-starved point counts its starved connections in csv', async () => {
  const csv = await readFile(join((await runReporter('csv', wrkResults())).outDir, 'results.csv'), 'utf8');
  const [header, basic, epoll] = csv
    .trim()
    .split('\n')
    .map((l) => l.split(','));
  const column = header!.indexOf('starvedConnections');
  assert.equal(basic![column], '7');
  assert.equal(epoll![column], '0');
});
