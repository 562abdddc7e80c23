/**
 * The accounting tables markdown and html render: what a request costs each server (CPU, context
 * switches, syscalls by syscall), and beside it strace's count of the same when the run had
 * `--profile strace`. One pair of tables per sweep group.
 */
import { type AccountingGroup, type AccountingRow, buildAccounting, formatPerRequest } from './accounting.js';
import { paramLabel, type ReportModel } from './sweep-model.js';
import type { TextTable } from './sweep-table.js';

/** A group's tables: the counters, then strace's cross-check when there is one. */
export interface AccountingTables {
  counters: TextTable;
  strace?: TextTable;
}

/** One set of tables per sweep group that measured a server; empty when none did. */
export function accountingTables(model: ReportModel): AccountingTables[] {
  return buildAccounting(model).map((group) => ({
    counters: counterTable(model, group),
    ...(group.straceNames.length > 0 ? { strace: straceTable(model, group) } : {}),
  }));
}

/** What the accounting tables' columns mean, for a line under them; the strace sentence only when there is a strace table. */
export function accountingNote(tables: AccountingTables[]): string {
  const note =
    'Per request, median of the repeats. CPU µs: server user + system CPU (all threads); ' +
    'switches: voluntary (the thread blocked, e.g. in accept or a wait) and involuntary (preempted); ' +
    "syscalls: the servers' own counters (0: not called; -: the server keeps no counters).";
  const strace =
    " strace: strace -c over every thread of the server host, Node's own included, under strace's slowdown.";
  return tables.some((t) => t.strace) ? note + strace : note;
}

function identity(model: ReportModel, r: AccountingRow): string[] {
  return [r.anchor ? `${r.server} (anchor)` : r.server, ...(model.x ? [String(r.x ?? '-')] : [])];
}

function identityHeader(model: ReportModel): string[] {
  return ['server', ...(model.x ? [paramLabel(model.x.key)] : [])];
}

function counterTable(model: ReportModel, group: AccountingGroup): TextTable {
  const header = [
    ...identityHeader(model),
    'CPU µs',
    'user µs',
    'system µs',
    'vol. switches',
    'invol. switches',
    'syscalls',
    ...group.syscallNames,
  ];
  const rows = group.rows.map((r) => [
    ...identity(model, r),
    ...[r.cpuUs, r.userCpuUs, r.systemCpuUs, r.voluntaryCtxSwitches, r.involuntaryCtxSwitches, r.syscallsTotal].map(
      formatPerRequest,
    ),
    ...group.syscallNames.map((name) => (r.syscalls ? formatPerRequest(r.syscalls[name] ?? 0) : '-')),
  ]);
  return { title: group.title, header, numeric: header.map((_, i) => i > 0), rows };
}

function straceTable(model: ReportModel, group: AccountingGroup): TextTable {
  const header = [...identityHeader(model), ...group.straceNames];
  // Only the rows strace ran for: strace slows a server down too much to run beside every point.
  const rows = group.rows
    .filter((r) => r.strace)
    .map((r) => [...identity(model, r), ...group.straceNames.map((name) => formatPerRequest(r.strace![name] ?? 0))]);
  const title = `strace -c calls per request${group.title ? `, ${group.title}` : ''}`;
  return { title, header, numeric: header.map((_, i) => i > 0), rows };
}
