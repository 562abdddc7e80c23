import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { buildResults, FAILED_ID } from './support/results-fixture.js';
import { removeOutDirs, runReporter } from './support/run-reporter.js';

after(removeOutDirs);

/** The cells of the table row for `server` at `connections`. */
function row(markdown: string, server: string, connections: number): string[] {
  const line = markdown.split('\n').find((l) => l.startsWith(`| ${server} | ${connections} |`));
  assert.ok(line, `a row for ${server} at ${connections} connections in:\n${markdown}`);
  return line
    .split('|')
    .slice(1, -1)
    .map((c) => c.trim());
}

test('markdown aggregates repeats to median and min–max range', async () => {
  const run = await runReporter('markdown', buildResults());
  const file = join(run.outDir, 'results.md');
  assert.equal(run.stdout, `markdown: wrote ${file}\n`);
  const md = await readFile(file, 'utf8');
  // epoll-pool at 64 connections: 14,250, 15,000 and 16,500 req/s over three repeats.
  const [, , rps, range, , , , , , , cpu, , , repeats] = row(md, 'epoll-pool', 64);
  assert.equal(rps, '15,000');
  // 14,250–16,500 is 15% of the median: wider than the 10% a point's repeats may spread.
  assert.equal(range, '14,250–16,500!');
  assert.equal(cpu, '63', 'CPU µs/req median of 60, 63 and 66');
  assert.equal(repeats, '3/3');
});

test('markdown marks a req/s range wider than 10% of the median with ! and names the point under the table', async () => {
  const results = buildResults();
  // epoll-pool at 64 connections made tight: 14,900–15,100 is 1.3% of the median.
  for (const p of results.points)
    if (p.server === 'epoll-pool' && p.params.connections === 64) p.rps = [14_900, 15_000, 15_100][p.repeat]!;
  const md = await readFile(join((await runReporter('markdown', results)).outDir, 'results.md'), 'utf8');
  assert.equal(row(md, 'epoll-pool', 64)[3], '14,900–15,100', 'a tight range carries no mark');
  assert.equal(row(md, 'epoll-pool', 8)[3], '11,400–13,200!');
  assert.match(
    md,
    /^- ! epoll-pool\/undici\/c8: the 3 repeats' req\/s spread 11,400–13,200, 15% of the median \(more than 10%\)/m,
  );
  assert.doesNotMatch(md, /epoll-pool\/undici\/c64: the 3 repeats/, 'no note for the tight point');
  assert.match(md, /range: min–max across repeats \(!: wider than 10% of the median\)/);
});

test('markdown marks generator-bound points with a footnoted dagger', async () => {
  const md = await readFile(join((await runReporter('markdown', buildResults())).outDir, 'results.md'), 'utf8');
  assert.equal(row(md, 'epoll', 512)[2], '24,000 †');
  assert.equal(row(md, 'epoll', 64)[2], '26,000', 'no dagger where no repeat was generator-bound');
  assert.match(md, /^- † generator-bound: the load generator, not the server, was the bottleneck/m);
});

test('markdown notes starvation, failures and leaves failed repeats out of the median', async () => {
  const md = await readFile(join((await runReporter('markdown', buildResults())).outDir, 'results.md'), 'utf8');
  const basic512 = row(md, 'basic', 512);
  assert.equal(basic512[2], '2,925', 'median of the two repeats that ran (2,850 and 3,000)');
  assert.equal(basic512[12], '508/512', 'starved connections');
  assert.equal(basic512[13], '2/3', 'one repeat of three failed');
  assert.ok(md.includes(`${FAILED_ID}: failed: server "basic" exited with code 1`));
  assert.match(md, /\*\*Environment:\*\* linux 6\.1\.0 x64 · Test CPU @ 2\.0GHz × 2 ·/);
  assert.equal(
    md.split('\n').filter((l) => l.startsWith('| server | connections | req/s |')).length,
    1,
    'one sweep, one table',
  );
});

test('markdown shows a column for each swept parameter, in one table', async () => {
  const results = buildResults();
  results.plan.sweep.push({ key: 'work', values: ['none', 'cpu:100'] });
  for (const [i, p] of results.points.entries()) p.params.work = i % 2 === 0 ? 'none' : 'cpu:100';
  const md = await readFile(join((await runReporter('markdown', results)).outDir, 'results.md'), 'utf8');
  assert.match(md, /^\| server \| connections \| handler work \| req\/s \|/m);
  assert.match(md, /^\| epoll \| 64 \| none \| [\d,]+ \|/m);
  assert.match(md, /^\| epoll \| 64 \| cpu:100 \| [\d,]+ \|/m);
  assert.equal(md.match(/^\| server \| connections \| handler work \| req\/s \|/gm)?.length, 1, 'one results table');
});

test('markdown leaves out what does not apply: ranges of single repeats, the generator-bound note', async () => {
  const results = buildResults();
  results.points = results.points.filter((p) => p.repeat === 0);
  for (const p of results.points) p.loadStats.generatorBound = false;
  const md = await readFile(join((await runReporter('markdown', results)).outDir, 'results.md'), 'utf8');
  assert.doesNotMatch(md, /range|†|generator-bound/);
  assert.match(
    md,
    /^\| server \| connections \| req\/s \| transfer \| p50 \| p75 \| p95 \| p99 \| CPU µs\/req \| errors \| starved \| repeats \|$/m,
  );
});

test('markdown and html show the transfer rate beside req/s, the median of the repeats, as the console does', async () => {
  const results = buildResults();
  for (const p of results.points)
    if (p.server === 'epoll-pool' && p.params.connections === 64) p.bytesPerSec = [1, 3, 2][p.repeat]! * 2 ** 20;
  const run = await runReporter('markdown', results);
  const md = await readFile(join(run.outDir, 'results.md'), 'utf8');
  assert.match(md, /^\| server \| connections \| req\/s \| req\/s range \| transfer \| p50 \| p75 \| p95 \| p99 \|/m);
  assert.equal(row(md, 'epoll-pool', 64)[4], '2.00MiB/s');
  assert.match(md, /transfer: response bytes per second/, 'the legend says what it is');
  const html = await readFile(join((await runReporter('html', results)).outDir, 'report.html'), 'utf8');
  assert.match(html, /<th class="num">req\/s range<\/th><th class="num">transfer<\/th><th class="num">p75<\/th>/);
  assert.match(
    html,
    /<tr><td>epoll-pool<\/td><td class="num">64<\/td>(<td class="num">[^<]*<\/td>){2}<td class="num">2\.00MiB\/s<\/td>/,
  );
});

test('reporters print nothing with --json', async () => {
  const run = await runReporter('markdown', buildResults(), {}, { json: true });
  assert.equal(run.stdout, '');
  assert.ok((await readFile(join(run.outDir, 'results.md'), 'utf8')).length > 0);
});

test('markdown shows p50, the median of the repeats; the html results table leaves it out (too wide at 1280 px)', async () => {
  const results = buildResults();
  for (const p of results.points)
    if (p.server === 'epoll-pool' && p.params.connections === 64) p.latencyUs.p50 = [1000, 3000, 2000][p.repeat]!;
  const md = await readFile(join((await runReporter('markdown', results)).outDir, 'results.md'), 'utf8');
  assert.equal(row(md, 'epoll-pool', 64)[5], '2.00ms');
  const html = await readFile(join((await runReporter('html', results)).outDir, 'report.html'), 'utf8');
  const [resultsTable, everyPoint] = html.split('<h2>Every point</h2>');
  assert.doesNotMatch(resultsTable!, /<th class="num">p50<\/th>/);
  assert.match(everyPoint!, /<th class="num">req\/s<\/th><th class="num">p50<\/th>/, 'every point shows p50');
});
