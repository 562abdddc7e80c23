/**
 * Runs a server plugin in its own process under `strace -f -c`, drives a few requests at it and returns
 * strace's per-syscall call counts, so tests can check the I/O model issues the syscalls it claims.
 */

import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ServerStats } from '@iobench/core';
import { requireTool } from '@iobench/core/testing';
import { startChildServer } from './child-server.js';
import { exchange } from './http-exchange.js';

/** Why strace-based tests must skip here, or undefined when strace works. */
export function straceUnavailable(): string | undefined {
  const missing = requireTool('strace');
  if (missing) return missing;
  const probe = spawnSync('strace', ['-f', '-c', '-o', '/dev/null', 'true']);
  if (probe.status !== 0) return `strace cannot trace here (ptrace not permitted?): ${String(probe.stderr).trim()}`;
  return undefined;
}

/** Parses `strace -c` output into `{ syscall: calls }`. */
export function parseStraceSummary(text: string): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const line of text.split('\n')) {
    const fields = line.trim().split(/\s+/);
    if (fields.length < 5 || !/^\d/.test(fields[0]!) || fields.at(-1) === 'total') continue;
    counts[fields.at(-1)!] = Number(fields[3]);
  }
  return counts;
}

/** Starts `name` from `pkg` under strace, sends `requests` requests (one connection each), stops it. */
export async function straceServer(
  pkg: string,
  name: string,
  options: Record<string, unknown> = {},
  requests = 20,
): Promise<{ counts: Record<string, number>; stats: ServerStats }> {
  const dir = mkdtempSync(join(tmpdir(), 'iobench-strace-'));
  const out = join(dir, 'summary.txt');
  try {
    const server = await startChildServer(['strace', '-f', '-c', '-o', out], pkg, name, options);
    for (let i = 0; i < requests; i++) {
      await exchange(server.url, 'GET / HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n');
    }
    const stats = await server.stop();
    return { counts: parseStraceSummary(readFileSync(out, 'utf8')), stats };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
