/** The environment checks behind `iobench doctor`; each says what it found and how to fix it. */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import { promisify } from 'node:util';
import { openFileLimit, toolVersion } from '@iobench/core';

const execFileAsync = promisify(execFile);

export interface Check {
  name: string;
  status: 'ok' | 'warn' | 'fail';
  detail: string;
  fix?: string;
}

/** Connections a typical sweep reaches (the seed experiment's largest point). */
const TYPICAL_MAX_CONNECTIONS = 1024;

export async function runChecks(): Promise<Check[]> {
  return [
    checkNode(),
    await checkWrk(),
    await checkPerf(),
    await checkTaskset(),
    checkFdLimit(),
    checkSomaxconn(),
    checkCpus(),
    await checkSyscalls(),
  ];
}

function checkNode(): Check {
  const [major, minor] = process.versions.node.split('.').map(Number) as [number, number];
  const ok = major > 20 || (major === 20 && minor >= 19);
  return { name: 'node', status: ok ? 'ok' : 'fail', detail: process.version, fix: 'Install Node.js 20.19 or newer.' };
}

async function checkWrk(): Promise<Check> {
  const v = await toolVersion('wrk', ['-v']);
  return v
    ? { name: 'wrk', status: 'ok', detail: v }
    : { name: 'wrk', status: 'warn', detail: 'not found (needed for --load wrk)', fix: 'apt-get install wrk' };
}

async function checkPerf(): Promise<Check> {
  const v = await toolVersion('perf', ['--version']);
  if (!v) return { name: 'perf', status: 'warn', detail: 'not found (needed for --profile perf)', fix: 'apt-get install linux-perf' };
  const paranoid = readNumber('/proc/sys/kernel/perf_event_paranoid');
  const root = process.getuid?.() === 0;
  const ok = root || (paranoid !== undefined && paranoid <= 1);
  return {
    name: 'perf',
    status: ok ? 'ok' : 'warn',
    detail: `${v}, perf_event_paranoid=${paranoid ?? '?'}${root ? ' (running as root)' : ''}`,
    fix: 'sysctl kernel.perf_event_paranoid=1 (or run as root) to profile processes',
  };
}

async function checkTaskset(): Promise<Check> {
  try {
    await execFileAsync('taskset', ['--cpu-list', '--pid', String(process.pid)]);
    return { name: 'taskset', status: 'ok', detail: 'CPU pinning available (--server-cpus / --load-cpus)' };
  } catch {
    return { name: 'taskset', status: 'warn', detail: 'not usable; pinning unavailable', fix: 'apt-get install util-linux' };
  }
}

function checkFdLimit(): Check {
  const limit = openFileLimit();
  const ok = limit === undefined || limit >= TYPICAL_MAX_CONNECTIONS + 64;
  return {
    name: 'open files (ulimit -n)',
    status: ok ? 'ok' : 'warn',
    detail: `${limit ?? 'unknown'}; a ${TYPICAL_MAX_CONNECTIONS}-connection sweep needs about ${TYPICAL_MAX_CONNECTIONS + 64}`,
    fix: 'ulimit -n 65536 in the shell that runs iobench',
  };
}

function checkSomaxconn(): Check {
  const n = readNumber('/proc/sys/net/core/somaxconn');
  const ok = n === undefined || n >= 511;
  return {
    name: 'net.core.somaxconn',
    status: ok ? 'ok' : 'warn',
    detail: `${n ?? 'unknown'} (listen backlogs are capped at this)`,
    fix: 'sysctl net.core.somaxconn=4096',
  };
}

function checkCpus(): Check {
  const n = os.cpus().length;
  return {
    name: 'CPUs',
    status: n >= 2 ? 'ok' : 'warn',
    detail: `${n} × ${os.cpus()[0]?.model.trim() ?? 'unknown'}${n >= 2 ? '; pin server and load apart, e.g. --server-cpus 0 --load-cpus 1' : ''}`,
    fix: 'With one CPU, server and load generator share it: compare CPU µs per request, not req/s.',
  };
}

async function checkSyscalls(): Promise<Check> {
  try {
    await import('@iobench/syscalls');
    return { name: 'syscall addon', status: 'ok', detail: '@iobench/syscalls loads (basic, select, poll, epoll servers available)' };
  } catch (error) {
    return {
      name: 'syscall addon',
      status: 'fail',
      detail: `@iobench/syscalls does not load: ${(error as Error).message}`,
      fix: 'Run `npm run build` (needs g++, make and python3 for node-gyp).',
    };
  }
}

function readNumber(path: string): number | undefined {
  try {
    return Number(readFileSync(path, 'utf8').trim());
  } catch {
    return undefined;
  }
}
