/**
 * Adds what `--profile perf`, `--profile strace` and the syscall counters leave in results to the
 * reporter fixture: folded stacks and a static SVG written under the output directory, per-server
 * syscall counts that differ the way the I/O models do (a blocking accept loop, a readiness loop
 * with epoll), the user/system split, and strace's counts on one point.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { PointResult, ResultsFile } from '@iobench/core';

/** Folded stacks like a basic server's (kernel `_[k]`, JavaScript `_[j]`, native unmarked). */
export const FOLDED = [
  'node;start_thread;JS:^runBasicLoop file:///srv/basic-loop.js:10:37_[j];accept4;__sys_accept4_[k];inet_csk_accept_[k] 40',
  'node;start_thread;JS:^runBasicLoop file:///srv/basic-loop.js:10:37_[j];recv;tcp_recvmsg_[k] 25',
  'node;start_thread;JS:^runBasicLoop file:///srv/basic-loop.js:10:37_[j];send;tcp_sendmsg_[k] 20',
  'node;start_thread;JS:*answer file:///srv/answer.js:3:1_[j] 10',
  'node;uv_run;uv__io_poll;epoll_wait;do_epoll_wait_[k] 5',
].join('\n');
export const FOLDED_SAMPLES = 100;

/** The points that get a perf profile: one per server at 64 connections, repeat 0. */
export const PROFILED_IDS = ['basic/undici/c64/r0', 'epoll/undici/c64/r0', 'epoll-pool/undici/c64/r0'];
/** Its folded file is referenced but not written, as when results.json was moved without profiles/. */
export const MISSING_PROFILE_ID = 'epoll-pool/undici/c64/r0';
export const STRACED_ID = 'epoll/undici/c64/r1';

/** Syscalls per request by server, as the servers' counters report them. */
export const SYSCALLS_PER_REQUEST: Record<string, Record<string, number>> = {
  basic: { accept4: 1, recv: 1, send: 1, close: 1 },
  epoll: { recv: 1, send: 1, epoll_wait: 0.5, epoll_ctl: 0.001 },
  'epoll-pool': { recv: 1, send: 1, epoll_wait: 0.25 },
};

const profileStem = (id: string) => id.replaceAll('/', '-');

/** Mutates `results` (from `buildResults`) and writes the profile files under `outDir`. */
export async function addProfiles(results: ResultsFile, outDir: string): Promise<ResultsFile> {
  await mkdir(join(outDir, 'profiles'), { recursive: true });
  for (const p of results.points) {
    if (p.status === 'ok' && p.serverStats) setAccounting(p);
    if (PROFILED_IDS.includes(p.id)) {
      const stem = profileStem(p.id);
      p.profiles = {
        perf: {
          folded: `profiles/${stem}.folded`,
          svg: `profiles/${stem}.svg`,
          samples: FOLDED_SAMPLES,
          frequencyHz: 999,
          event: 'cpu-clock',
        },
      };
      if (p.id !== MISSING_PROFILE_ID) {
        await writeFile(join(outDir, p.profiles.perf!.folded), `${FOLDED}\n`);
        await writeFile(
          join(outDir, p.profiles.perf!.svg),
          '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><title>static</title></svg>\n',
        );
      }
    }
    if (p.id === STRACED_ID) {
      const calls = {
        recvfrom: p.requests,
        sendto: p.requests,
        epoll_wait: Math.round(p.requests / 2),
        futex: Math.round(p.requests / 100),
      };
      p.profiles = {
        ...p.profiles,
        strace: {
          file: 'profiles/strace.txt',
          syscalls: Object.fromEntries(
            Object.entries(calls).map(([k, n]) => [k, { calls: n, errors: 0, seconds: 0.1 }]),
          ),
          callsPerRequest: Object.fromEntries(Object.entries(calls).map(([k, n]) => [k, n / p.requests])),
        },
      };
    }
  }
  return results;
}

/** Counts consistent with `SYSCALLS_PER_REQUEST`, user CPU 40% of the total, 0.5 voluntary switches per request. */
function setAccounting(p: PointResult): void {
  const s = p.serverStats!;
  const per = SYSCALLS_PER_REQUEST[p.server]!;
  s.syscalls = Object.fromEntries(Object.entries(per).map(([k, v]) => [k, Math.round(v * p.requests)]));
  s.syscallsPerRequest = { ...per };
  s.voluntaryCtxSwitches = Math.round(p.requests / 2);
  s.userCpuUsPerRequest = Math.round(s.cpuUsPerRequest * 0.4 * 100) / 100;
  s.systemCpuUsPerRequest = Math.round(s.cpuUsPerRequest * 0.6 * 100) / 100;
}
