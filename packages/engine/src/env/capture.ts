/** Records the environment a run was measured in, so that results can be compared honestly. */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import { promisify } from 'node:util';
import type { RunEnvironment } from '@iobench/core';

const execFileAsync = promisify(execFile);

/** The version of @iobench/core, from its package.json. */
export const IOBENCH_VERSION: string = JSON.parse(
  readFileSync(new URL('../../package.json', import.meta.url), 'utf8'),
).version;

export async function captureEnvironment(pinning: RunEnvironment['pinning'] = {}): Promise<RunEnvironment> {
  const cpus = os.cpus();
  const [gitCommit, wrk] = await Promise.all([run('git', ['rev-parse', 'HEAD']), toolVersion('wrk', ['-v'])]);
  const tools: Record<string, string> = {};
  if (wrk) tools.wrk = wrk;
  return {
    hostname: os.hostname(),
    platform: process.platform,
    arch: process.arch,
    kernel: os.release(),
    cpuModel: cpus[0]?.model.trim() ?? 'unknown',
    cpuCount: cpus.length,
    memoryBytes: os.totalmem(),
    node: process.version,
    iobench: IOBENCH_VERSION,
    gitCommit: gitCommit || undefined,
    tools,
    pinning,
    fdLimit: openFileLimit(),
  };
}

/** First line of a tool's version output, e.g. `wrk 4.1.0 [epoll] ...`; undefined when missing. */
export async function toolVersion(command: string, args: string[]): Promise<string | undefined> {
  const out = await run(command, args, true);
  return out ? out.split('\n')[0]!.trim() : undefined;
}

async function run(command: string, args: string[], acceptFailure = false): Promise<string> {
  try {
    const { stdout, stderr } = await execFileAsync(command, args, { timeout: 5000 });
    return (stdout || stderr).trim();
  } catch (error) {
    // wrk -v prints its version and exits 1.
    const e = error as { stdout?: string; stderr?: string; code?: unknown };
    if (acceptFailure && typeof e.code === 'number') return (e.stdout || e.stderr || '').trim();
    return '';
  }
}

/** Soft limit on open files of this process (`ulimit -n`), from /proc/self/limits. */
export function openFileLimit(): number | undefined {
  try {
    const line = readFileSync('/proc/self/limits', 'utf8')
      .split('\n')
      .find((l) => l.startsWith('Max open files'));
    const soft = line?.split(/\s{2,}/)[1];
    return soft && /^\d+$/.test(soft) ? Number(soft) : undefined;
  } catch {
    return undefined;
  }
}
