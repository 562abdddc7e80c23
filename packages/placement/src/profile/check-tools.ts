/** Checks, before a run starts, that the profilers `--profile` asks for can work on this machine. */
import { existsSync, readFileSync } from 'node:fs';
import type { ProfileKind } from '@iobench/core';
import { IobenchError } from '@iobench/core';
import { toolVersion } from '@iobench/engine/env';

/** Throws `IOBENCH_PROFILE_UNAVAILABLE` naming what is missing, with the fix. */
export async function checkProfilers(kinds: ProfileKind[]): Promise<void> {
  const missing: string[] = [];
  const fixes: string[] = [];
  if (kinds.includes('perf') || kinds.includes('offcpu')) {
    if (!(await toolVersion('perf', ['--version']))) {
      missing.push('perf is not installed');
      fixes.push('apt-get install linux-perf (Debian) or linux-tools-$(uname -r) (Ubuntu)');
    } else {
      const paranoid = perfEventParanoid();
      if (process.getuid?.() !== 0 && paranoid !== undefined && paranoid > 1) {
        missing.push(`kernel.perf_event_paranoid is ${paranoid}, which hides kernel stacks from a non-root user`);
        fixes.push('sysctl kernel.perf_event_paranoid=1, or run iobench as root');
      }
    }
  }
  if (kinds.includes('offcpu') && missing.length === 0) {
    const why = schedTracepointsMissing();
    if (why) {
      missing.push(why);
      fixes.push(
        'Mount tracefs (mount -t tracefs nodev /sys/kernel/tracing) and run as root; in a container, the host must expose /sys/kernel/tracing',
      );
    }
  }
  if (kinds.includes('strace') && !(await toolVersion('strace', ['-V']))) {
    missing.push('strace is not installed');
    fixes.push('apt-get install strace');
  }
  if (missing.length > 0) {
    throw new IobenchError(
      'IOBENCH_PROFILE_UNAVAILABLE',
      `--profile ${kinds.join(',')} cannot run: ${missing.join('; ')}`,
      { suggestions: fixes },
    );
  }
}

/** `kernel.perf_event_paranoid`, when readable. */
export function perfEventParanoid(): number | undefined {
  try {
    return Number(readFileSync('/proc/sys/kernel/perf_event_paranoid', 'utf8').trim());
  } catch {
    return undefined;
  }
}

/** The scheduler tracepoints `--profile offcpu` records, where tracefs exposes them. */
const TRACEFS_ROOTS = ['/sys/kernel/tracing', '/sys/kernel/debug/tracing'];
const OFF_CPU_TRACEPOINTS = ['sched/sched_switch', 'sched/sched_process_fork'];

/** Why perf cannot record the sched tracepoints here, or undefined when it can (their ids are readable). */
export function schedTracepointsMissing(): string | undefined {
  const root = TRACEFS_ROOTS.find((dir) => existsSync(`${dir}/events`));
  if (!root)
    return `tracefs is not mounted (looked for ${TRACEFS_ROOTS.map((d) => `${d}/events`).join(' and ')}), so perf cannot record sched:sched_switch`;
  for (const tracepoint of OFF_CPU_TRACEPOINTS) {
    try {
      readFileSync(`${root}/events/${tracepoint}/id`, 'utf8');
    } catch (error) {
      return `the tracepoint ${tracepoint.replace('/', ':')} is not readable in ${root}/events (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`;
    }
  }
  return undefined;
}
