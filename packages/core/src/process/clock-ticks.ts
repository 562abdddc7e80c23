/**
 * /proc's unit of CPU time: clock ticks (USER_HZ), for /proc/<pid>/stat's utime and stime and
 * /proc/stat's per-CPU times alike.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);

/** Linux's USER_HZ on every mainstream build; used when `getconf` is unavailable. */
const DEFAULT_CLOCK_TICKS_PER_SECOND = 100;

let ticksPerSecond: Promise<number> | undefined;

/** Clock ticks per second of /proc's CPU fields (`getconf CLK_TCK`), cached. */
export function clockTicksPerSecond(): Promise<number> {
  ticksPerSecond ??= execFileAsync('getconf', ['CLK_TCK']).then(
    ({ stdout }) => {
      const ticks = Number.parseInt(stdout.trim(), 10);
      return Number.isFinite(ticks) && ticks > 0 ? ticks : DEFAULT_CLOCK_TICKS_PER_SECOND;
    },
    () => DEFAULT_CLOCK_TICKS_PER_SECOND,
  );
  return ticksPerSecond;
}

/** Clock ticks as whole microseconds. */
export function ticksToUs(ticks: number, perSecond: number): number {
  return Math.round((ticks * 1_000_000) / perSecond);
}
