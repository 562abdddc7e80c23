import { type ChildProcess, spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { testTempDir } from '@iobench/core/testing';

/** The CLI as a user runs it from a checkout: plain node on the built bin (npm test builds first). */
export const BIN = new URL('../../../bin/iobench', import.meta.url).pathname;
export const FIXTURES = new URL('./fixtures/', import.meta.url).pathname;

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `iobench ...args` and collects its output. `env` adds to a clean IOBENCH_-free environment. */
export function iobench(
  args: string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number } = {},
): Promise<CliResult> & { child: ChildProcess } {
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([k]) => !k.startsWith('IOBENCH_') && k !== 'NODE_OPTIONS'),
  );
  const child = spawn(process.execPath, [BIN, ...args], {
    cwd: options.cwd ?? tmpdir(),
    env: { ...env, ...options.env },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (d) => (stdout += d));
  child.stderr.setEncoding('utf8').on('data', (d) => (stderr += d));
  const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 60_000);
  const done = new Promise<CliResult>((resolve) => {
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  }) as Promise<CliResult> & { child: ChildProcess };
  done.child = child;
  return done;
}

/** A fresh directory, removed when the test file ends (files a human should look at: `testOutputDir`). */
export function tempDir(): Promise<string> {
  return testTempDir('iobench-cli-');
}

/** A directory holding a config file (and a package.json so the search stops there). */
export async function projectWith(files: Record<string, string>): Promise<string> {
  const dir = await tempDir();
  await writeFile(join(dir, 'package.json'), '{"name":"cli-test"}');
  for (const [name, text] of Object.entries(files)) await writeFile(join(dir, name), text);
  return dir;
}

/** Pids of every running iobench server host process on this machine (from /proc). */
/** Server host processes whose parent is `parentPid` (the hosts of one run, not of others on the machine). */
export function serverHostsOf(parentPid: number): number[] {
  return serverHostPids().filter((pid) => {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === parentPid;
    } catch {
      return false;
    }
  });
}

/** True while `pid` runs (a zombie, exited but not yet reaped by an init that does not reap, is gone). */
export function isRunning(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
}

export function serverHostPids(): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes('server-host.')) pids.push(Number(entry));
    } catch {
      // gone while we looked
    }
  }
  return pids;
}
