/**
 * The environment checks behind `iobench doctor`; each says what it found and how to fix it.
 * `fail` means something every run needs is missing; `warn` that a feature (wrk, --profile,
 * --netns, pinning, large sweeps) will not work or will measure badly.
 */
import { readFileSync } from 'node:fs';
import { openFileLimit, openFilesAdvice, toolVersion } from '@iobench/engine/env';
import { checkCpus, checkIoUring, checkNetns, checkPerf, checkStrace } from './system-checks.js';

export interface Check {
  name: string;
  status: 'ok' | 'warn' | 'fail';
  detail: string;
  fix?: string;
}

/** What the checks measure the machine against. */
export interface DoctorPlan {
  /** Largest connection count (plus idle connections) planned; from the config file when there is one. */
  maxConnections: number;
  /** Where that number came from, e.g. `.iobenchrc` or `a typical sweep`. */
  source: string;
}

/** Connections a typical sweep reaches (the original experiment's largest point). */
export const TYPICAL_MAX_CONNECTIONS = 1024;

export async function runChecks(
  plan: DoctorPlan = { maxConnections: TYPICAL_MAX_CONNECTIONS, source: 'a typical sweep' },
): Promise<Check[]> {
  return [
    checkNode(),
    await checkWrk(),
    await checkPerf(),
    await checkStrace(),
    await checkNetns(),
    checkFdLimit(plan),
    checkSomaxconn(plan),
    await checkCpus(),
    await checkSyscalls(),
    await checkIoUring(),
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

/** `ulimit -n` against the largest planned connection count (each end of a connection is a descriptor). */
export function checkFdLimit(plan: DoctorPlan, limit = openFileLimit()): Check {
  const advice = openFilesAdvice(plan.maxConnections, limit);
  return {
    name: 'open files (ulimit -n)',
    status: advice.enough ? 'ok' : 'warn',
    detail: `${limit ?? 'unknown'}; ${plan.maxConnections} connections (${plan.source}) need ${advice.needed} open files per process`,
    fix: advice.fix,
  };
}

/** Listen backlogs are capped at somaxconn: below the planned connections, connects queue or are dropped. */
export function checkSomaxconn(plan: DoctorPlan, value = readNumber('/proc/sys/net/core/somaxconn')): Check {
  const ok = value === undefined || value >= Math.min(plan.maxConnections, 4096);
  return {
    name: 'net.core.somaxconn',
    status: ok ? 'ok' : 'warn',
    detail: `${value ?? 'unknown'} (listen backlogs are capped at this; ${plan.maxConnections} connections planned)`,
    fix: `sysctl -w net.core.somaxconn=${Math.max(4096, plan.maxConnections)}`,
  };
}

async function checkSyscalls(): Promise<Check> {
  try {
    await import('@iobench/syscalls');
    return {
      name: 'syscall addon',
      status: 'ok',
      detail: '@iobench/syscalls loads (basic, select, poll, epoll servers available)',
    };
  } catch (error) {
    return {
      name: 'syscall addon',
      status: 'fail',
      detail: `@iobench/syscalls does not load: ${(error as Error).message}`,
      fix: 'Run `npm run build` (needs g++, make and python3 for node-gyp).',
    };
  }
}

export function readNumber(path: string): number | undefined {
  try {
    return Number(readFileSync(path, 'utf8').trim());
  } catch {
    return undefined;
  }
}
