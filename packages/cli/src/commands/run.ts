import { builtinNames } from '@iobench/builtins';
import {
  ConfigError,
  formatDurationMs,
  IobenchError,
  type ShardRecord,
  thresholdVerdict,
  WIDE_SPREAD_PCT,
} from '@iobench/core';
import { MIN_DURATION_MS } from '@iobench/engine/config';
import { runBenchmark, selectReporters } from '@iobench/engine/run';
import { applyShard, parseShard, parseStartAt, shardValues } from '@iobench/engine/shard';
import { createPlacement } from '@iobench/placement';
import { Args, Flags } from '@oclif/core';
import { BaseCommand } from '../base-command.js';
import {
  ARRIVALS_HELP,
  applyPluginOptionFlags,
  defaultNote,
  RUN_FLAG_NAMES,
  runFlagLayer,
  targetFromArgument,
} from '../flags.js';
import { LiveView } from '../progress.js';
import { runRegistry } from '../run-registry.js';
import { readStartAtFile, startAtTimeoutMs, waitForStartAt } from '../start-at.js';

export default class Run extends BaseCommand {
  static override summary = 'Benchmark servers (or a running target) under load and report the results';

  static override description =
    `Starts each server plugin in its own process, warms it up, drives it with a load generator, records latency as an HDR histogram plus server CPU, context switches and syscalls, and writes <out>/results.json (atomically, after every point). Settings come from schema defaults, then .iobenchrc (or iobench.config.*, package.json#iobench), then IOBENCH_* variables, then these flags. List flags (--server, --connections) take comma-separated values; lists sweep.`;

  static override examples = [
    {
      description: 'Compare every built-in server with the default load',
      command: '<%= config.bin %> <%= command.id %>',
    },
    {
      description: 'The headline: the epoll + worker-pool server under wrk',
      command: '<%= config.bin %> <%= command.id %> --server epoll-pool --load wrk',
    },
    {
      description: 'A short run of one server, results in ./out',
      command: '<%= config.bin %> <%= command.id %> --server node --connections 8 --duration 2s --out out',
    },
    {
      description: 'Measure a server iobench did not start, with the flags wrk and oha take',
      command: '<%= config.bin %> <%= command.id %> -c 64 -t 2 -d 10s http://127.0.0.1:8080/',
    },
    {
      description: 'POST a JSON body, with a header, from every load generator alike',
      command: `<%= config.bin %> <%= command.id %> -c 8 -d 5s -X POST -H 'content-type: application/json' --body-file b.json --load native,undici,wrk http://127.0.0.1:8080/api`,
    },
    {
      description: 'A list of varied requests each connection cycles through (format: docs/requests-file.md)',
      command: '<%= config.bin %> <%= command.id %> --requests-file requests.txt http://127.0.0.1:8080/',
    },
    {
      description: 'An https:// server with a self-signed certificate',
      command: '<%= config.bin %> <%= command.id %> --load undici --cacert cert.pem https://localhost:8443/',
    },
    {
      description: 'HTTP/2 over TLS: 8 connections of 16 concurrent streams each, trusting a self-signed certificate',
      command:
        '<%= config.bin %> <%= command.id %> --target https://127.0.0.1:8443/ --http2 --load undici --connections 8 --pipelining 16 --cacert cert.pem',
    },
    {
      description: 'Plugin options: for every server, or scoped to one',
      command:
        '<%= config.bin %> <%= command.id %> --server epoll,poll --server-opt work=cpu:100 --server-opt epoll.edgeTriggered=true',
    },
    {
      description: 'The original experiment: a connection sweep of two servers, 3 repeats each',
      command:
        '<%= config.bin %> <%= command.id %> --server basic,epoll-pool --load wrk --connections 8,16,32,64,128,256,512,1024 --repeat 3',
    },
    {
      description: 'Where the pool earns its place: sweep the handler work',
      command: '<%= config.bin %> <%= command.id %> --server epoll,epoll-pool --work none,cpu:200,wait:1000',
    },
    {
      description: 'Flame graphs (perf) and strace syscall counts of the measured phase, per point',
      command: '<%= config.bin %> <%= command.id %> --server basic,epoll-pool --profile perf,strace --reporter html',
    },
    {
      description: 'Across a veth pair between two network namespaces (IPv6 link-local; needs root)',
      command: '<%= config.bin %> <%= command.id %> --server epoll --netns',
    },
    {
      description:
        'Shard 1 of 2 of a plan measured from two load hosts at once (each runs its half of the 64 connections), merged afterwards',
      command:
        '<%= config.bin %> <%= command.id %> --target http://server.example:8080/ --connections 64 --shard 1/2 --start-at 2030-01-01T12:00:00Z',
    },
    {
      description: 'At what load: each server’s capacity under an SLO, found by bisecting the open-model rate',
      command: `<%= config.bin %> <%= command.id %> --server epoll,io-uring,epoll-pool --work cpu:100 --find-capacity 'p99<5ms'`,
    },
    {
      description: 'Latency against offered load in one run: a ramping Poisson arrival rate',
      command:
        '<%= config.bin %> <%= command.id %> --server epoll --stages 5s:10000,20s:150000 --arrivals poisson --reporter html',
    },
    {
      description: 'A CI gate: exit 1 when a point misses a threshold',
      command: `<%= config.bin %> <%= command.id %> --server epoll --connections 64 --threshold 'p99<10ms' --threshold 'errors<0.1%'`,
    },
    {
      description: 'Machine-readable output only',
      command: '<%= config.bin %> <%= command.id %> --server node --duration 1s --json',
    },
  ];

  static override args = {
    url: Args.string({
      description: 'URL of a running server to measure (the same as --target URL)',
      required: false,
    }),
  };

  // Repeatable flags take one value per occurrence (multipleNonGreedy): greedy, oclif gave
  // `--threshold p95<10ms http://host/` the URL as a second threshold.
  static override flags = {
    config: Flags.string({
      description: 'Config file to use instead of searching for .iobenchrc',
      helpGroup: 'CONFIG',
    }),
    server: Flags.string({
      char: 's',
      description: `Server plugin(s), comma-separated; built-in: ${builtinNames('server').join(', ')}, or one named in .iobenchrc plugins ${defaultNote('server')}`,
    }),
    target: Flags.string({
      description: 'URL of a running server to measure instead of starting server plugins',
      exclusive: ['server'],
    }),
    load: Flags.string({
      char: 'l',
      description: `Load generator plugin(s), comma-separated: each server is measured under each; built-in: ${builtinNames('load').join(', ')} ${defaultNote('load')}`,
    }),
    connections: Flags.string({
      char: 'c',
      description: `Concurrent connections; a comma-separated list sweeps ${defaultNote('connections')}`,
    }),
    duration: Flags.string({
      char: 'd',
      description: `Measured phase per point: seconds (a bare number, as wrk reads it) or 500ms, 10s, 1m; at least ${formatDurationMs(MIN_DURATION_MS)}, at most 1h ${defaultNote('duration')}`,
    }),
    warmup: Flags.string({
      description: `Warm-up before each point, not recorded: seconds or 500ms, 2s; 0 for none ${defaultNote('warmup')}`,
    }),
    repeat: Flags.string({
      description: `Repeats of every point: the console prints one row per point, the median of its repeats with their req/s range, and marks a range wider than ${WIDE_SPREAD_PCT}% of the median ${defaultNote('repeat')}`,
    }),
    'repeat-rows': Flags.boolean({
      description:
        'With --repeat: a row per repeat in the console table (with a repeat column) instead of one row per point (the console option repeatRows)',
      exclusive: ['json', 'quiet'],
    }),
    rate: Flags.string({
      char: 'R',
      description:
        'Open model: requests per second overall (latency corrected for coordinated omission); a list sweeps',
      helpGroup: 'LOAD',
    }),
    arrivals: Flags.string({
      description: `${ARRIVALS_HELP} [default: uniform; poisson with --find-capacity]`,
      options: ['uniform', 'poisson'],
      helpGroup: 'LOAD',
    }),
    seed: Flags.string({
      description:
        'Seed of the Poisson arrivals, to redo a schedule exactly; with --shard each shard draws its own stream of it [default: a random one, recorded in results]',
      helpGroup: 'LOAD',
    }),
    stages: Flags.string({
      description:
        'Open model with a ramping rate (k6’s ramping-arrival-rate): <duration>:<req/s> stages, each ramping linearly from the previous rate (0 first), e.g. 10s:1000,30s:50000,10s:50000; the stages are the measured phase, and reports draw latency against the offered load second by second',
      helpGroup: 'LOAD',
    }),
    'find-capacity': Flags.string({
      description:
        'Find each server’s capacity: the highest open-model rate (Poisson arrivals) whose probe meets every SLO without overloading or saturating the generator — a closed-model probe for the ceiling, then bracketing and bisection, then --capacity-rounds refinements for an interval. SLOs in --threshold syntax: p99<5ms, p99.9<20ms, errors<0.1%; repeatable or comma-separated',
      multiple: true,
      multipleNonGreedy: true,
      helpGroup: 'CAPACITY',
    }),
    'probe-duration': Flags.string({
      description: `Measured phase of each capacity probe (after --warmup) ${defaultNote('probeDuration')}`,
      helpGroup: 'CAPACITY',
    }),
    'capacity-rounds': Flags.string({
      description: `Refinement rounds of each capacity search: the spread of their answers is the interval ${defaultNote('capacityRounds')}`,
      helpGroup: 'CAPACITY',
    }),
    'idle-connections': Flags.string({
      description: `Idle keep-alive connections held open while measuring; a list sweeps ${defaultNote('idleConnections')}`,
      helpGroup: 'LOAD',
    }),
    'body-size': Flags.string({
      description: 'Response body bytes for every server; a list sweeps',
      helpGroup: 'SERVER',
    }),
    work: Flags.string({
      description: 'Handler work per request for every server: none, cpu:<µs>, wait:<µs>; a list sweeps',
      helpGroup: 'SERVER',
    }),
    threads: Flags.string({
      char: 't',
      description: `Load generator threads; a list sweeps ${defaultNote('threads')}`,
      helpGroup: 'LOAD',
    }),
    pipelining: Flags.string({
      description: `Requests in flight per connection ${defaultNote('pipelining')}`,
      helpGroup: 'LOAD',
    }),
    timeout: Flags.string({
      description: `Per-request timeout: seconds or 500ms, 2s ${defaultNote('timeout')}`,
      helpGroup: 'LOAD',
    }),
    requests: Flags.string({ description: 'Stop each point after this many requests', helpGroup: 'LOAD' }),
    http2: Flags.boolean({
      description:
        'HTTP/2 over TLS to an https:// --target: every connection must negotiate h2 with ALPN (a target that does not is refused, never measured over HTTP/1.1), and --pipelining N is N concurrent streams per connection; undici only',
      allowNo: true,
      helpGroup: 'LOAD',
    }),
    method: Flags.string({
      char: 'X',
      description: 'HTTP method of every request, as curl -X [default: GET]',
      helpGroup: 'REQUEST',
    }),
    header: Flags.string({
      char: 'H',
      description: `Request header 'Name: value' sent with every request, as curl/wrk -H; repeatable`,
      multiple: true,
      multipleNonGreedy: true,
      helpGroup: 'REQUEST',
    }),
    body: Flags.string({
      description: 'Request body text, sent with a Content-Length; @FILE reads it from FILE (as --body-file)',
      helpGroup: 'REQUEST',
      exclusive: ['body-file'],
    }),
    'body-file': Flags.string({
      description: 'Request body read from FILE, bytes as they are (at most 16 MiB)',
      helpGroup: 'REQUEST',
      exclusive: ['body'],
    }),
    'requests-file': Flags.string({
      description:
        'A list of requests each connection cycles through: METHOD path lines, header lines, @body-file lines, a blank line between requests (docs/requests-file.md); -H headers apply to each',
      helpGroup: 'REQUEST',
    }),
    insecure: Flags.boolean({
      char: 'k',
      description:
        'https:// targets: accept any certificate (self-signed, expired, another name), as curl -k; wrk never checks certificates anyway',
      helpGroup: 'REQUEST',
    }),
    cacert: Flags.string({
      description:
        'https:// targets: trust the CA certificates (or the self-signed certificate) in this PEM file besides the system ones; not with wrk, which never checks certificates',
      helpGroup: 'REQUEST',
      exclusive: ['insecure'],
    }),
    'server-opt': Flags.string({
      description: 'Server plugin option key=value (or server.key=value), repeatable',
      multiple: true,
      multipleNonGreedy: true,
      helpGroup: 'PLUGINS',
    }),
    'load-opt': Flags.string({
      description: 'Load plugin option key=value, repeatable',
      multiple: true,
      multipleNonGreedy: true,
      helpGroup: 'PLUGINS',
    }),
    'reporter-opt': Flags.string({
      description: 'Reporter option reporter.key=value, repeatable',
      multiple: true,
      multipleNonGreedy: true,
      helpGroup: 'PLUGINS',
    }),
    'server-cpus': Flags.string({ description: 'Pin server processes to these CPUs, e.g. 0', helpGroup: 'PINNING' }),
    'load-cpus': Flags.string({ description: 'Pin the load generator to these CPUs, e.g. 1', helpGroup: 'PINNING' }),
    profile: Flags.string({
      description:
        'Profile each server during the measured phase: perf (flame graph SVG + folded stacks per point), offcpu (off-CPU flame graph: where the threads waited, in µs, from sched_switch), strace (syscall counts; ptrace slows the server several-fold, so that point measures strace, not the server); repeatable or comma-separated',
      multiple: true,
      multipleNonGreedy: true,
      helpGroup: 'PROFILING',
    }),
    netns: Flags.boolean({
      description:
        'Run server and load in two network namespaces joined by a veth pair iob0/iob1 (IPv6 link-local); needs root',
      helpGroup: 'NETWORK',
    }),
    'netns-family': Flags.string({
      description: 'Addresses on the veth pair; implies --netns [default: ipv6]',
      options: ['ipv6', 'ipv4'],
      helpGroup: 'NETWORK',
    }),
    shard: Flags.string({
      description:
        'Measure shard i of N of the plan (i/N): connections, idle connections, rate and requests are split so that the N shards add up exactly to the totals (remainders on the first shards; each shard needs at least one connection); auto/N or /N takes i from JOB_COMPLETION_INDEX, as a Kubernetes Indexed Job sets it. Merge the N results files with `iobench merge`',
      helpGroup: 'SHARDING',
    }),
    'start-at': Flags.string({
      description:
        'Start the measured phase at this ISO 8601 time, e.g. 2030-01-01T12:00:00Z, the same instant on every shard: each point warms up, then waits; point k starts at T + k × (warm-up + duration + 2s). Must be in the future; every point records how far from the instant it actually started',
      helpGroup: 'SHARDING',
      exclusive: ['start-at-file'],
    }),
    'start-at-file': Flags.string({
      description:
        'Or: wait for this file to hold the --start-at instant, then start as with --start-at (a barrier: `kube run` writes it to a ConfigMap mounted in every shard pod once they all run). The plan is checked before waiting',
      helpGroup: 'SHARDING',
      exclusive: ['start-at'],
    }),
    'start-at-timeout': Flags.string({
      description: 'Longest wait for --start-at-file to hold an instant',
      default: '30m',
      helpGroup: 'SHARDING',
    }),
    out: Flags.string({
      char: 'o',
      description:
        'Output directory for results.json and reports; must be new or empty unless --force [default: a new iobench-results/<timestamp>]',
    }),
    force: Flags.boolean({
      description:
        'Write into an --out directory that already holds files (an earlier run’s): files this run writes are replaced, the others stay',
    }),
    reporter: Flags.string({
      char: 'r',
      description: `Reporter plugin(s), repeatable or comma-separated; built-in: ${builtinNames('reporter').join(', ')}; the console table prints too unless --quiet or --json`,
      multiple: true,
      multipleNonGreedy: true,
    }),
    threshold: Flags.string({
      description:
        'Pass/fail criterion checked on every measured point, k6-style; exit 1 when one fails: p99<10ms, p95<5ms, rps>50000, errors<0.1%, errors<10, status2xx>99%, status5xx<1%, cpuPerRequest<20us (percentiles p50 p75 p90 p95 p99 p99.9 p99.99, max, mean); repeatable or comma-separated',
      multiple: true,
      multipleNonGreedy: true,
    }),
    json: Flags.boolean({ description: 'Print the results as JSON on stdout and nothing else' }),
    histogram: Flags.boolean({
      description: "Draw each point's latency distribution under the table (the console reporter's histogram option)",
    }),
    quiet: Flags.boolean({
      char: 'q',
      description: 'Print no table and no progress, only the lines naming the files written',
      exclusive: ['json'],
    }),
  };

  async run(): Promise<void> {
    const { args, flags } = await this.parse(Run);
    let startAt = flags['start-at'] === undefined ? undefined : parseStartAt(flags['start-at']);
    const target = targetFromArgument(args.url, flags);
    const loaded = await this.loadConfig({
      configPath: flags.config,
      flags: runFlagLayer({ ...flags, ...(target ? { target } : {}) }),
      flagNames: RUN_FLAG_NAMES,
    });
    const startAtFile = flags['start-at-file'];
    if ((startAt || startAtFile) && loaded.config.findCapacity.length > 0) {
      throw new ConfigError(
        '--start-at cannot pace a capacity search: its probes are chosen one after another, not scheduled ahead',
      );
    }
    const sharded = flags.shard === undefined ? undefined : applyShard(loaded.config, parseShard(flags.shard));
    const config = sharded?.config ?? loaded.config;
    if (sharded) process.stderr.write(`iobench: ${describeShard(sharded.shard)}\n`);
    config.reporter = selectReporters(config.reporter, { json: flags.json, quiet: flags.quiet });
    applyPluginOptionFlags({ config, sources: loaded.sources }, flags);
    if (flags['repeat-rows']) config.reporterOptions.console = { ...config.reporterOptions.console, repeatRows: true };
    if (flags.histogram) config.reporterOptions.console = { ...config.reporterOptions.console, histogram: true };

    const registry = await runRegistry({ ...loaded, config });

    // Everything is checked; only now wait at the barrier, so that a bad plan fails before it.
    if (startAtFile) {
      const timeoutMs = startAtTimeoutMs(flags['start-at-timeout']);
      process.stderr.write(
        `iobench: waiting up to ${formatDurationMs(timeoutMs)} for the start instant in ${startAtFile}\n`,
      );
      startAt = await readStartAtFile(startAtFile, timeoutMs);
    }

    const controller = new AbortController();
    let interrupts = 0;
    const onSignal = (signal: NodeJS.Signals) => {
      interrupts++;
      if (interrupts === 1) {
        // A service manager or kill(1) sends SIGTERM; only a terminal has a Ctrl-C to press again.
        const how =
          signal === 'SIGINT'
            ? 'interrupted (Ctrl-C); stopping the current point (Ctrl-C again to quit at once)'
            : `received ${signal}; stopping the current point (send ${signal} again to quit at once)`;
        process.stderr.write(`\niobench: ${how}\n`);
        controller.abort();
      } else {
        process.exit(130);
      }
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
    const progress = !flags.json && !flags.quiet && process.stderr.isTTY ? new LiveView(process.stderr) : undefined;
    try {
      const { results, resultsPath } = await runBenchmark({
        config,
        registry,
        placement: createPlacement(),
        outDir: config.out,
        force: flags.force,
        stdout: process.stdout,
        json: flags.json,
        signal: controller.signal,
        onProgress: progress ? (e) => progress.update(e) : undefined,
        onPointEnd: () => progress?.clear(),
        beforeMeasure: startAt
          ? waitForStartAt(
              startAt,
              { warmupMs: config.warmup, durationMs: config.duration },
              controller.signal,
              process.stderr,
            )
          : undefined,
        shard: sharded?.shard,
      });
      progress?.clear();
      if (!flags.json) process.stdout.write(`\nresults: ${resultsPath}\n`);
      const verdict = thresholdVerdict(results.points);
      if (verdict && !verdict.pass) {
        const [summary, ...failed] = verdict.lines;
        throw new IobenchError('IOBENCH_THRESHOLDS_FAILED', `${summary}:\n  ${failed.join('\n  ')}`);
      }
      if (verdict && !flags.json) process.stdout.write(`${verdict.lines[0]}\n`);
    } finally {
      progress?.clear();
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    }
  }
}

/** `shard 1/3: connections 21 of 64, idle connections 0 of 0` — what this shard measures of the totals. */
function describeShard({ index, count, totals }: ShardRecord): string {
  const own = shardValues(totals, { index, count });
  const pairs: Array<[string, unknown, unknown]> = [
    ['connections', own.connections, totals.connections],
    ['idle connections', own.idleConnections, totals.idleConnections],
    ['rate', own.rate, totals.rate],
    ['requests', own.requests, totals.requests],
  ];
  const parts = pairs.filter(([, mine]) => mine !== undefined).map(([what, mine, all]) => `${what} ${mine} of ${all}`);
  return `shard ${index}/${count}: ${parts.join(', ')}`;
}
