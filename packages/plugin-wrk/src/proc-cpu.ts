/**
 * CPU time of another process from /proc/<pid>/stat (utime + stime, in clock ticks), converted to
 * microseconds. Used to measure wrk's own CPU while it runs; the final figure comes from the stat
 * line wrk's Lua `done()` reads from /proc/self/stat after its threads have joined.
 */
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
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

/**
 * utime + stime in clock ticks from one /proc/<pid>/stat line, or undefined if it does not parse.
 * The command name (field 2) may contain spaces and parentheses, so fields are counted from the
 * last ')'; utime and stime are fields 14 and 15.
 */
export function parseProcStatCpuTicks(line: string): number | undefined {
  const close = line.lastIndexOf(')');
  if (close < 0) return undefined;
  const fields = line.slice(close + 2).split(' ');
  // fields[0] is field 3 (state), so field k is fields[k - 3].
  const utime = Number(fields[14 - 3]);
  const stime = Number(fields[15 - 3]);
  if (!Number.isFinite(utime) || !Number.isFinite(stime)) return undefined;
  return utime + stime;
}

/** CPU microseconds a process has used so far, or undefined if it is gone or unreadable. */
export async function readProcessCpuUs(pid: number): Promise<number | undefined> {
  let line: string;
  try {
    line = await readFile(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  const ticks = parseProcStatCpuTicks(line);
  return ticks === undefined ? undefined : ticksToUs(ticks, await clockTicksPerSecond());
}

export function ticksToUs(ticks: number, perSecond: number): number {
  return Math.round((ticks * 1_000_000) / perSecond);
}
