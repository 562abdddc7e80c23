/** CPU pinning with taskset(1) from util-linux. */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { ToolError } from '@iobench/core';

const execFileAsync = promisify(execFile);

/** Pins every thread of `pid` (and so the threads it creates later) to `cpus` (e.g. `0` or `0-1`). */
export async function pinProcess(pid: number, cpus: string): Promise<void> {
  try {
    await execFileAsync('taskset', ['--all-tasks', '--cpu-list', '--pid', cpus, String(pid)]);
  } catch (cause) {
    const err = cause as NodeJS.ErrnoException & { stderr?: string };
    const why =
      err.code === 'ENOENT'
        ? 'taskset is not installed (apt-get install util-linux)'
        : (err.stderr?.trim() ?? err.message);
    throw new ToolError(`could not pin pid ${pid} to CPUs ${cpus}: ${why}`, { cause });
  }
}
