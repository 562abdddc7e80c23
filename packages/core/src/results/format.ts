/** How reporters, messages and tables write counts, latencies, durations and tables. */

/** Cells that right-align: numbers with an optional unit (1,234  0.61x  850µs  1.53ms  12%  3/16  5,000 → 4,990  1.2MiB/s), or empty. */
const NUMERIC_CELL = /^(-|[-+]?[\d.,]+(x|%|µs|ms|s|[KMG]?i?B\/s)?|\d+\/\d+|[\d.,]+ → [\d.,]+)?$/;

/** Renders rows as an aligned text table; numeric-looking columns are right-aligned. */
export function renderTable(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const numeric = header.map((_, i) => rows.length > 0 && rows.every((r) => NUMERIC_CELL.test(r[i] ?? '')));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (numeric[i] ? c.padStart(widths[i]!) : c.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  return [line(header), widths.map((w) => '─'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

/** 12345.6 -> "12,346"; small values keep one decimal. */
export function formatCount(n: number): string {
  if (!Number.isFinite(n)) return '-';
  return n >= 100 ? Math.round(n).toLocaleString('en-US') : String(Math.round(n * 10) / 10);
}

/** Microseconds as a human latency: 850 -> "850µs", 1530 -> "1.53ms", 2_400_000 -> "2.40s". */
export function formatLatencyUs(us: number): string {
  if (us < 1000) return `${Math.round(us)}µs`;
  if (us < 1_000_000) return `${(us / 1000).toFixed(2)}ms`;
  return `${(us / 1_000_000).toFixed(2)}s`;
}

/** Bytes per second in binary units, as wrk's Transfer/sec: 512 -> "512B/s", 1_320_000 -> "1.26MiB/s". */
export function formatBytesPerSec(bytesPerSec: number): string {
  const units = ['B/s', 'KiB/s', 'MiB/s', 'GiB/s'];
  let value = bytesPerSec;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${Math.round(value)}${units[0]}` : `${value.toFixed(2)}${units[unit]}`;
}

/** `1500` -> `1.5s`, `250` -> `250ms`, `120000` -> `2m`, `3600000` -> `1h`: for messages, plan lines and tables. */
export function formatDurationMs(ms: number): string {
  if (ms >= 3_600_000 && ms % 3_600_000 === 0) return `${ms / 3_600_000}h`;
  if (ms >= 60_000 && ms % 60_000 === 0) return `${ms / 60_000}m`;
  if (ms >= 1000) return `${Number((ms / 1000).toFixed(3))}s`;
  return `${Number(ms.toFixed(3))}ms`;
}
