#!/usr/bin/env node
// The load generators measured against each other and against wrk, all in one sitting (issue 9):
//   1. ceiling against nginx (one worker on CPU 0, generators on CPU 1, c=64, keep-alive):
//      native 1 and 2 threads, undici, autocannon, wrk -t1, and `iobench run --load wrk`;
//   2. a connection per request: iobench's `basic` server, native vs wrk -t1;
//   3. p50 agreement at c=16, native vs wrk, against nginx and two server-bound subjects;
//   4. `iobench run --target URL --load wrk` vs wrk by hand on every kind of server, threaded too;
//   5. native's memory at 10,000 connections; 6. native's open model at 5,000 req/s;
//   7. `uring` (issue 22): native on epoll, native on io_uring (`--load-opt engine=io_uring`) and
//      wrk -t1 (through `iobench run --load wrk`, which reads wrk's own getrusage) against nginx at
//      BENCH_CONNECTIONS (64,1000,10000): req/s and the generator's CPU per request with its
//      user/sys/softirq breakdown, and native-io_uring / wrk against the targets (>= 1.2x req/s,
//      <= 0.8x CPU per request). Not in the default set: `node benchmarks/generators.mjs uring`.
// Runs alternate between generators so that drift on a shared machine hits all of them alike.
// Usage: npm run build && node benchmarks/generators.mjs [section ...]
// Sections: ceiling close p50 wrapped memory open (the default set), uring.
// Environment: BENCH_RUNS (3), BENCH_SECONDS (5), BENCH_SERVER_CPU (0), BENCH_LOAD_CPU (1), BENCH_CONNECTIONS.
import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import {
  CONNECTION_COUNTS,
  formatCost,
  iobenchPoint,
  LOAD_CPU,
  median,
  medianOf,
  RUNS,
  requestCost,
  runWrk,
  SECONDS,
  SERVER_CPU,
  sleep,
  startIobenchServer,
  startNginx,
  verdict,
} from './lib.mjs';

const execFileAsync = promisify(execFile);
const AUTOCANNON = fileURLToPath(new URL('./run-autocannon.mjs', import.meta.url));
const MEMORY = fileURLToPath(new URL('./native-memory.mjs', import.meta.url));
const sections = new Set(process.argv.slice(2));
/** Sections that run only when named: they take long (three connection counts up to 10,000). */
const ON_REQUEST = new Set(['uring']);
const want = (name) => (sections.size === 0 ? !ON_REQUEST.has(name) : sections.has(name));

/** `iobench run --target URL` with the given flags, generator on LOAD_CPU; returns the point. */
function iobenchRun(url, flags, seconds = SECONDS) {
  return iobenchPoint(['--target', url, ...flags], { seconds });
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
  return {
    url: `http://127.0.0.1:${port}/`,
    stop: async () => {
      child.kill();
      rmSync(dir, { recursive: true, force: true });
    },
  };
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

if (want('uring')) {
  // One nginx for the sitting, sized for the largest count; each measurement opens its connections
  // afresh (warm-up, then the measured phase). nginx's CPU is read around each run from /proc: a
  // generator can only be 1.2x wrk where nginx has headroom, and its busy share of a core says so.
  const nginx = await startNginx({ workerConnections: Math.max(...CONNECTION_COUNTS) + 100 });
  const generators = {
    'native epoll': ['--load', 'native', '--load-opt', 'engine=epoll'],
    'native io_uring': ['--load', 'native', '--load-opt', 'engine=io_uring'],
    'wrk -t1': ['--load', 'wrk'],
  };
  const samples = new Map();
  console.log(
    `\n7. generators against nginx (one worker, CPU ${SERVER_CPU}; generator CPU ${LOAD_CPU}), ${SECONDS}s, ${RUNS} runs interleaved, at ${CONNECTION_COUNTS.join(', ')} connections`,
  );
  try {
    for (let run = 0; run < RUNS; run++) {
      for (const connections of CONNECTION_COUNTS) {
        for (const [name, flags] of Object.entries(generators)) {
          const nginx0 = nginx.cpuUs();
          const wall0 = performance.now();
          const point = await iobenchRun(nginx.url, [...flags, '--connections', String(connections)]);
          const cost = {
            ...requestCost(point),
            // Over the whole run, start-up and warm-up included: a lower bound on its share while measured.
            nginxCores: (nginx.cpuUs() - nginx0) / ((performance.now() - wall0) * 1000),
          };
          const key = `${connections}\t${name}`;
          samples.set(key, [...(samples.get(key) ?? []), cost]);
          console.log(
            `  run ${run + 1} c=${connections} ${name.padEnd(16)} ${fmt(cost.rps).padStart(8)} req/s  generator ${formatCost(cost.generator)}${bound(point)}`,
          );
        }
      }
    }
  } finally {
    await nginx.stop();
  }
  console.log('\n  medians: generator CPU µs per request = user + sys (the process), softirq on its CPU (the kernel');
  console.log(
    '  carrying its sends through loopback, charged to no process); nginx: busy share of its core over the run',
  );
  for (const connections of CONNECTION_COUNTS) {
    const m = Object.fromEntries(
      Object.keys(generators).map((name) => [name, medianOf(samples.get(`${connections}\t${name}`))]),
    );
    console.log(`  c=${connections}`);
    for (const [name, c] of Object.entries(m)) {
      console.log(
        `    ${name.padEnd(16)} ${fmt(c.rps).padStart(8)} req/s  ${formatCost(c.generator)}  | nginx ${c.nginxCores.toFixed(2)} core${c.generatorBound ? ' | generator-bound' : ''}`,
      );
    }
    const uring = m['native io_uring'];
    const epoll = m['native epoll'];
    const wrk = m['wrk -t1'];
    const withSoftirq = (c) => c.generator.cpu + c.generator.softirq;
    console.log(`    native io_uring / wrk req/s:        ${verdict(uring.rps / wrk.rps, 1.2)}`);
    console.log(
      `    native io_uring / wrk CPU/req:      ${verdict(uring.generator.cpu / wrk.generator.cpu, 0.8, '<=')}`,
    );
    console.log(`      with softirq on its CPU:          ${(withSoftirq(uring) / withSoftirq(wrk)).toFixed(2)}x`);
    console.log(
      `    native epoll / wrk req/s, CPU/req:  ${(epoll.rps / wrk.rps).toFixed(2)}x, ${(epoll.generator.cpu / wrk.generator.cpu).toFixed(2)}x (no regression: the epoll engine's numbers of the same sitting)`,
    );
  }
}
