/**
 * Profiles one point's server host during the measured phase: perf (flame graph) and/or strace
 * (syscall counts), as `--profile` asks. Lifecycle, in measurePoint's order:
 * `attach` (before the measured phase; perf's slow start-up happens here) -> `begin` (right after
 * the `before` snapshot) -> load -> `end` -> `finish` (fold, render, write files) or `kill`.
 */
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { PointProfiles, ProfileKind } from '@iobench/core';
import { makeDirectories, writeFileAtomic } from '@iobench/core/output';
import { artifactStem } from '@iobench/core/results';
import type { PointProfilerHandle } from '@iobench/core/run';
import createDebug from 'debug';
import { renderFlameGraphSvg } from './flame-graph-svg.js';
import { foldPerfScript, formatFolded, totalSamples } from './fold-perf-script.js';
import { PerfRecording, perfScript } from './perf-recorder.js';
import { StraceRecording, type StraceSyscallCount } from './strace-recorder.js';

const debug = createDebug('iobench:profile');

/** perf's sampling frequency: off the beat of 100/1000 Hz timers, like FlameGraph's examples (99). */
export const PERF_FREQUENCY_HZ = 999;

/**
 * Node flags a profiled server host starts with: JIT and interpreted JS frames get names in perf.
 * `--perf-basic-prof` also opens V8's log, by default one `isolate-<addr>-<pid>-v8.log` per isolate
 * in the working directory; one anonymous temporary file (`+`) keeps the user's directory clean
 * (`/dev/null` does not: per isolate it becomes `/dev/isolate-…-null`, and alone V8 prints to stdout).
 */
export const PERF_NODE_FLAGS = [
  '--perf-basic-prof',
  '--interpreted-frames-native-stack',
  '--no-logfile-per-isolate',
  '--logfile=+',
];

export interface PointProfilerOptions {
  kinds: ProfileKind[];
  /** The server host's pid. */
  pid: number;
  /** The run's output directory; files go to `<outDir>/profiles/`. */
  outDir: string;
  pointId: string;
}

export class PointProfiler implements PointProfilerHandle {
  private perf?: PerfRecording;
  private strace?: StraceRecording;
  private straceCounts?: Record<string, StraceSyscallCount>;
  private readonly dir: string;
  private readonly stem: string;

  private constructor(private readonly opts: PointProfilerOptions) {
    this.dir = join(opts.outDir, 'profiles');
    this.stem = artifactStem(opts.pointId);
  }

  /** Attaches perf (sampling off). strace attaches in `begin`: it cannot be switched off. */
  static async attach(opts: PointProfilerOptions): Promise<PointProfiler> {
    const profiler = new PointProfiler(opts);
    await makeDirectories(profiler.dir);
    if (opts.kinds.includes('perf')) {
      profiler.perf = await PerfRecording.start({
        pid: opts.pid,
        dataPath: join(profiler.dir, `${profiler.stem}.perf.data`),
        frequencyHz: PERF_FREQUENCY_HZ,
      });
    }
    return profiler;
  }

  /** The measured phase starts. */
  async begin(): Promise<void> {
    if (this.opts.kinds.includes('strace'))
      this.strace = await StraceRecording.start(this.opts.pid, join(this.dir, `${this.stem}.strace.txt`));
    await this.perf?.enable();
  }

  /** The measured phase ended. */
  async end(): Promise<void> {
    await this.perf?.disable();
    if (this.strace) this.straceCounts = await this.strace.stop();
  }

  /** Turns what was recorded into files and the point's `profiles` entry. */
  async finish(context: { requests: number; title: string }): Promise<PointProfiles> {
    const profiles: PointProfiles = {};
    if (this.straceCounts) {
      const perRequest = (n: number) => (context.requests > 0 ? Math.round((n / context.requests) * 100) / 100 : 0);
      profiles.strace = {
        file: join('profiles', `${this.stem}.strace.txt`),
        syscalls: this.straceCounts,
        callsPerRequest: Object.fromEntries(
          Object.entries(this.straceCounts).map(([name, c]) => [name, perRequest(c.calls)]),
        ),
      };
    }
    if (this.perf) {
      await this.perf.stop();
      const folded = foldPerfScript(await perfScript(this.perf.dataPath));
      const samples = totalSamples(folded);
      const foldedFile = join('profiles', `${this.stem}.folded`);
      const svgFile = join('profiles', `${this.stem}.svg`);
      await writeFileAtomic(join(this.opts.outDir, foldedFile), formatFolded(folded));
      const subtitle = `perf record -e cpu-clock -F ${PERF_FREQUENCY_HZ} -g, measured phase only: ${samples.toLocaleString('en-US')} samples, ${context.requests.toLocaleString('en-US')} requests`;
      await writeFileAtomic(
        join(this.opts.outDir, svgFile),
        renderFlameGraphSvg(folded, { title: context.title, subtitle }),
      );
      await rm(this.perf.dataPath, { force: true });
      debug('point %s: %d perf samples -> %s', this.opts.pointId, samples, svgFile);
      profiles.perf = { folded: foldedFile, svg: svgFile, samples, frequencyHz: PERF_FREQUENCY_HZ, event: 'cpu-clock' };
    }
    await this.cleanup();
    return profiles;
  }

  /** Stops every profiler at once, keeping nothing (failures, Ctrl-C). Idempotent. */
  async kill(): Promise<void> {
    this.perf?.kill();
    this.strace?.kill();
    if (this.perf) await rm(this.perf.dataPath, { force: true }).catch(() => undefined);
    await this.cleanup();
  }

  /** Node leaves its perf map in /tmp; it is only needed until `perf script` has read it. */
  private async cleanup(): Promise<void> {
    if (this.opts.kinds.includes('perf'))
      await rm(`/tmp/perf-${this.opts.pid}.map`, { force: true }).catch(() => undefined);
  }
}
