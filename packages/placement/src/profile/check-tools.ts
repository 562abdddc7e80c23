/** Checks, before a run starts, that the profilers `--profile` asks for can work on this machine. */
import { readFileSync } from 'node:fs';
import type { ProfileKind } from '@iobench/core';
import { IobenchError } from '@iobench/core';
import { toolVersion } from '@iobench/core/env';

/** Throws `IOBENCH_PROFILE_UNAVAILABLE` naming what is missing, with the fix. */
export async function checkProfilers(kinds: ProfileKind[]): Promise<void> {
  const missing: string[] = [];
  const fixes: string[] = [];
  if (kinds.includes('perf')) {
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
