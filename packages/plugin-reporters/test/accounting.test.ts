import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, test } from 'node:test';
import type { ResultsFile } from '@iobench/core';
import { makePoint, makeResults } from '@iobench/core/testing';
import { sortSyscalls } from '../src/model/accounting.js';
import { addProfiles, STRACED_ID } from './support/profile-fixture.js';
import { buildResults } from './support/results-fixture.js';
import { removeOutDirs, runReporter, tempOutDir } from './support/run-reporter.js';

after(removeOutDirs);

async function render(reporter: string, file: string): Promise<string> {
  const outDir = await tempOutDir();
  const results = await addProfiles(buildResults(), outDir);
  await runReporter(reporter, results, {}, { outDir });
  return readFile(join(outDir, file), 'utf8');
}

/** The markdown table that follows `heading`, as rows of cells (header first, the alignment row dropped). */
function tableAfter(md: string, heading: string): string[][] {
  const lines = md.split('\n');
  const start = lines.indexOf(heading);
  assert.ok(start !== -1, `"${heading}" in:\n${md}`);
  const first = lines.findIndex((l, i) => i > start && l.startsWith('|'));
  const rows: string[][] = [];
  for (let i = first; i < lines.length && lines[i]!.startsWith('|'); i++)
    rows.push(lines[i]!.split(' | ').map((c) => c.replace(/^\| |\s*\|$/g, '').trim()));
  return rows.filter((_, i) => i !== 1);
}

test('markdown has a per-request accounting table with a column per syscall any server made', async () => {
  const md = await render('markdown', 'results.md');
  const [header, ...rows] = tableAfter(md, '#### Accounting per request');
  assert.deepEqual(header, [
    'server',
    'connections',
    'CPU µs',
    'user µs',
    'system µs',
    'vol. switches',
    'invol. switches',
    'syscalls',
    'accept4',
    'recv',
    'send',
    'close',
    'epoll\\_ctl',
    'epoll\\_wait',
  ]);
  const row = (server: string, c: number) =>
    Object.fromEntries(header!.map((h, i) => [h, rows.find((r) => r[0] === server && r[1] === String(c))![i]]));
  // epoll-pool at 64: CPU 60, 63, 66 µs/req over the repeats; 40% user.
  assert.deepEqual(
    {
      cpu: row('epoll-pool', 64)['CPU µs'],
      user: row('epoll-pool', 64)['user µs'],
      system: row('epoll-pool', 64)['system µs'],
    },
    { cpu: '63.0', user: '25.2', system: '37.8' },
  );
  assert.equal(row('basic', 8)['vol. switches'], '0.50');
  // The I/O models side by side: accept per request only for the blocking server, a wait per batch for epoll.
  assert.deepEqual([row('basic', 64).accept4, row('epoll', 64).accept4], ['1.00', '0']);
  assert.deepEqual(
    [row('basic', 64)['epoll\\_wait'], row('epoll', 64)['epoll\\_wait'], row('epoll-pool', 64)['epoll\\_wait']],
    ['0', '0.50', '0.25'],
  );
  assert.equal(row('epoll', 64)['epoll\\_ctl'], '0.001', 'a rare syscall does not read as 0');
  assert.equal(row('basic', 64).syscalls, '4.00');
  // basic at 512 had a failed repeat: the medians come from the two that ran (40 and 42).
  assert.equal(row('basic', 512)['CPU µs'], '41.0');
});

test('markdown puts strace calls per request beside the counters when a point has them', async () => {
  const md = await render('markdown', 'results.md');
  const [header, ...rows] = tableAfter(md, '**strace -c calls per request**');
  assert.deepEqual(
    header,
    ['server', 'connections', 'recvfrom', 'sendto', 'epoll\\_wait', 'futex'],
    "in the counters' order, then by name",
  );
  assert.deepEqual(
    rows,
    [['epoll', '64', '1.00', '1.00', '0.50', '0.01']],
    `only the row of ${STRACED_ID}, the one point traced`,
  );
});

test('html has the accounting table', async () => {
  const html = await render('html', 'report.html');
  assert.ok(html.includes('<h2>Accounting per request</h2>'));
  assert.match(
    html,
    /<th>server<\/th><th class="num">connections<\/th><th class="num">CPU µs<\/th><th class="num">user µs<\/th><th class="num">system µs<\/th><th class="num">vol\. switches<\/th><th class="num">invol\. switches<\/th><th class="num">syscalls<\/th><th class="num">accept4<\/th>/,
  );
  assert.match(
    html,
    /<tr><td>epoll<\/td><td class="num">64<\/td>(<td class="num">[^<]*<\/td>){6}<td class="num">0<\/td><td class="num">1\.00<\/td><td class="num">1\.00<\/td><td class="num">0<\/td><td class="num">0\.001<\/td><td class="num">0\.50<\/td><\/tr>/,
  );
  assert.ok(html.includes('<h3>strace -c calls per request</h3>'));
});

test('markdown sets server and generator side by side, "-" for what a point did not measure', async () => {
  const md = await render('markdown', 'results.md');
  const [header, ...rows] = tableAfter(md, "**Where a request's CPU goes, server and generator**");
  assert.deepEqual(header, [
    'server',
    'connections',
    'load',
    'server user µs',
    'server sys µs',
    'server softirq µs',
    'server syscalls',
    'server switches',
    'generator user µs',
    'generator sys µs',
    'generator softirq µs',
    'generator syscalls',
    'generator switches',
    'softirq µs, machine',
  ]);
  const row = rows.find((r) => r[0] === 'epoll-pool' && r[1] === '64')!;
  // The server's figures are the accounting table's; these fixture points predate the generator's
  // split and /proc/stat's softirq, so those read "-".
  assert.deepEqual(row.slice(2, 6), ['undici', '25.2', '37.8', '-']);
  assert.deepEqual(row.slice(8), ['-', '-', '-', '-', '-', '-']);
});

/**
 * A `--target` run: iobench did not start the server, so there are no server figures; the native
 * generator's are measured (1,000 requests: 8 ms user, 12 ms system, 600 switches, 2,250 syscalls)
 * and softirq machine-wide only (per-side figures need the server pinned).
 */
function targetRun(): ResultsFile {
  const point = makePoint({
    server: 'target',
    load: 'native',
    latencyUs: [[200, 1000]],
    loadStats: {
      cpuUs: 20_000,
      cpuUsPerRequest: 20,
      generatorBound: false,
      userCpuUs: 8000,
      systemCpuUs: 12_000,
      userCpuUsPerRequest: 8,
      systemCpuUsPerRequest: 12,
      voluntaryCtxSwitches: 500,
      involuntaryCtxSwitches: 100,
      voluntaryCtxSwitchesPerRequest: 0.5,
      involuntaryCtxSwitchesPerRequest: 0.1,
      syscalls: { recv: 1000, send: 1000, epoll_wait: 250 },
      syscallsPerRequest: { recv: 1, send: 1, epoll_wait: 0.25 },
    },
    interruptTime: {
      attribution: 'machine',
      softirqUs: 3000,
      irqUs: 0,
      softirqUsPerRequest: 3,
      irqUsPerRequest: 0,
      perCpu: [{ cpu: 0, softirqUs: 3000, irqUs: 0 }],
    },
  });
  return makeResults([point], { plan: { servers: [], target: 'http://127.0.0.1:8080/' } });
}

const GENERATOR_ONLY =
  "Where a request's CPU goes, generator only (no server figures: iobench did not start the server)";

test('a --target run shows the generator side alone, labelled so, and no server table', async () => {
  const md = await readFile(join((await runReporter('markdown', targetRun())).outDir, 'results.md'), 'utf8');
  const [header, ...rows] = tableAfter(md, `**${GENERATOR_ONLY}**`);
  assert.deepEqual(header, [
    'server',
    'load',
    'generator user µs',
    'generator sys µs',
    'generator syscalls',
    'generator switches',
    'softirq µs, machine',
  ]);
  assert.deepEqual(rows, [['target', 'native', '8.00', '12.0', '2.25', '0.60', '3.00']]);
  assert.doesNotMatch(md, /server user µs|vol\. switches/, 'no server columns, no server counters table');
  assert.match(md, /Generator: user and system CPU µs/);
  assert.doesNotMatch(md, /servers' own counters/, 'the note explains only the columns shown');

  const html = await readFile(join((await runReporter('html', targetRun())).outDir, 'report.html'), 'utf8');
  assert.ok(html.includes(`<h3>${GENERATOR_ONLY.replace("'", '&#39;')}</h3>`), 'the html report has it too');
});

test('csv has per-request columns for CPU split, context switches, each syscall, strace and the profile files', async () => {
  const csv = await render('csv', 'results.csv');
  const [header, ...lines] = csv
    .trim()
    .split('\r\n')
    .map((l) => l.split(','));
  const row = (id: string) => Object.fromEntries(header!.map((h, i) => [h, lines.find((l) => l[0] === id)![i]]));
  const basic = row('basic/undici/c64/r0');
  assert.equal(basic['syscalls.accept4'], '1');
  assert.equal(basic['syscalls.epoll_wait'], '0', 'a counted server that never called it');
  assert.equal(basic.voluntaryCtxSwitchesPerRequest, '0.5');
  assert.equal(basic.perfFolded, 'profiles/basic-undici-c64-r0.folded');
  assert.equal(basic.perfSamples, '100');
  assert.equal(Number(basic.userCpuUsPerRequest), 16);
  const traced = row(STRACED_ID);
  assert.equal(traced['strace.epoll_wait'], '0.5');
  assert.equal(basic['strace.epoll_wait'], '', 'empty where strace did not run');
});

test('io_uring_enter gets a column beside the readiness waits, after the per-request path it replaces', () => {
  assert.deepEqual(
    sortSyscalls(['io_uring_enter', 'epoll_wait', 'close', 'recv', 'io_uring_setup', 'accept4', 'mmap', 'zz_other']),
    ['io_uring_setup', 'mmap', 'accept4', 'recv', 'close', 'epoll_wait', 'io_uring_enter', 'zz_other'],
  );
});
