/**
 * The accounting tables markdown and html render: what a request costs each server (CPU, context
 * switches, syscalls by syscall), where a request's CPU goes on the server and the generator side
 * by side (user, system, softirq, syscalls, switches) — the generator alone for a `--target` run —
 * and strace's count of the server's syscalls when the run had `--profile strace`. One set of
 * tables per sweep group.
 */
import { type AccountingGroup, type AccountingRow, buildAccounting, formatPerRequest } from './accounting.js';
import { type BreakdownRow, breakdownRows, type SideCost } from './breakdown.js';
import { paramLabel, type ReportModel } from './sweep-model.js';
import type { TextTable } from './sweep-table.js';

/** A group's tables: the counters, server and generator side by side, then strace's cross-check when there is one. */
export interface AccountingTables {
  /** What a request costs each server; absent for a group that measured no server (`--target`). */
  counters?: TextTable;
  /** Where a request's CPU goes, server and generator side by side, or the generator alone (see breakdown.ts). */
  breakdown?: TextTable;
  /** The breakdown has no server side: no row measured a server. */
  generatorOnly?: boolean;
  strace?: TextTable;
}

/**
 * One set of tables per sweep group that measured a server or the generator's cost; empty when
 * nothing was measured beyond the totals.
 */
export function accountingTables(model: ReportModel): AccountingTables[] {
  const accounting = new Map(buildAccounting(model).map((g) => [g.title, g]));
  return model.groups.flatMap((group) => {
    const counters = accounting.get(group.title);
    const rows = breakdownRows(group.rows);
    if (!counters && rows.length === 0) return [];
    const generatorOnly = rows.every((r) => !r.serverSide);
    return [
      {
        ...(counters ? { counters: counterTable(model, counters) } : {}),
        ...(rows.length > 0
          ? {
              breakdown: breakdownTable(model, group.title, rows, generatorOnly),
              ...(generatorOnly ? { generatorOnly } : {}),
            }
          : {}),
        ...(counters && counters.straceNames.length > 0 ? { strace: straceTable(model, counters) } : {}),
      },
    ];
  });
}

/** What the accounting tables' columns mean, for a line under them: a sentence for each kind of table shown. */
export function accountingNote(tables: AccountingTables[]): string {
  const counters =
    ' CPU µs: server user + system CPU (all threads); ' +
    'switches: voluntary (the thread blocked, e.g. in accept or a wait) and involuntary (preempted); ' +
    "syscalls: the servers' own counters (0: not called; -: the server keeps no counters).";
  const generatorCpu = "the whole iobench process for in-process generators, wrk's own getrusage";
  const counted =
    'syscalls the syscall layer counted (- where not counted), context switches (voluntary + involuntary).';
  const machine =
    ' softirq, machine: every CPU together, whatever else ran; on loopback the TCP receive path runs in softirq on' +
    ' the sending CPU, charged to neither process.';
  const bothSides =
    ` Server and generator: user and system CPU µs (the generator: ${generatorCpu}), softirq µs on the side's own` +
    ` CPUs when server and generator were pinned apart (--server-cpus, --load-cpus; else -), ${counted}${machine}`;
  const generatorOnly = ` Generator: user and system CPU µs (${generatorCpu}), ${counted}${machine}`;
  const strace =
    " strace: strace -c over every thread of the server host, Node's own included, under strace's slowdown.";
  return [
    'Per request, median of the repeats.',
    tables.some((t) => t.counters) ? counters : '',
    tables.some((t) => t.breakdown && !t.generatorOnly) ? bothSides : '',
    tables.some((t) => t.generatorOnly) ? generatorOnly : '',
    tables.some((t) => t.strace) ? strace : '',
  ].join('');
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

/**
 * Server and generator side by side; the generator alone when iobench started no server of the
 * group and so has no figures of it.
 */
function breakdownTable(
  model: ReportModel,
  groupTitle: string,
  rows: BreakdownRow[],
  generatorOnly: boolean,
): TextTable {
  type Side = [side: string, cost: (r: BreakdownRow) => SideCost | undefined];
  const server: Side = ['server', (r) => r.serverSide];
  const generator: Side = ['generator', (r) => r.generator];
  const sides = generatorOnly ? [generator] : [server, generator];
  const columns = sides.flatMap(([side, cost]) => [
    { header: `${side} user µs`, cell: (r: BreakdownRow) => cost(r)?.userCpuUs },
    { header: `${side} sys µs`, cell: (r: BreakdownRow) => cost(r)?.systemCpuUs },
    // A side's own softirq needs the server pinned apart from the generator, which a server iobench did not start never is.
    ...(generatorOnly ? [] : [{ header: `${side} softirq µs`, cell: (r: BreakdownRow) => cost(r)?.softirqUs }]),
    { header: `${side} syscalls`, cell: (r: BreakdownRow) => cost(r)?.syscalls },
    { header: `${side} switches`, cell: (r: BreakdownRow) => cost(r)?.ctxSwitches },
  ]);
  columns.push({ header: 'softirq µs, machine', cell: (r) => r.machineSoftirqUs });
  const header = [...identityHeader(model), 'load', ...columns.map((c) => c.header)];
  const body = rows.map((r) => [...identity(model, r), r.load, ...columns.map((c) => formatPerRequest(c.cell(r)))]);
  const sidesTitle = generatorOnly
    ? 'generator only (no server figures: iobench did not start the server)'
    : 'server and generator';
  const title = `Where a request's CPU goes, ${sidesTitle}${groupTitle ? `, ${groupTitle}` : ''}`;
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
