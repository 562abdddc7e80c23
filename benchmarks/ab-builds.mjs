#!/usr/bin/env node
// Two builds of iobench measured side by side (one sitting, runs interleaved), each as a generator
// against nginx (one worker on BENCH_SERVER_CPU, the generator on BENCH_LOAD_CPU): req/s and the
// generator's CPU per request, with wrk -t1 (through `iobench run --load wrk` of the newer build) as
// the anchor. For "did this change make the generator cheaper": a build is a checkout with its own
// `npm run build` (git worktree add ../old <commit>, then build there).
// Usage: node benchmarks/ab-builds.mjs OLD_CHECKOUT [NEW_CHECKOUT=.] [-- extra iobench run flags]
// Environment: BENCH_RUNS (3), BENCH_SECONDS (5), BENCH_CONNECTIONS (first count only; default 64).
import { join, resolve } from 'node:path';
import {
  CONNECTION_COUNTS,
  formatCost,
  iobenchPoint,
  medianOf,
  RUNS,
  requestCost,
  SECONDS,
  startNginx,
} from './lib.mjs';

const argv = process.argv.slice(2);
const dash = argv.indexOf('--');
const positional = dash < 0 ? argv : argv.slice(0, dash);
const extra = dash < 0 ? ['--load-opt', 'engine=io_uring'] : argv.slice(dash + 1);
if (positional.length < 1) {
  console.error('usage: node benchmarks/ab-builds.mjs OLD_CHECKOUT [NEW_CHECKOUT] [-- iobench run flags]');
  process.exit(2);
}
const [oldTree, newTree = '.'] = positional.map((p) => resolve(p));
const connections = CONNECTION_COUNTS[0];

async function point(tree, url, flags) {
  const target = ['--target', url, '--connections', String(connections)];
  return requestCost(await iobenchPoint([...target, ...flags], { bin: join(tree, 'bin/iobench') }));
}

const nginx = await startNginx();
const subjects = [
  ['old native', oldTree, ['--load', 'native', ...extra]],
  ['new native', newTree, ['--load', 'native', ...extra]],
  ['wrk -t1', newTree, ['--load', 'wrk']],
];
const samples = new Map(subjects.map(([name]) => [name, []]));
try {
  console.log(
    `old ${oldTree}, new ${newTree}; nginx, c=${connections}, ${SECONDS}s, ${RUNS} runs interleaved; ${extra.join(' ')}`,
  );
  for (let run = 1; run <= RUNS; run++) {
    for (const [name, tree, flags] of subjects) {
      const c = await point(tree, nginx.url, flags);
      samples.get(name).push(c);
      console.log(
        `  run ${run} ${name.padEnd(11)} ${Math.round(c.rps).toLocaleString('en-US').padStart(8)} req/s  ${formatCost(c.generator)}`,
      );
    }
  }
  console.log('medians');
  const med = new Map([...samples].map(([name, list]) => [name, medianOf(list)]));
  for (const [name, m] of med)
    console.log(
      `  ${name.padEnd(11)} ${Math.round(m.rps).toLocaleString('en-US').padStart(8)} req/s  ${formatCost(m.generator)}`,
    );
  const ratio = (a, b, f) => (f(med.get(a)) / f(med.get(b))).toFixed(2);
  console.log(
    `  new/old CPU per request ${ratio('new native', 'old native', (m) => m.generator.cpu)}x, user ${ratio('new native', 'old native', (m) => m.generator.user)}x`,
  );
  console.log(
    `  new/wrk CPU per request ${ratio('new native', 'wrk -t1', (m) => m.generator.cpu)}x, old/wrk ${ratio('old native', 'wrk -t1', (m) => m.generator.cpu)}x`,
  );
} finally {
  await nginx.stop();
}
