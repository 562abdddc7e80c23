/**
 * Results as Markdown fit for a pull-request comment: the environment in one line, the capacity
 * each search found (`--find-capacity`), then the results table (a column per varied parameter,
 * repeats as median and range, generator-bound and overloaded figures marked) and the footnotes
 * that apply; then
 * what a request costs each server (CPU, context switches, syscalls by syscall, strace's counts).
 */
import type { ResultsFile } from '@iobench/core';
import { accountingNote, accountingTables } from './model/accounting-table.js';
import { CAPACITY_LEGEND, capacityTable } from './model/capacity-table.js';
import { buildReportModel } from './model/sweep-model.js';
import { environmentLine, planLine, sweepTable, type TextTable, tableLegend, tableNotes } from './model/sweep-table.js';

/** Renders a results file as Markdown. */
export function renderMarkdown(results: ResultsFile, heading: string): string {
  const model = buildReportModel(results);
  const parts = [
    `### ${heading}`,
    '',
    `**Environment:** ${escapeMd(environmentLine(results))}`,
    '',
    `**Plan:** ${escapeMd(planLine(results))}`,
  ];
  if (results.status !== 'complete')
    parts.push('', `**Run status:** ${results.status} — the tables hold the points that finished.`);
  const capacity = capacityTable(model.capacity);
  if (capacity) parts.push('', '#### Capacity', '', markdownTable(capacity), '', escapeMd(CAPACITY_LEGEND));
  const table = sweepTable(model, { p50: true });
  if (table.rows.length > 0) parts.push('', markdownTable(table));
  const notes = tableNotes(model);
  if (notes.length > 0) parts.push('', ...notes.map((n) => `- ${escapeMd(n)}`));
  if (table.rows.length > 0) parts.push('', escapeMd(tableLegend(model)));
  const accounting = accountingTables(model);
  if (accounting.length > 0) {
    parts.push('', '#### Accounting per request');
    for (const { counters, breakdown, strace } of accounting) {
      for (const table of [counters, breakdown, strace].filter((t) => t !== undefined)) {
        parts.push('');
        if (table.title) parts.push(`**${escapeMd(table.title)}**`, '');
        parts.push(markdownTable(table));
      }
    }
    parts.push('', escapeMd(accountingNote(accounting)));
  }
  return `${parts.join('\n')}\n`;
}

/** A GitHub-flavoured Markdown table; numeric columns right-aligned. */
function markdownTable(table: TextTable): string {
  const row = (cells: string[]) => `| ${cells.map(escapeCell).join(' | ')} |`;
  const align = table.numeric.map((n) => (n ? '---:' : '---'));
  return [row(table.header), `| ${align.join(' | ')} |`, ...table.rows.map(row)].join('\n');
}

function escapeCell(text: string): string {
  return escapeMd(text).replaceAll('|', '\\|');
}

/** Keeps user-provided text (server names, error messages) from turning into markup. */
function escapeMd(text: string): string {
  return text.replace(/([\\`*_[\]<>])/g, '\\$1').replaceAll('\n', ' ');
}
