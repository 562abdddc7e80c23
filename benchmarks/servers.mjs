#!/usr/bin/env node
// Issue 3's speed check: 64 connections, server pinned to one core and the generator to the other,
// against nginx (one worker, `return 200`) and Node's http server measured in the same sitting; RUNS
// runs interleaved across servers, medians; prints req/s, server CPU µs per request and the ratios
// against the targets. The generator is wrk -t1, or iobench's native one with BENCH_LOAD=native
// (it outruns wrk -t1 here, so it measures the servers' own limit).
// Usage: npm run build && node benchmarks/servers.mjs [label ...]
// Environment: BENCH_RUNS (3), BENCH_SECONDS (5), BENCH_SERVER_CPU (0), BENCH_LOAD_CPU (1), BENCH_LOAD (wrk).
//
// `node benchmarks/servers.mjs uring` (issue 22) instead: the io-uring and epoll servers under the
// native generator (`iobench run -s S -l native --server-cpus --load-cpus`) at BENCH_CONNECTIONS
// (64,1000,10000), RUNS interleaved, medians of the server's CPU per request with its breakdown
// (user, sys, softirq on its CPU, syscalls, switches) and io-uring / epoll against <= 0.85x.
import {
  CONNECTION_COUNTS,
  formatCost,
  iobenchPoint,
  LOAD_CPU,
  measureWithNative,
  measureWithWrk,
  median,
  medianOf,
  RUNS,
  requestCost,
  runWrk,
  SECONDS,
  SERVER_CPU,
  startIobenchServer,
  startNginx,
  verdict,
} from './lib.mjs';

if (process.argv[2] === 'uring') {
  await uringAgainstEpoll();
  process.exit(0);
}

const LOAD = process.env.BENCH_LOAD ?? 'wrk';
const measure = LOAD === 'native' ? measureWithNative : (server) => measureWithWrk(server, {});

const subjects = [
  { label: 'nginx', start: startNginx },
  { label: 'node', start: () => startIobenchServer('node') },
  { label: 'select', start: () => startIobenchServer('select') },
  { label: 'poll', start: () => startIobenchServer('poll') },
  { label: 'epoll', start: () => startIobenchServer('epoll') },
  { label: 'epoll-pool', start: () => startIobenchServer('epoll-pool') },
  { label: 'epoll-thread', start: () => startIobenchServer('epoll-thread') },
  { label: 'io-uring', start: () => startIobenchServer('io-uring') },
  { label: 'epoll loops:2', start: () => startIobenchServer('epoll', { loops: 2 }) },
  { label: 'io-uring loops:2', start: () => startIobenchServer('io-uring', { loops: 2 }) },
  { label: 'epoll wait:1000', start: () => startIobenchServer('epoll', { work: 'wait:1000' }) },
  { label: 'epoll-pool wait:1000', start: () => startIobenchServer('epoll-pool', { work: 'wait:1000' }) },
];

const only = process.argv.slice(2);
const chosen = only.length ? subjects.filter((s) => only.includes(s.label)) : subjects;
const figures = new Map(chosen.map((s) => [s.label, []]));

console.log(
  `${LOAD === 'native' ? 'iobench native' : 'wrk -t1'} -c64 ${SECONDS}s, ${RUNS} runs per server, interleaved; server on CPU ${process.env.BENCH_SERVER_CPU ?? 0}, generator on CPU ${process.env.BENCH_LOAD_CPU ?? 1}`,
);
for (let run = 0; run < RUNS; run++) {
  for (const s of chosen) {
    const server = await s.start();
    try {
      await runWrk(server.url, { seconds: 1 }); // warm-up
      const r = await measure(server);
      figures.get(s.label).push(r);
      console.log(
        `  run ${run + 1} ${s.label.padEnd(22)} ${Math.round(r.rps).toString().padStart(7)} req/s  ${r.cpuUsPerRequest.toFixed(2).padStart(7)} cpu µs/req`,
      );
    } finally {
      await server.stop();
    }
  }
}

const med = (label, key) => median(figures.get(label)?.map((r) => r[key]) ?? [Number.NaN]);
console.log('\nmedians');
for (const s of chosen) {
  console.log(
    `  ${s.label.padEnd(22)} ${Math.round(med(s.label, 'rps')).toString().padStart(7)} req/s  ${med(s.label, 'cpuUsPerRequest').toFixed(2).padStart(7)} cpu µs/req`,
  );
}

const has = (...labels) => labels.every((l) => figures.has(l));
console.log('\nratios (targets from issue 3)');
for (const m of ['select', 'poll', 'epoll']) {
  if (!has(m, 'nginx')) continue;
  console.log(`  ${m} / nginx req/s:          ${verdict(med(m, 'rps') / med('nginx', 'rps'), 0.95)}`);
  console.log(
    `  ${m} / nginx cpu µs/req:     ${verdict(med(m, 'cpuUsPerRequest') / med('nginx', 'cpuUsPerRequest'), 1.2, '<=')}`,
  );
}
if (has('epoll', 'node'))
  console.log(`  epoll / node req/s:           ${verdict(med('epoll', 'rps') / med('node', 'rps'), 2.5)}`);
if (has('epoll wait:1000', 'epoll-pool wait:1000')) {
  console.log(
    `  epoll-pool / epoll, wait:1000: ${verdict(med('epoll-pool wait:1000', 'rps') / med('epoll wait:1000', 'rps'), 8)}`,
  );
}
if (has('epoll', 'epoll-pool'))
  console.log(`  epoll-pool / epoll, no work:   ${verdict(med('epoll-pool', 'rps') / med('epoll', 'rps'), 0.5)}`);
// Issue 13: io_uring against epoll on one core; one loop per core against one loop.
if (has('io-uring', 'epoll')) {
  console.log(`  io-uring / epoll req/s:        ${(med('io-uring', 'rps') / med('epoll', 'rps')).toFixed(2)}x`);
  console.log(
    `  io-uring / epoll cpu µs/req:   ${(med('io-uring', 'cpuUsPerRequest') / med('epoll', 'cpuUsPerRequest')).toFixed(2)}x`,
  );
}
for (const m of ['epoll', 'io-uring']) {
  if (has(`${m} loops:2`, m))
    console.log(
      `  ${m} loops:2 / 1 req/s:${' '.repeat(10 - m.length)}${(med(`${m} loops:2`, 'rps') / med(m, 'rps')).toFixed(2)}x`,
    );
}
if (has('epoll-thread', 'epoll-pool'))
  console.log(
    `  epoll-thread / epoll-pool req/s: ${(med('epoll-thread', 'rps') / med('epoll-pool', 'rps')).toFixed(2)}x`,
  );

/** Issue 22's second table: io-uring vs epoll servers, what a request costs each, at every count. */
async function uringAgainstEpoll() {
  const servers = ['epoll', 'io-uring'];
  const samples = new Map();
  console.log(
    `io-uring vs epoll servers under iobench native: server CPU ${SERVER_CPU}, generator CPU ${LOAD_CPU}, ${SECONDS}s, ${RUNS} runs interleaved, at ${CONNECTION_COUNTS.join(', ')} connections`,
  );
  for (let run = 0; run < RUNS; run++) {
    for (const connections of CONNECTION_COUNTS) {
      for (const server of servers) {
        const point = await iobenchPoint([
          '--server',
          server,
          '--load',
          'native',
          '--connections',
          String(connections),
          '--server-cpus',
          SERVER_CPU,
        ]);
        const cost = requestCost(point);
        const key = `${connections}\t${server}`;
        samples.set(key, [...(samples.get(key) ?? []), cost]);
        console.log(
          `  run ${run + 1} c=${connections} ${server.padEnd(9)} ${Math.round(cost.rps).toString().padStart(8)} req/s  server ${formatCost(cost.server)}${cost.generatorBound ? '  (generator-bound)' : ''}`,
        );
      }
    }
  }
  console.log('\nmedians: server CPU µs per request = user + sys (the server host), softirq on its CPU (the kernel');
  console.log('carrying its responses through loopback, charged to no process)');
  for (const connections of CONNECTION_COUNTS) {
    const m = Object.fromEntries(servers.map((s) => [s, medianOf(samples.get(`${connections}\t${s}`))]));
    console.log(`  c=${connections}`);
    for (const [server, c] of Object.entries(m))
      console.log(
        `    ${server.padEnd(9)} ${Math.round(c.rps).toString().padStart(8)} req/s  ${formatCost(c.server)}${c.generatorBound ? '  (generator-bound: compare CPU per request)' : ''}`,
      );
    const [epoll, uring] = [m.epoll.server, m['io-uring'].server];
    console.log(`    io-uring / epoll CPU/req:      ${verdict(uring.cpu / epoll.cpu, 0.85, '<=')}`);
    console.log(
      `      with softirq on its CPU:     ${((uring.cpu + uring.softirq) / (epoll.cpu + epoll.softirq)).toFixed(2)}x; user ${(uring.user / epoll.user).toFixed(2)}x, sys ${(uring.sys / epoll.sys).toFixed(2)}x`,
    );
  }
}
