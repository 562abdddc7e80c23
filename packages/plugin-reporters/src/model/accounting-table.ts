/**
 * The accounting tables markdown and html render: what a request costs each server (CPU, context
 * switches, syscalls by syscall), where a request's CPU goes on the server and the generator side
 * by side (user, system, softirq, syscalls, switches), and strace's count of the server's syscalls
 * when the run had `--profile strace`. One set of tables per sweep group.
 */
import { type AccountingGroup, type AccountingRow, buildAccounting, formatPerRequest } from './accounting.js';
import { type BreakdownRow, breakdownRows, type SideCost } from './breakdown.js';
import { paramLabel, type ReportModel } from './sweep-model.js';
import type { TextTable } from './sweep-table.js';

/** A group's tables: the counters, server and generator side by side, then strace's cross-check when there is one. */
export interface AccountingTables {
  counters: TextTable;
  /** Where a request's CPU goes, server and generator side by side (see breakdown.ts). */
  breakdown?: TextTable;
  strace?: TextTable;
}

/** One set of tables per sweep group that measured a server; empty when none did. */
export function accountingTables(model: ReportModel): AccountingTables[] {
  const pointsByGroup = new Map(model.groups.map((g) => [g.title, g.rows]));
  return buildAccounting(model).map((group) => {
    const breakdown = breakdownRows(pointsByGroup.get(group.title) ?? []);
    return {
      counters: counterTable(model, group),
      ...(breakdown.length > 0 ? { breakdown: breakdownTable(model, group.title, breakdown) } : {}),
      ...(group.straceNames.length > 0 ? { strace: straceTable(model, group) } : {}),
    };
  });
}

/** What the accounting tables' columns mean, for a line under them; the strace sentence only when there is a strace table. */
export function accountingNote(tables: AccountingTables[]): string {
  const note =
    'Per request, median of the repeats. CPU µs: server user + system CPU (all threads); ' +
    'switches: voluntary (the thread blocked, e.g. in accept or a wait) and involuntary (preempted); ' +
    "syscalls: the servers' own counters (0: not called; -: the server keeps no counters).";
  const breakdown =
    ' Server and generator: user and system CPU µs (the generator: the whole iobench process for in-process' +
    " generators, wrk's own getrusage), softirq µs on the side's own CPUs when server and generator were" +
    ' pinned apart (--server-cpus, --load-cpus; else -), syscalls the syscall layer counted (- where not' +
    ' counted), context switches (voluntary + involuntary). softirq, machine: every CPU together, whatever' +
    ' else ran; on loopback the TCP receive path runs in softirq on the sending CPU, charged to neither process.';
  const strace =
    " strace: strace -c over every thread of the server host, Node's own included, under strace's slowdown.";
  return note + (tables.some((t) => t.breakdown) ? breakdown : '') + (tables.some((t) => t.strace) ? strace : '');
}

function identity(model: ReportModel, r: Pick<AccountingRow, 'anchor' | 'server' | 'x'>): string[] {
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

function breakdownTable(model: ReportModel, groupTitle: string, rows: BreakdownRow[]): TextTable {
  const sideHeader = (side: string) => [
    `${side} user µs`,
    `${side} sys µs`,
    `${side} softirq µs`,
    `${side} syscalls`,
    `${side} switches`,
  ];
  const header = [
    ...identityHeader(model),
    'load',
    ...sideHeader('server'),
    ...sideHeader('generator'),
    'softirq µs, machine',
  ];
  const sideCells = (c: SideCost | undefined) =>
    [c?.userCpuUs, c?.systemCpuUs, c?.softirqUs, c?.syscalls, c?.ctxSwitches].map(formatPerRequest);
  const body = rows.map((r) => [
    ...identity(model, r),
    r.load,
    ...sideCells(r.serverSide),
    ...sideCells(r.generator),
    formatPerRequest(r.machineSoftirqUs),
  ]);
  const title = `Where a request's CPU goes, server and generator${groupTitle ? `, ${groupTitle}` : ''}`;
  const textColumns = identityHeader(model).length + 1;
  return { title, header, numeric: header.map((_, i) => i >= textColumns), rows: body };
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
