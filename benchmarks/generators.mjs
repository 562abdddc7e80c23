#!/usr/bin/env node
// The load generators measured against each other and against wrk, all in one sitting (issue 9):
//   1. ceiling against nginx (one worker on CPU 0, generators on CPU 1, c=64, keep-alive):
//      native 1 and 2 threads, undici, autocannon, wrk -t1, and `iobench run --load wrk`;
//   2. a connection per request: iobench's `basic` server, native vs wrk -t1;
//   3. p50 agreement at c=16, native vs wrk, against nginx and two server-bound subjects;
//   4. `iobench run --target URL --load wrk` vs wrk by hand on every kind of server, threaded too;
//   5. native's memory at 10,000 connections; 6. native's open model at 5,000 req/s.
// Runs alternate between generators so that drift on a shared machine hits all of them alike.
// Usage: npm run build && node benchmarks/generators.mjs [section ...]   (BENCH_RUNS, BENCH_SECONDS)
import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import {
  LOAD_CPU,
  median,
  RUNS,
  runWrk,
  SECONDS,
  SERVER_CPU,
  sleep,
  startIobenchServer,
  startNginx,
  verdict,
} from './lib.mjs';

const execFileAsync = promisify(execFile);
const BIN = fileURLToPath(new URL('../bin/iobench', import.meta.url));
const AUTOCANNON = fileURLToPath(new URL('./run-autocannon.mjs', import.meta.url));
const MEMORY = fileURLToPath(new URL('./native-memory.mjs', import.meta.url));
const sections = new Set(process.argv.slice(2));
const want = (name) => sections.size === 0 || sections.has(name);

/** `iobench run --target URL` with the given flags, generator on LOAD_CPU; returns the point. */
async function iobenchRun(url, flags, seconds = SECONDS) {
  const args = [BIN, 'run', '--target', url, '--duration', `${seconds}s`, '--warmup', '1s'];
  args.push('--load-cpus', LOAD_CPU, '--json', '--force', '--out', `/tmp/iobench-bench-${process.pid}`, ...flags);
  const { stdout } = await execFileAsync(process.execPath, args, {
    maxBuffer: 64 << 20,
    timeout: (seconds + 60) * 1000,
  });
  return JSON.parse(stdout).points[0];
}

async function autocannon(url, connections) {
  const args = ['-c', LOAD_CPU, process.execPath, AUTOCANNON, url, String(connections), String(SECONDS)];
  const { stdout } = await execFileAsync('taskset', args, { timeout: (SECONDS + 30) * 1000 });
  return JSON.parse(stdout);
}

const fmt = (n) => Math.round(n).toLocaleString('en-US');
const bound = (point) => (point.loadStats?.generatorBound ? ' (generator-bound)' : '');

/** Runs every generator of `subjects` once per round, in turn; returns medians of req/s by name. */
async function alternate(title, subjects) {
  const series = Object.fromEntries(Object.keys(subjects).map((k) => [k, []]));
  console.log(title);
  for (let run = 0; run < RUNS; run++) {
    const line = [];
    for (const [name, measure] of Object.entries(subjects)) {
      const rps = await measure();
      series[name].push(rps);
      line.push(`${name} ${fmt(rps)}`);
    }
    console.log(`  run ${run + 1}: ${line.join('  ')}`);
  }
  return Object.fromEntries(Object.entries(series).map(([k, v]) => [k, median(v)]));
}

if (want('ceiling')) {
  const nginx = await startNginx();
  try {
    const m = await alternate(`1. ceiling against nginx ${nginx.url}: c=64, ${SECONDS}s, ${RUNS} runs (req/s)`, {
      wrk: async () => (await runWrk(nginx.url, { connections: 64 })).rps,
      native: async () => (await iobenchRun(nginx.url, ['--load', 'native', '--connections', '64'])).rps,
      'native-2t': async () =>
        (await iobenchRun(nginx.url, ['--load', 'native', '--connections', '64', '--threads', '2'])).rps,
      undici: async () => (await iobenchRun(nginx.url, ['--load', 'undici', '--connections', '64'])).rps,
      autocannon: async () => (await autocannon(nginx.url, 64)).rps,
      'iobench-wrk': async () => (await iobenchRun(nginx.url, ['--load', 'wrk', '--connections', '64'])).rps,
    });
    console.log('  medians:');
    console.log(`    native / wrk -t1:             ${verdict(m.native / m.wrk, 0.9)}`);
    console.log(
      `    native 2 threads / wrk -t1:   ${(m['native-2t'] / m.wrk).toFixed(2)}x (both threads share CPU ${LOAD_CPU})`,
    );
    console.log(`    undici / autocannon:          ${(m.undici / m.autocannon).toFixed(2)}x`);
    console.log(`    undici / wrk -t1:             ${(m.undici / m.wrk).toFixed(2)}x`);
    console.log(`    iobench --load wrk / wrk:     ${verdict(m['iobench-wrk'] / m.wrk, 0.97)}`);
  } finally {
    await nginx.stop();
  }
}

if (want('close')) {
  const basic = await startIobenchServer('basic');
  try {
    const m = await alternate(`\n2. a connection per request: iobench basic server, c=64, ${SECONDS}s (req/s)`, {
      wrk: async () => (await runWrk(basic.url, { connections: 64 })).rps,
      native: async () => (await iobenchRun(basic.url, ['--load', 'native', '--connections', '64'])).rps,
      undici: async () => (await iobenchRun(basic.url, ['--load', 'undici', '--connections', '64'])).rps,
    });
    console.log(
      `  medians: native / wrk -t1 ${verdict(m.native / m.wrk, 0.8)}; undici / wrk -t1 ${(m.undici / m.wrk).toFixed(2)}x`,
    );
  } finally {
    await basic.stop();
  }
}

if (want('p50')) {
  // Against nginx both generators saturate before the server on this machine; the agreement that
  // matters is where the server is the bottleneck, so two server-bound subjects follow.
  const subjects = [
    ['nginx', () => startNginx()],
    ['iobench epoll, work cpu:50', () => startIobenchServer('epoll', { work: 'cpu:50' })],
    ['node http', () => startIobenchServer('node')],
  ];
  console.log(`\n3. p50 agreement at c=16, ${SECONDS}s, native vs wrk`);
  for (const [label, start] of subjects) {
    const server = await start();
    try {
      const p50 = { native: [], wrk: [] };
      const flags = [];
      for (let run = 0; run < RUNS; run++) {
        const n = await iobenchRun(server.url, ['--load', 'native', '--connections', '16']);
        const w = await iobenchRun(server.url, ['--load', 'wrk', '--connections', '16']);
        p50.native.push(n.latencyUs.p50);
        p50.wrk.push(w.latencyUs.p50);
        flags.push(`${bound(n)}${bound(w)}`);
        console.log(
          `  ${label} run ${run + 1}: native ${fmt(n.rps)} req/s p50 ${n.latencyUs.p50} µs${bound(n)}  wrk ${fmt(w.rps)} req/s p50 ${w.latencyUs.p50} µs${bound(w)}`,
        );
      }
      const ratio = median(p50.native) / median(p50.wrk);
      const ok = ratio >= 0.9 && ratio <= 1.1;
      console.log(
        `  ${label}: medians native ${median(p50.native)} µs, wrk ${median(p50.wrk)} µs: ${ratio.toFixed(2)}x (target within 0.9..1.1: ${ok ? 'met' : 'NOT met'})${flags.some(Boolean) ? '; a run was generator-bound' : '; neither generator-bound'}`,
      );
    } finally {
      await server.stop();
    }
  }
}

/** Python's ThreadingHTTPServer: a thread per connection, HTTP/1.0 (a connection per request). */
async function startPythonThreaded() {
  const dir = mkdtempSync(join(tmpdir(), 'iobench-py-'));
  writeFileSync(join(dir, 'index.html'), 'Hello, world!');
  const port = 20000 + Math.floor(Math.random() * 20000);
  const child = spawn(
    'taskset',
    ['-c', SERVER_CPU, 'python3', '-m', 'http.server', String(port), '--bind', '127.0.0.1'],
    {
      cwd: dir,
      stdio: 'ignore',
    },
  );
  for (let i = 0; i < 50; i++) {
    await sleep(100);
    if (
      await fetch(`http://127.0.0.1:${port}/`).then(
        (r) => r.ok,
        () => false,
      )
    )
      break;
  }
  return { url: `http://127.0.0.1:${port}/`, stop: async () => child.kill() };
}

if (want('wrapped')) {
  console.log(
    `\n4. iobench run --load wrk vs wrk by hand, same flags (-t1 -c16 ${SECONDS}s), fresh server per subject`,
  );
  const subjects = {
    nginx: startNginx,
    basic: () => startIobenchServer('basic'),
    epoll: () => startIobenchServer('epoll'),
    'epoll-pool (10 threads)': () => startIobenchServer('epoll-pool'),
    'python ThreadingHTTPServer (thread per connection)': startPythonThreaded,
  };
  for (const [name, start] of Object.entries(subjects)) {
    const server = await start();
    try {
      const m = await alternate(`  ${name}`, {
        wrk: async () => (await runWrk(server.url, { connections: 16 })).rps,
        'iobench-wrk': async () => (await iobenchRun(server.url, ['--load', 'wrk', '--connections', '16'])).rps,
      });
      console.log(`    median ratio ${verdict(m['iobench-wrk'] / m.wrk, 0.97)}`);
    } finally {
      await server.stop();
    }
  }
}

if (want('memory')) {
  const nginx = await startNginx({ workerConnections: 12_000 });
  try {
    const { stdout } = await execFileAsync('taskset', ['-c', LOAD_CPU, process.execPath, MEMORY, nginx.url, '10000'], {
      timeout: 120_000,
    });
    const r = JSON.parse(stdout);
    console.log(
      `\n5. native at 10,000 connections against nginx: ${fmt(r.requests)} requests, ${fmt(r.rps)} req/s, peak RSS ${r.peakRssMb.toFixed(1)} MB (target < 100 MB: ${r.peakRssMb < 100 ? 'met' : 'NOT met'}), RSS before the run ${r.baseRssMb.toFixed(1)} MB`,
    );
  } finally {
    await nginx.stop();
  }
}

if (want('open')) {
  const nginx = await startNginx();
  try {
    console.log('\n6. open model: --rate 5000 against nginx, c=32');
    for (const load of ['native', 'undici']) {
      const open = await iobenchRun(nginx.url, ['--load', load, '--connections', '32', '--rate', '5000']);
      const achieved = open.schedule?.achievedRate ?? open.rps;
      console.log(
        `  ${load}: achieved ${achieved.toFixed(1)} req/s of 5000 (${(((achieved - 5000) / 5000) * 100).toFixed(2)}%), late ${open.schedule?.lateSends}, dropped ${open.schedule?.droppedSends}, p99 ${open.latencyUs.p99} µs`,
      );
    }
  } finally {
    await nginx.stop();
  }
}
