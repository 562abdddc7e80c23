/**
 * What a request costs the server, per sweep row: CPU split user/system, context switches split
 * voluntary/involuntary, syscalls by syscall from the servers' own counters, and `strace -c`'s
 * counts when the run had `--profile strace`. Every figure is the median across the ok repeats.
 *
 * Syscalls per request are recomputed from the raw counts (results round them to two decimals,
 * which turns epoll-pool's accept4 per request into 0).
 */
import { type PointResult, spreadOf } from '@iobench/core';
import type { AggregatedPoint, ReportModel, SweepValue } from './sweep-model.js';

/**
 * Column order for syscall counters: setup calls first, then the per-request path (accept, read,
 * write, close), then the multiplexers, so that select, poll and epoll line up side by side, with
 * io_uring_enter last among them: where io_uring serves, it replaces the wait and the accept, read
 * and write columns at once. Names not listed follow in alphabetical order.
 */
const SYSCALL_ORDER = [
  'socket',
  'setsockopt',
  'bind',
  'listen',
  'getsockname',
  'fcntl',
  'eventfd',
  'epoll_create1',
  'io_uring_setup',
  'io_uring_register',
  'mmap',
  'sched_setaffinity',
  'accept',
  'accept4',
  'recv',
  'recvfrom',
  'read',
  'readv',
  'send',
  'sendto',
  'write',
  'writev',
  'shutdown',
  'close',
  'select',
  'pselect6',
  'poll',
  'ppoll',
  'epoll_ctl',
  'epoll_wait',
  'epoll_pwait',
  'io_uring_enter',
];

/** Per-request cost of one server at one sweep value (medians across ok repeats). */
export interface AccountingRow {
  server: string;
  anchor: boolean;
  x: SweepValue | undefined;
  cpuUs?: number;
  userCpuUs?: number;
  systemCpuUs?: number;
  voluntaryCtxSwitches?: number;
  involuntaryCtxSwitches?: number;
  /** By syscall, from the server's counters; undefined when the server keeps none. */
  syscalls?: Record<string, number>;
  /** Sum of `syscalls`. */
  syscallsTotal?: number;
  /** `strace -c` calls per request by syscall, when the point was profiled with strace. */
  strace?: Record<string, number>;
}

/** Accounting rows of one sweep group, with the syscall columns that occur in it. */
export interface AccountingGroup {
  title: string;
  rows: AccountingRow[];
  /** Counter syscalls that occur in any row, in `SYSCALL_ORDER`. */
  syscallNames: string[];
  /** strace syscalls with a column, in `SYSCALL_ORDER` (empty without strace). */
  straceNames: string[];
}

/** Groups with at least one row that has server figures; empty when no point measured a server. */
export function buildAccounting(model: ReportModel): AccountingGroup[] {
  return model.groups
    .map((group) => {
      const rows = group.rows.map(accountingRow).filter((r): r is AccountingRow => r !== undefined);
      const syscallNames = sortSyscalls(new Set(rows.flatMap((r) => Object.keys(r.syscalls ?? {}))));
      return { title: group.title, rows, syscallNames, straceNames: straceColumns(rows) };
    })
    .filter((g) => g.rows.length > 0);
}

function accountingRow(a: AggregatedPoint): AccountingRow | undefined {
  const measured = a.ok.filter((p) => p.serverStats && p.requests > 0);
  if (measured.length === 0) return undefined;
  const median = (f: (p: PointResult) => number | undefined) =>
    spreadOf(measured.map(f).filter((v): v is number => v !== undefined))?.median;
  const perRequest = (p: PointResult, n: number) => n / p.requests;
  const withCounters = measured.filter((p) => p.serverStats!.syscalls);
  const traced = measured.filter((p) => p.profiles?.strace);
  const row: AccountingRow = {
    server: a.server,
    anchor: a.anchor,
    x: a.x,
    cpuUs: median((p) => p.serverStats!.cpuUsPerRequest),
    userCpuUs: median((p) => p.serverStats!.userCpuUsPerRequest ?? perRequest(p, p.serverStats!.userCpuUs)),
    systemCpuUs: median((p) => p.serverStats!.systemCpuUsPerRequest ?? perRequest(p, p.serverStats!.systemCpuUs)),
    voluntaryCtxSwitches: median((p) => perRequest(p, p.serverStats!.voluntaryCtxSwitches)),
    involuntaryCtxSwitches: median((p) => perRequest(p, p.serverStats!.involuntaryCtxSwitches)),
  };
  if (withCounters.length > 0) {
    row.syscalls = medianByName(withCounters, (p) => p.serverStats!.syscalls!);
    row.syscallsTotal = spreadOf(
      withCounters.map((p) => Object.values(p.serverStats!.syscalls!).reduce((s, n) => s + n, 0) / p.requests),
    )!.median;
  }
  if (traced.length > 0) {
    row.strace = medianByName(traced, (p) =>
      Object.fromEntries(Object.entries(p.profiles!.strace!.syscalls).map(([name, c]) => [name, c.calls])),
    );
  }
  return row;
}

/** Per-request median by name; a repeat that did not call a syscall counts as 0 for it. */
function medianByName(
  points: PointResult[],
  counts: (p: PointResult) => Record<string, number>,
): Record<string, number> {
  const perPoint = points.map((p) => ({ requests: p.requests, counts: counts(p) }));
  const names = new Set(perPoint.flatMap((p) => Object.keys(p.counts)));
  const out: Record<string, number> = {};
  for (const name of names) out[name] = spreadOf(perPoint.map((p) => (p.counts[name] ?? 0) / p.requests))!.median;
  return out;
}

/** Canonical order for counter names (see `SYSCALL_ORDER`). */
export function sortSyscalls(names: Iterable<string>): string[] {
  const rank = (n: string) => {
    const i = SYSCALL_ORDER.indexOf(n);
    return i === -1 ? SYSCALL_ORDER.length : i;
  };
  return [...names].sort((a, b) => rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0));
}

/** strace syscalls worth a column: at least 0.01 calls per request somewhere, the 14 busiest at most, in counter order. */
const STRACE_MAX_COLUMNS = 14;
const STRACE_MIN_PER_REQUEST = 0.01;

function straceColumns(rows: AccountingRow[]): string[] {
  const peak = new Map<string, number>();
  for (const r of rows)
    for (const [name, v] of Object.entries(r.strace ?? {})) peak.set(name, Math.max(peak.get(name) ?? 0, v));
  const busiest = [...peak]
    .filter(([, v]) => v >= STRACE_MIN_PER_REQUEST)
    .sort((a, b) => b[1] - a[1])
    .slice(0, STRACE_MAX_COLUMNS)
    .map(([name]) => name);
  return sortSyscalls(busiest);
}

/**
 * A per-request figure, readable at any size: 41.9, 1.01, 0.16, 0.00085. Two significant digits
 * below 0.01 so that a syscall made once per thousand requests does not read as zero.
 */
export function formatPerRequest(n: number | undefined): string {
  if (n === undefined || !Number.isFinite(n)) return '-';
  if (n === 0) return '0';
  if (n >= 100) return Math.round(n).toLocaleString('en-US');
  if (n >= 10) return (Math.round(n * 10) / 10).toFixed(1);
  if (n >= 0.01) return (Math.round(n * 100) / 100).toFixed(2);
  return String(Number(n.toPrecision(2)));
}
