/**
 * How many open files a plan needs per process and what to run when the limit is lower. The run's
 * check before anything starts and `iobench doctor` both ask here, so they give the same numbers.
 */
import { readFileSync } from 'node:fs';
import { FD_HEADROOM } from '@iobench/core';
import { openFileLimit } from './capture.js';

export interface OpenFilesAdvice {
  /** Open files one process needs: the server host and the load generator each hold one end of every connection. */
  needed: number;
  /** The soft limit (`ulimit -n`), when known. */
  limit?: number;
  /** False when the limit is known and below `needed`. */
  enough: boolean;
  /** What to do, as a sentence: the `ulimit -n` to run, or, past the kernel's cap, how many connections fit. */
  fix: string;
}

/**
 * Advice for `connections` (connections plus idle connections at the plan's largest point).
 * `limit` and `kernelMax` default to this process's `ulimit -n` and the kernel's fs.nr_open.
 */
export function openFilesAdvice(
  connections: number,
  limit: number | undefined = openFileLimit(),
  kernelMax: number | undefined = readKernelMax(),
): OpenFilesAdvice {
  const needed = connections + FD_HEADROOM;
  // No ulimit can go past fs.nr_open, so advising one would only fail in the shell.
  const fix =
    kernelMax !== undefined && needed > kernelMax
      ? `This kernel allows at most ${kernelMax} open files per process (fs.nr_open), so use at most ${kernelMax - FD_HEADROOM} connections.`
      : `Run \`ulimit -n ${needed}\` in the shell that starts iobench (or set LimitNOFILE= / limits.conf), or use fewer connections.`;
  return { needed, limit, enough: limit === undefined || limit >= needed, fix };
}

function readKernelMax(): number | undefined {
  try {
    const value = Number(readFileSync('/proc/sys/fs/nr_open', 'utf8').trim());
    return Number.isInteger(value) && value > 0 ? value : undefined;
  } catch {
    return undefined;
  }
}
