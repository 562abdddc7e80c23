// Shared pieces of the benchmarks: anchors (nginx), wrk runs, pinning, CPU accounting, medians.
// Benchmarks measure; they never assert. Every figure is compared with an anchor measured in the
// same sitting, because this machine is shared and noisy.
import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { createRegistry } from '@iobench/builtins';
import { expandCpuList } from '@iobench/core';
import { ServerProcess } from '@iobench/engine/run';
import { pinProcess } from '@iobench/placement';

const execFileAsync = promisify(execFile);
const CLK_TCK = 100; // USER_HZ on Linux x86-64

export const SERVER_CPU = process.env.BENCH_SERVER_CPU ?? '0';
export const LOAD_CPU = process.env.BENCH_LOAD_CPU ?? '1';
export const RUNS = Number(process.env.BENCH_RUNS ?? 3);
export const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
/** Connection counts of the per-request breakdown sections (issue 22). */
export const CONNECTION_COUNTS = (process.env.BENCH_CONNECTIONS ?? '64,1000,10000').split(',').map(Number);
const BIN = new URL('../bin/iobench', import.meta.url).pathname;

export function median(values) {
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** CPU time (user+system, all threads) of a process, in microseconds, from /proc/<pid>/stat. */
export function procCpuUs(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(f[11]) + Number(f[12])) * 1e6) / CLK_TCK;
}

/**
 * Starts nginx with one worker answering `return 200` on a free port, pinned to SERVER_CPU. It needs
 * a descriptor per connection (no upstreams), so its limit stays under a 20,000 hard limit at 10,000.
 */
export async function startNginx({ workerConnections = 4096 } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'iobench-nginx-'));
  const port = 20000 + Math.floor(Math.random() * 20000);
  writeFileSync(
    join(dir, 'nginx.conf'),
    `worker_processes 1;
worker_rlimit_nofile ${workerConnections + 100};
daemon off;
master_process on;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log;
events { worker_connections ${workerConnections}; }
http {
  access_log off;
  client_body_temp_path ${dir}; proxy_temp_path ${dir}; fastcgi_temp_path ${dir}; uwsgi_temp_path ${dir}; scgi_temp_path ${dir};
  keepalive_requests 10000000;
  server { listen 127.0.0.1:${port}; location / { return 200 'Hello, world!'; } }
}
`,
  );
  const child = spawn('taskset', ['-c', SERVER_CPU, 'nginx', '-p', dir, '-c', join(dir, 'nginx.conf')], {
    stdio: 'ignore',
  });
  for (let i = 0; i < 50; i++) {
    await sleep(100);
    try {
      const res = await fetch(`http://127.0.0.1:${port}/`);
      if (res.ok) break;
    } catch {
      // not up yet
    }
  }
  const { stdout } = await execFileAsync('pgrep', ['-P', String(child.pid), 'nginx']);
  const workerPid = Number(stdout.trim().split('\n')[0]);
  return {
    url: `http://127.0.0.1:${port}/`,
    cpuUs: () => procCpuUs(workerPid),
    stop: async () => {
      child.kill('SIGQUIT');
      await new Promise((r) => child.once('exit', r));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Starts an iobench server plugin in its host process pinned to SERVER_CPU. */
export async function startIobenchServer(name, options = {}) {
  const registry = createRegistry();
  const { plugin, moduleUrl } = await registry.resolve('server', name);
  const validated = (await plugin.options['~standard'].validate(options)).value;
  const server = await ServerProcess.start({
    moduleUrl,
    plugin: name,
    options: validated,
    pin: (pid) => pinProcess(pid, SERVER_CPU),
  });
  return {
    url: server.url,
    cpuUs: async () => {
      const { usage } = await server.snapshot();
      return usage.userCpuUs + usage.systemCpuUs;
    },
    stop: () => server.stop(),
  };
}

/** Runs `wrk -t1 -cN -dSs --latency URL` pinned to LOAD_CPU; returns req/s and p50 in µs. */
export async function runWrk(url, { connections = 64, threads = 1, seconds = SECONDS } = {}) {
  const { stdout } = await execFileAsync(
    'taskset',
    ['-c', LOAD_CPU, 'wrk', `-t${threads}`, `-c${connections}`, `-d${seconds}s`, '--latency', url],
    {
      timeout: (seconds + 30) * 1000,
    },
  );
  const rps = Number(/Requests\/sec:\s+([\d.]+)/.exec(stdout)?.[1]);
  const requests = Number(/(\d+) requests in/.exec(stdout)?.[1]);
  const p50 = parseWrkLatency(/\n\s+50%\s+([\d.]+\w+)/.exec(stdout)?.[1]);
  return { rps, requests, p50Us: p50, raw: stdout };
}

function parseWrkLatency(text) {
  if (!text) return Number.NaN;
  const m = /^([\d.]+)(us|ms|s)$/.exec(text);
  return Number(m[1]) * { us: 1, ms: 1000, s: 1e6 }[m[2]];
}

/** Measures a started server with wrk: req/s and server CPU µs per request. */
export async function measureWithWrk(server, wrkOptions) {
  const cpu0 = await server.cpuUs();
  const r = await runWrk(server.url, wrkOptions);
  const cpu1 = await server.cpuUs();
  return { ...r, cpuUsPerRequest: (cpu1 - cpu0) / r.requests };
}

/**
 * Drives a started server with iobench's `native` generator (64 connections, pinned to LOAD_CPU)
 * instead of wrk; returns req/s and server CPU µs per request like `measureWithWrk`.
 */
export async function measureWithNative(server, { connections = 64, seconds = SECONDS } = {}) {
  const cpu0 = await server.cpuUs();
  const point = await iobenchPoint(['--target', server.url, '--load', 'native', '--connections', String(connections)], {
    seconds,
    warmup: '0',
  });
  const cpu1 = await server.cpuUs();
  return { rps: point.rps, requests: point.requests, cpuUsPerRequest: (cpu1 - cpu0) / point.requests };
}

/**
 * One `iobench run` with `flags` (a --target or --server, the load, connections...), the generator
 * pinned to LOAD_CPU; returns its first point, and throws when that point did not measure. `bin`: the
 * iobench to run (another checkout's `bin/iobench`, for ab-builds.mjs), this checkout's by default.
 */
export async function iobenchPoint(flags, { seconds = SECONDS, warmup = '1s', bin = BIN } = {}) {
  const out = mkdtempSync(join(tmpdir(), 'iobench-bench-'));
  const args = [bin, 'run', '--duration', `${seconds}s`, '--warmup', warmup, '--load-cpus', LOAD_CPU];
  args.push('--json', '--force', '--out', out, ...flags);
  const { stdout } = await execFileAsync(process.execPath, args, {
    maxBuffer: 256 << 20,
    timeout: (seconds + 120) * 1000,
  }).finally(() => rmSync(out, { recursive: true, force: true }));
  const point = JSON.parse(stdout).points[0];
  if (point.status !== 'ok') throw new Error(`iobench ${flags.join(' ')}: ${point.status}: ${point.error?.message}`);
  return point;
}

/**
 * What a request cost each side of a point, in µs (NaN where not measured): CPU (user + system) and
 * its split, softirq on the side's CPUs (SERVER_CPU, LOAD_CPU; from the point's per-CPU /proc/stat
 * figures, so it works for a --target pinned by hand too), syscalls and context switches.
 */
export function requestCost(point) {
  const perCpu = point.interruptTime?.perCpu;
  const softirqOn = (cpus) => {
    if (!perCpu) return Number.NaN;
    const set = new Set(expandCpuList(cpus));
    return perCpu.filter((c) => set.has(c.cpu)).reduce((sum, c) => sum + c.softirqUs, 0) / point.requests;
  };
  const sum = (record) => (record ? Object.values(record).reduce((a, b) => a + b, 0) : Number.NaN);
  const side = (stats, cpus) => ({
    cpu: stats.cpuUsPerRequest,
    user: stats.userCpuUsPerRequest ?? Number.NaN,
    sys: stats.systemCpuUsPerRequest ?? Number.NaN,
    softirq: softirqOn(cpus),
    syscalls: sum(stats.syscallsPerRequest),
    switches:
      (stats.voluntaryCtxSwitchesPerRequest ?? Number.NaN) + (stats.involuntaryCtxSwitchesPerRequest ?? Number.NaN),
  });
  return {
    rps: point.rps,
    generatorBound: point.loadStats.generatorBound,
    generator: side(point.loadStats, LOAD_CPU),
    ...(point.serverStats ? { server: side(point.serverStats, SERVER_CPU) } : {}),
  };
}

/** Median of every number of `samples` (objects of the same shape), field by field. */
export function medianOf(samples) {
  const first = samples[0];
  if (typeof first === 'number') return median(samples);
  if (typeof first === 'boolean') return samples.some(Boolean);
  return Object.fromEntries(Object.keys(first).map((k) => [k, medianOf(samples.map((s) => s[k]))]));
}

/** A per-request cost as a table cell: `9.61 = 3.20 + 6.41, softirq 2.10, 2.27 syscalls, 0.01 switches`. */
export function formatCost(c) {
  const n = (x) => (Number.isFinite(x) ? x.toFixed(2) : '-');
  return `${n(c.cpu).padStart(6)} = ${n(c.user).padStart(5)} user + ${n(c.sys).padStart(5)} sys, softirq ${n(c.softirq).padStart(5)}, ${n(c.syscalls)} syscalls, ${n(c.switches)} switches`;
}

export function sleep(ms) {
  return new Promise((r) => setTimeout(r, ms));
}

/** Formats a ratio against its target: `1.02x (target >= 0.95x) ok`. */
export function verdict(ratio, target, direction = '>=') {
  const ok = direction === '>=' ? ratio >= target : ratio <= target;
  return `${ratio.toFixed(2)}x (target ${direction} ${target}x) ${ok ? 'met' : 'NOT met'}`;
}
