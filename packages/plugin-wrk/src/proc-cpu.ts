/**
 * CPU time of another process from /proc/<pid>/stat (utime and stime, in clock ticks), converted to
 * microseconds. Used to measure wrk's own CPU while it runs; the final figure comes from wrk itself:
 * its Lua `done()` reads getrusage (or, without LuaJIT's FFI, /proc/self/stat) after its threads
 * have joined.
 */
import { readFile } from 'node:fs/promises';
import { clockTicksPerSecond, ticksToUs } from '@iobench/core';

/**
 * utime and stime in clock ticks from one /proc/<pid>/stat line, or undefined if it does not parse.
 * The command name (field 2) may contain spaces and parentheses, so fields are counted from the
 * last ')'; utime and stime are fields 14 and 15.
 */
export function parseProcStatTimes(line: string): { userTicks: number; systemTicks: number } | undefined {
  const close = line.lastIndexOf(')');
  if (close < 0) return undefined;
  const fields = line.slice(close + 2).split(' ');
  // fields[0] is field 3 (state), so field k is fields[k - 3].
  const userTicks = Number(fields[14 - 3]);
  const systemTicks = Number(fields[15 - 3]);
  if (!Number.isFinite(userTicks) || !Number.isFinite(systemTicks)) return undefined;
  return { userTicks, systemTicks };
}

/** utime + stime in clock ticks from one /proc/<pid>/stat line, or undefined if it does not parse. */
export function parseProcStatCpuTicks(line: string): number | undefined {
  const times = parseProcStatTimes(line);
  return times === undefined ? undefined : times.userTicks + times.systemTicks;
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
