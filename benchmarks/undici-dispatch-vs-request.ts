/**
 * Which undici path is fastest for a closed loop? Compares, against hello-server.mjs in its own
 * process, the plugin itself (one Client per connection, `dispatch` with a reused raw handler)
 * with the obvious alternative (one Pool, `await pool.request()` and consuming the body).
 * Runs the variants alternately and prints req/s, the generator's CPU microseconds per request (the
 * fairer figure on a busy machine, where req/s mostly measures the neighbours) and ratios to the plugin.
 *
 *   node --conditions=@iobench/source --import tsx benchmarks/undici-dispatch-vs-request.ts [connections] [seconds] [rounds]
 * Pin with taskset to keep generator and server apart, e.g. `taskset -c 0 node ...` (the server is
 * started on the other CPUs with `taskset -c 1` when taskset exists).
 */
import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import undici, { undiciOptionsSchema } from '@iobench/plugin-undici';
import { Pool } from 'undici';

const connections = Number(process.argv[2] ?? 16);
const seconds = Number(process.argv[3] ?? 3);
const rounds = Number(process.argv[4] ?? 3);

const serverScript = new URL('./hello-server.mjs', import.meta.url).pathname;
const pinned = spawnSync('taskset', ['-V']).status === 0;
const server = pinned
  ? spawn('taskset', ['-c', '1', process.execPath, serverScript])
  : spawn(process.execPath, [serverScript]);
// Never leave the server behind, even when a variant throws.
process.on('exit', () => server.kill('SIGTERM'));
const [line] = (await once(server.stdout!, 'data')) as [Buffer];
const url = line.toString().trim();

interface Sample {
  rps: number;
  cpuUsPerRequest: number;
}

/** Runs `load` (which returns requests done and seconds taken) and measures this process's CPU around it. */
async function measure(load: () => Promise<{ requests: number; seconds: number }>): Promise<Sample> {
  const cpu = process.cpuUsage();
  const { requests, seconds } = await load();
  const used = process.cpuUsage(cpu);
  return { rps: requests / seconds, cpuUsPerRequest: (used.user + used.system) / requests };
}

async function plugin(): Promise<{ requests: number; seconds: number }> {
  const result = await undici.run(
    {
      log: () => {},
      signal: new AbortController().signal,
      params: { connections, durationMs: seconds * 1000, threads: 1, pipelining: 1, timeoutMs: 10_000 },
    },
    { url },
    undiciOptionsSchema.parse({}),
  );
  return { requests: result.requests, seconds: result.durationMs / 1000 };
}

async function poolRequest(): Promise<{ requests: number; seconds: number }> {
  const pool = new Pool(url, { connections });
  const deadline = performance.now() + seconds * 1000;
  let done = 0;
  const start = performance.now();
  await Promise.all(
    Array.from({ length: connections }, async () => {
      while (performance.now() < deadline) {
        const { body } = await pool.request({ method: 'GET', path: '/' });
        await body.dump();
        done++;
      }
    }),
  );
  const taken = (performance.now() - start) / 1000;
  await pool.close();
  return { requests: done, seconds: taken };
}

const variants = { 'Client.dispatch (plugin)': plugin, 'Pool.request': poolRequest };
const samples: Record<string, Sample[]> = {};
// One unrecorded round first: JIT warm-up and lazy module loading would otherwise land on whichever
// variant runs first.
for (const run of Object.values(variants)) await run();
for (let r = 0; r < rounds; r++) {
  for (const [name, run] of Object.entries(variants)) {
    samples[name] ??= [];
    samples[name].push(await measure(run));
  }
}
server.kill('SIGTERM');
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const anchor = samples['Client.dispatch (plugin)']!;
const anchorRps = median(anchor.map((s) => s.rps));
const anchorCpu = median(anchor.map((s) => s.cpuUsPerRequest));
console.log(
  `${connections} connections, ${seconds} s x ${rounds} rounds, server ${pinned ? 'pinned to CPU 1' : 'unpinned'}`,
);
for (const [name, xs] of Object.entries(samples)) {
  const rps = median(xs.map((s) => s.rps));
  const cpu = median(xs.map((s) => s.cpuUsPerRequest));
  console.log(
    `${name.padEnd(26)} ${rps.toFixed(0).padStart(7)} req/s (x${(rps / anchorRps).toFixed(2)})  ` +
      `${cpu.toFixed(1).padStart(6)} CPU us/request (x${(cpu / anchorCpu).toFixed(2)})  ` +
      `req/s per round: ${xs.map((s) => s.rps.toFixed(0)).join(', ')}`,
  );
}
