#!/usr/bin/env node
// Issue 4's checks of the load generators, all in one sitting against nginx (one worker, pinned to
// CPU 0; generators on CPU 1): the generator ceiling (undici 1 thread vs autocannon vs wrk -t1),
// the cost of wrapping wrk, undici/wrk agreement on p50, and the open model's achieved rate.
// Usage: npm run build && node benchmarks/generators.mjs   (BENCH_RUNS, BENCH_SECONDS as in lib.mjs)
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { LOAD_CPU, median, RUNS, runWrk, SECONDS, startIobenchServer, startNginx, verdict } from './lib.mjs';

const execFileAsync = promisify(execFile);
const BIN = fileURLToPath(new URL('../bin/iobench', import.meta.url));
const AUTOCANNON = fileURLToPath(new URL('./run-autocannon.mjs', import.meta.url));

/** `iobench run --target URL` with the given flags; returns the point. */
async function iobenchRun(url, flags) {
  const args = [
    BIN,
    'run',
    '--target',
    url,
    '--duration',
    `${SECONDS}s`,
    '--warmup',
    '1s',
    '--load-cpus',
    LOAD_CPU,
    '--json',
    '--out',
    `/tmp/iobench-bench-${process.pid}`,
    ...flags,
  ];
  const { stdout } = await execFileAsync(process.execPath, args, {
    maxBuffer: 64 << 20,
    timeout: (SECONDS + 60) * 1000,
  });
  return JSON.parse(stdout).points[0];
}

async function autocannon(url, connections) {
  const { stdout } = await execFileAsync(
    'taskset',
    ['-c', LOAD_CPU, process.execPath, AUTOCANNON, url, String(connections), String(SECONDS)],
    {
      timeout: (SECONDS + 30) * 1000,
    },
  );
  return JSON.parse(stdout);
}

const series = { undici: [], autocannon: [], wrk: [], wrapped: [] };
const nginx = await startNginx();
try {
  console.log(`against nginx ${nginx.url}: c=64, ${SECONDS}s, ${RUNS} runs, generators on CPU ${LOAD_CPU}`);
  for (let run = 0; run < RUNS; run++) {
    const u = await iobenchRun(nginx.url, ['--load', 'undici', '--connections', '64']);
    const a = await autocannon(nginx.url, 64);
    const w = await runWrk(nginx.url, { connections: 64 });
    const ww = await iobenchRun(nginx.url, ['--load', 'wrk', '--connections', '64']);
    series.undici.push(u.rps);
    series.autocannon.push(a.rps);
    series.wrk.push(w.rps);
    series.wrapped.push(ww.rps);
    console.log(
      `  run ${run + 1}: undici ${Math.round(u.rps)}  autocannon ${Math.round(a.rps)}  wrk ${Math.round(w.rps)}  iobench --load wrk ${Math.round(ww.rps)} req/s`,
    );
  }
  const m = Object.fromEntries(Object.entries(series).map(([k, v]) => [k, median(v)]));
  console.log('\ngenerator ceiling (medians)');
  console.log(`  undici / autocannon:          ${verdict(m.undici / m.autocannon, 1.3)}`);
  console.log(`  undici / wrk -t1:             ${verdict(m.undici / m.wrk, 0.5)}`);
  console.log(`  iobench --load wrk / wrk:     ${verdict(m.wrapped / m.wrk, 0.97)}`);

  console.log('\nopen model: --rate 5000 against nginx');
  const open = await iobenchRun(nginx.url, ['--load', 'undici', '--connections', '32', '--rate', '5000']);
  const achieved = open.schedule?.achievedRate ?? open.rps;
  console.log(
    `  achieved ${achieved.toFixed(1)} req/s of 5000 (${(((achieved - 5000) / 5000) * 100).toFixed(2)}%), late ${open.schedule?.lateSends}, dropped ${open.schedule?.droppedSends}`,
  );
} finally {
  await nginx.stop();
}

// Agreement: a server slow enough that neither generator saturates (node http, 16 connections).
const server = await startIobenchServer('node');
try {
  const p50 = { undici: [], wrk: [] };
  const bound = [];
  for (let run = 0; run < RUNS; run++) {
    const u = await iobenchRun(server.url, ['--load', 'undici', '--connections', '16']);
    const w = await iobenchRun(server.url, ['--load', 'wrk', '--connections', '16']);
    p50.undici.push(u.latencyUs.p50);
    p50.wrk.push(w.latencyUs.p50);
    bound.push(u.loadStats.generatorBound || w.loadStats.generatorBound);
  }
  const ratio = median(p50.undici) / median(p50.wrk);
  console.log('\nagreement on node http, c=16');
  console.log(
    `  p50 undici ${median(p50.undici)} µs, wrk ${median(p50.wrk)} µs: ratio ${ratio.toFixed(2)} (target within 0.8..1.2: ${ratio >= 0.8 && ratio <= 1.2 ? 'met' : 'NOT met'})${bound.some(Boolean) ? ' — a generator was flagged generator-bound' : ''}`,
  );
} finally {
  await server.stop();
}
