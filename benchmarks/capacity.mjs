// The capacity search and the open model against queueing theory, and the generators' own floor.
//
//   node benchmarks/capacity.mjs [knee] [md1] [lag] [done]
//
// knee: for epoll and io-uring with `--work cpu:S` (S = 100, 200, 500 µs), the knee --find-capacity
//       finds at p99<50ms against the saturation rate 1e6 / (S + C), C being the server's own CPU
//       per request measured at `--work none`; target within ±10%.
// md1:  mean send-to-response latency under Poisson arrivals at ρ = 0.5 and 0.8 of that rate
//       against M/D/1 (Wq = ρ·s / 2(1 − ρ), s the server's CPU per request measured at the point)
//       plus the unloaded latency measured at ρ = 0.05; target within ±25%.
// lag:  the generators' own send lag (actual minus intended send time) at 1,000 / 5,000 / 20,000
//       req/s, native (its open-model default, epoll, and io_uring) and undici, against epoll with no
//       handler work; medians of BENCH_RUNS interleaved runs.
// done: the issue's command, `--server epoll,io-uring,epoll-pool --work cpu:100 --find-capacity p99<5ms`.
//
// Server on CPU BENCH_SERVER_CPU (0), generator on BENCH_LOAD_CPU (1). Benchmarks measure; they
// never assert: each line prints the figure, the prediction and the ratio.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { md1MeanLatencyUs, saturationRate } from '@iobench/core/testing';
import { LOAD_CPU, medianOf, RUNS, SERVER_CPU } from './lib.mjs';

const execFileAsync = promisify(execFile);
const BIN = new URL('../bin/iobench', import.meta.url).pathname;
const sections = process.argv.slice(2);
const want = (name) => sections.length === 0 || sections.includes(name);

/** Runs `iobench run` pinned, returns its results file. */
async function iobench(args) {
  const out = mkdtempSync(join(tmpdir(), 'iobench-bench-capacity-'));
  const all = ['run', ...args, '--server-cpus', SERVER_CPU, '--load-cpus', LOAD_CPU, '--out', out, '--force', '-q'];
  try {
    await execFileAsync(process.execPath, [BIN, ...all], { maxBuffer: 64 << 20, timeout: 30 * 60_000 });
    return JSON.parse(readFileSync(join(out, 'results.json'), 'utf8'));
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

/** The server's own CPU per request at `--work none`, closed model. */
async function ownCpuUs(server) {
  const r = await iobench(['--server', server, '--work', 'none', '--duration', '3s', '--warmup', '1s']);
  return r.points[0].serverStats.cpuUsPerRequest;
}

const pct = (x) => `${x >= 0 ? '+' : ''}${(x * 100).toFixed(1)}%`;

if (want('knee')) {
  console.log('\n## knee at p99<50ms vs 1e6/(S+C)  (target: within ±10%)\n');
  console.log('server     S µs   C µs   predicted   found (interval)            error');
  for (const server of ['epoll', 'io-uring']) {
    const c = await ownCpuUs(server);
    for (const spin of [100, 500]) {
      const predicted = saturationRate(spin + c);
      const r = await iobench([
        '--server',
        server,
        '--work',
        `cpu:${spin}`,
        '--connections',
        '256',
        '--find-capacity',
        'p99<50ms',
        '--probe-duration',
        '2s',
        '--warmup',
        '500ms',
      ]);
      const cap = r.capacity[0];
      const found = cap.rate ?? Number.NaN;
      const interval = cap.low !== undefined ? `${cap.low}–${cap.high}` : cap.outcome;
      console.log(
        `${server.padEnd(9)} ${String(spin).padStart(5)} ${c.toFixed(1).padStart(6)} ${Math.round(predicted).toString().padStart(11)}   ${`${found} (${interval})`.padEnd(26)} ${pct(found / predicted - 1)}`,
      );
    }
  }
}

if (want('md1')) {
  console.log('\n## mean send-to-response latency under Poisson arrivals vs M/D/1  (target: within ±25%)\n');
  console.log('ρ nominal: rate·(S+C); s: the server CPU µs per request measured at the point; ρ: rate·s');
  console.log(
    'server     S µs  ρ nominal   rate req/s   s µs     ρ   mean µs   M/D/1 µs   error   (corrected mean µs)',
  );
  for (const server of ['epoll', 'io-uring']) {
    const c = await ownCpuUs(server);
    for (const spin of [200, 500]) {
      const rhos = [0.05, 0.5, 0.8];
      const rates = rhos.map((rho) => Math.round(rho * saturationRate(spin + c)));
      const r = await iobench([
        '--server',
        server,
        '--work',
        `cpu:${spin}`,
        '--connections',
        '256',
        '--rate',
        rates.join(','),
        '--arrivals',
        'poisson',
        '--duration',
        '5s',
        '--warmup',
        '1s',
      ]);
      const at = r.points.map((p) => ({
        ratePerS: p.params.rate,
        serviceUs: p.serverStats.cpuUsPerRequest,
        meanUs: p.latencyUncorrectedUs.mean,
        correctedUs: p.latencyUs.mean,
      }));
      for (const [i, rho] of rhos.entries()) {
        const p = at[i];
        const predicted = i === 0 ? p.meanUs : md1MeanLatencyUs(p, at[0]);
        console.log(
          `${server.padEnd(9)} ${String(spin).padStart(5)} ${rho.toFixed(2).padStart(10)} ${String(p.ratePerS).padStart(12)} ${p.serviceUs.toFixed(0).padStart(6)} ${((p.ratePerS * p.serviceUs) / 1e6).toFixed(2).padStart(5)} ${Math.round(p.meanUs).toString().padStart(9)} ${Math.round(predicted).toString().padStart(10)}   ${(i === 0 ? '(base)' : pct(p.meanUs / predicted - 1)).padStart(6)}   (${Math.round(p.correctedUs)})`,
        );
      }
    }
  }
}

if (want('lag')) {
  console.log(
    `\n## the generators' own send lag (actual − intended send time), epoll with no handler work, medians of ${RUNS} interleaved runs\n`,
  );
  console.log(
    'load (engine)         rate req/s   lag p50   lag p99   lag p99.9    late%  latency p99 (uncorrected p99)',
  );
  // native on its default engine for the open model (epoll) and on io_uring; undici on Node's timers.
  const loads = {
    native: ['--load', 'native'],
    'native io_uring': ['--load', 'native', '--load-opt', 'engine=io_uring'],
    undici: ['--load', 'undici'],
  };
  const rates = [1000, 5000, 20000];
  const samples = new Map();
  for (let run = 0; run < RUNS; run++) {
    for (const rate of rates) {
      for (const [load, loadArgs] of Object.entries(loads)) {
        const args = ['--server', 'epoll', ...loadArgs, '--rate', String(rate), '--duration', '5s', '--warmup', '1s'];
        const p = (await iobench(args)).points[0];
        const lag = p.schedule.sendLagUs;
        const key = `${load} (${p.loadStats.ioEngine ?? '-'})|${rate}`;
        const sample = {
          p50: lag.p50,
          p99: lag.p99,
          p999: lag.p99_9,
          latePct: (100 * p.schedule.lateSends) / (p.schedule.offered ?? rate * 5),
          latencyP99: p.latencyUs.p99,
          uncorrectedP99: p.latencyUncorrectedUs.p99,
        };
        samples.set(key, [...(samples.get(key) ?? []), sample]);
      }
    }
  }
  for (const [key, runs] of [...samples].sort(([a], [b]) => a.split('|')[0].localeCompare(b.split('|')[0]))) {
    const [label, rate] = key.split('|');
    const m = medianOf(runs);
    console.log(
      `${label.padEnd(22)} ${rate.padStart(10)} ${`${m.p50}µs`.padStart(9)} ${`${m.p99}µs`.padStart(9)} ${`${m.p999}µs`.padStart(11)} ${`${m.latePct.toFixed(1)}%`.padStart(8)}  ${m.latencyP99}µs (${m.uncorrectedP99}µs)`,
    );
  }
}

if (want('done')) {
  console.log(
    "\n## the issue's command: --server epoll,io-uring,epoll-pool --work cpu:100 --find-capacity 'p99<5ms'\n",
  );
  const r = await iobench(['--server', 'epoll,io-uring,epoll-pool', '--work', 'cpu:100', '--find-capacity', 'p99<5ms']);
  for (const cap of r.capacity)
    console.log(`${cap.summary}  [${cap.probes} probes, closed-model ${cap.saturationRps} req/s]`);
}
