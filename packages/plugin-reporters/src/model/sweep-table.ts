/**
 * The table per sweep that markdown and html render: one row per server and sweep value, repeats
 * as median and range, generator-bound points marked with a dagger and explained in a footnote.
 */
import type { ResultsFile } from '@iobench/core';
import { formatCount, formatLatencyUs } from '@iobench/core/reporters';
import type { Range } from './range.js';
import { type AggregatedPoint, paramLabel, type ReportModel, type SweepGroup } from './sweep-model.js';

/** Marks a generator-bound figure in tables. */
export const DAGGER = '†';

/** A rendered table: cell text only, so that markdown and html escape it their own way. */
export interface TextTable {
  title: string;
  header: string[];
  /** Right-align these columns (numbers). */
  numeric: boolean[];
  rows: string[][];
}

/** One table per sweep group. */
export function sweepTables(model: ReportModel): TextTable[] {
  return model.groups.map((group) => sweepTable(model, group));
}

function sweepTable(model: ReportModel, group: SweepGroup): TextTable {
  const xHeader = model.x ? [paramLabel(model.x.key)] : [];
  const header = [
    'server',
    ...xHeader,
    'req/s',
    'req/s range',
    'p99',
    'p99 range',
    'CPU µs/req',
    'errors',
    'starved',
    'repeats',
  ];
  const numeric = header.map((h) => h !== 'server');
  const rows = group.rows.map((a) => [
    a.anchor ? `${a.server} (anchor)` : a.server,
    ...(model.x ? [String(a.x ?? '-')] : []),
    ...figures(a),
  ]);
  return { title: group.title, header, numeric, rows };
}

function figures(a: AggregatedPoint): string[] {
  const repeats = `${a.ok.length}/${a.ok.length + a.failures.length}`;
  if (!a.rps) {
    const why = a.failures[0]?.status === 'interrupted' ? 'interrupted' : 'failed';
    return [why, '', '', '', '', '', '', repeats];
  }
  const dagger = a.generatorBoundRepeats > 0 ? ` ${DAGGER}` : '';
  return [
    `${formatCount(a.rps.median)}${dagger}`,
    spread(a.rps, formatCount),
    a.p99Us ? formatLatencyUs(a.p99Us.median) : '-',
    a.p99Us ? spread(a.p99Us, formatLatencyUs) : '-',
    a.cpuUsPerRequest ? formatCount(a.cpuUsPerRequest.median) : '-',
    formatCount(a.errors),
    a.starved ? `${a.starved.count}/${a.starved.connections}` : '0',
    repeats,
  ];
}

/** `min–max`, or `-` for a single repeat (no spread to show). */
function spread(range: Range, format: (n: number) => string): string {
  return range.count < 2 ? '-' : `${format(range.min)}–${format(range.max)}`;
}

/** Footnotes for the tables: generator-bound, starvation, failures. */
export function tableNotes(model: ReportModel): string[] {
  const all = model.groups.flatMap((g) => g.rows);
  const notes: string[] = [];
  if (all.some((a) => a.generatorBoundRepeats > 0)) {
    notes.push(
      `${DAGGER} generator-bound: the load generator, not the server, was the bottleneck in at least one repeat; req/s there is a lower bound, compare CPU µs/req instead.`,
    );
  }
  if (all.some((a) => a.starved)) {
    notes.push(
      'starved: connections that completed no request in the worst repeat (head-of-line starvation), out of all connections.',
    );
  }
  for (const a of all) {
    for (const p of a.failures) notes.push(`${p.id}: ${p.status}${p.error ? `: ${p.error.message}` : ''}`);
  }
  return notes;
}

/** The run's environment in one line. */
export function environmentLine(results: ResultsFile): string {
  const env = results.env;
  const parts = [
    `${env.platform} ${env.kernel} ${env.arch}`,
    `${env.cpuModel} × ${env.cpuCount}`,
    `${(env.memoryBytes / 2 ** 30).toFixed(1)} GiB`,
    `Node ${env.node}`,
    `iobench ${env.iobench}`,
  ];
  if (env.gitCommit) parts.push(`commit ${env.gitCommit.slice(0, 10)}`);
  for (const [tool, output] of Object.entries(env.tools ?? {})) {
    // Version lines carry extras (`wrk 4.1.0 [epoll] Copyright (C) ...`): keep the version.
    const version = output.replace(/\s*(\[|\(|Copyright).*$/, '');
    parts.push(version.startsWith(tool) ? version : `${tool} ${version}`);
  }
  if (env.pinning?.serverCpus) parts.push(`server on CPUs ${env.pinning.serverCpus}`);
  if (env.pinning?.loadCpus) parts.push(`load on CPUs ${env.pinning.loadCpus}`);
  if (env.fdLimit !== undefined) parts.push(`ulimit -n ${env.fdLimit}`);
  return parts.join(' · ');
}

/** The plan in one line: what was asked for. */
export function planLine(results: ResultsFile): string {
  const plan = results.plan;
  const seconds = (ms: number) => `${ms / 1000}s`;
  const parts = [
    plan.target ? `target ${plan.target}` : `servers ${plan.servers.join(', ')}`,
    ...(plan.anchors?.length ? [`anchors ${plan.anchors.map((a) => a.name).join(', ')}`] : []),
    `load ${(plan.loads ?? [plan.load]).join(', ')}`,
    `connections ${plan.connections.join(', ')}`,
    `threads ${plan.threads.join(', ')}`,
    `duration ${seconds(plan.durationMs)}`,
    `warm-up ${seconds(plan.warmupMs)}`,
    `${plan.repeat} repeat(s)`,
  ];
  if (plan.idleConnections.some((n) => n > 0)) parts.push(`idle connections ${plan.idleConnections.join(', ')}`);
  if (plan.rate?.length) parts.push(`rate ${plan.rate.join(', ')} req/s`);
  if (plan.bodySize?.length) parts.push(`body ${plan.bodySize.join(', ')} B`);
  if (plan.work?.length) parts.push(`work ${plan.work.join(', ')}`);
  if (plan.pipelining > 1) parts.push(`pipelining ${plan.pipelining}`);
  parts.push(`${plan.pointCount} points`);
  return parts.join(' · ');
}
