/**
 * Profiles one point's server host during the measured phase: perf (flame graph) and/or strace
 * (syscall counts), as `--profile` asks. Lifecycle, in measurePoint's order:
 * `attach` (before the measured phase; perf's slow start-up happens here) -> `begin` (right after
 * the `before` snapshot) -> load -> `end` -> `finish` (fold, render, write files) or `kill`.
 */
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { PointProfiles, ProfileKind } from '@iobench/core';
import { artifactStem, formatFolded, makeDirectories, totalSamples, writeFileAtomic } from '@iobench/core';
import type { PointProfilerHandle } from '@iobench/engine/run';
import createDebug from 'debug';
import { renderFlameGraphSvg } from './flame-graph-svg.js';
import { OFF_CPU_SCRIPT_FIELDS, OffCpuFolder } from './fold-off-cpu.js';
import { foldPerfScript } from './fold-perf-script.js';
import { PerfRecording, perfScript, perfScriptLines } from './perf-recorder.js';
import { StraceRecording, type StraceSyscallCount } from './strace-recorder.js';

const debug = createDebug('iobench:profile');

/** perf's sampling frequency: off the beat of 100/1000 Hz timers, like FlameGraph's examples (99). */
export const PERF_FREQUENCY_HZ = 999;
/** What `--profile offcpu` records: every switch off a CPU (with the stack), and thread creations. */
export const OFF_CPU_EVENTS = ['sched:sched_switch', 'sched:sched_process_fork'];

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
  private offcpu?: PerfRecording;
  private strace?: StraceRecording;
  private straceCounts?: Record<string, StraceSyscallCount>;
  private readonly dir: string;
  private readonly stem: string;

  private constructor(private readonly opts: PointProfilerOptions) {
    this.dir = join(opts.outDir, 'profiles');
    this.stem = artifactStem(opts.pointId);
  }

  /** Starts perf (events off). strace attaches in `begin`: it cannot be switched off. */
  static async attach(opts: PointProfilerOptions): Promise<PointProfiler> {
    const profiler = new PointProfiler(opts);
    await makeDirectories(profiler.dir);
    if (opts.kinds.includes('perf')) {
      profiler.perf = await PerfRecording.start({
        dataPath: join(profiler.dir, `${profiler.stem}.perf.data`),
        events: ['-e', 'cpu-clock', '-F', String(PERF_FREQUENCY_HZ)],
      });
    }
    if (opts.kinds.includes('offcpu')) {
      profiler.offcpu = await PerfRecording.start({
        dataPath: join(profiler.dir, `${profiler.stem}.offcpu.data`),
        events: OFF_CPU_EVENTS.flatMap((event) => ['-e', event]),
      });
    }
    return profiler;
  }

  /** The measured phase starts. */
  async begin(): Promise<void> {
    if (this.opts.kinds.includes('strace'))
      this.strace = await StraceRecording.start(this.opts.pid, join(this.dir, `${this.stem}.strace.txt`));
    await Promise.all([this.perf?.enable(), this.offcpu?.enable()]);
  }

  /** The measured phase ended. */
  async end(): Promise<void> {
    await Promise.all([this.perf?.disable(), this.offcpu?.disable()]);
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
      const folded = foldPerfScript(await perfScript(this.perf.dataPath, { pid: this.opts.pid }));
      const samples = totalSamples(folded);
      const foldedFile = join('profiles', `${this.stem}.folded`);
      const svgFile = join('profiles', `${this.stem}.svg`);
      await writeFileAtomic(join(this.opts.outDir, foldedFile), formatFolded(folded));
      const subtitle = `perf record -a -e cpu-clock -F ${PERF_FREQUENCY_HZ} -g, server host's threads, measured phase only: ${samples.toLocaleString('en-US')} samples, ${context.requests.toLocaleString('en-US')} requests`;
      await writeFileAtomic(
        join(this.opts.outDir, svgFile),
        renderFlameGraphSvg(folded, { title: context.title, subtitle }),
      );
      await rm(this.perf.dataPath, { force: true });
      debug('point %s: %d perf samples -> %s', this.opts.pointId, samples, svgFile);
      profiles.perf = { folded: foldedFile, svg: svgFile, samples, frequencyHz: PERF_FREQUENCY_HZ, event: 'cpu-clock' };
    }
    if (this.offcpu) profiles.offcpu = await this.finishOffCpu(this.offcpu, context.title);
    await this.cleanup();
    return profiles;
  }

  /** Pairs the switches of the server host's threads into microseconds off the CPU, folded and drawn. */
  private async finishOffCpu(recording: PerfRecording, title: string): Promise<NonNullable<PointProfiles['offcpu']>> {
    await recording.stop();
    const folder = new OffCpuFolder(this.opts.pid);
    await perfScriptLines(recording.dataPath, OFF_CPU_SCRIPT_FIELDS, (line) => folder.line(line));
    const folded = folder.finish();
    const offCpuUs = totalSamples(folded);
    const foldedFile = join('profiles', `${this.stem}.offcpu.folded`);
    const svgFile = join('profiles', `${this.stem}.offcpu.svg`);
    await writeFileAtomic(join(this.opts.outDir, foldedFile), formatFolded(folded));
    const subtitle = `off-CPU time, perf record -a -g -e ${OFF_CPU_EVENTS.join(',')}, measured phase only: ${(offCpuUs / 1e3).toLocaleString('en-US', { maximumFractionDigits: 1 })} ms off CPU over ${folder.switches.toLocaleString('en-US')} switches`;
    await writeFileAtomic(
      join(this.opts.outDir, svgFile),
      renderFlameGraphSvg(folded, { title: `${title} (off-CPU)`, subtitle, unit: 'µs off CPU' }),
    );
    await rm(recording.dataPath, { force: true });
    debug('point %s: %d µs off CPU -> %s', this.opts.pointId, offCpuUs, svgFile);
    return { folded: foldedFile, svg: svgFile, offCpuUs, switches: folder.switches, event: OFF_CPU_EVENTS.join(',') };
  }

  /** Stops every profiler at once, keeping nothing (failures, Ctrl-C). Idempotent. */
  async kill(): Promise<void> {
    this.perf?.kill();
    this.offcpu?.kill();
    this.strace?.kill();
    for (const recording of [this.perf, this.offcpu])
      if (recording) await rm(recording.dataPath, { force: true }).catch(() => undefined);
    await this.cleanup();
  }

  /** Node leaves its perf map in /tmp; it is only needed until `perf script` has read it. */
  private async cleanup(): Promise<void> {
    if (this.opts.kinds.includes('perf') || this.opts.kinds.includes('offcpu'))
      await rm(`/tmp/perf-${this.opts.pid}.map`, { force: true }).catch(() => undefined);
  }
}
