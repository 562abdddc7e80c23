/**
 * A server plugin in its own process under `strace -f -c`: the syscalls its I/O model really issues
 * (select, poll, epoll_wait, accept4...), for tests that check a server is what it claims.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ServerStats } from '../plugin/contract.js';
import { startChildServer } from './child-server.js';
import { getRequest, rawRequest } from './raw-http.js';
import { requireTool } from './require-tool.js';

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

/**
 * Starts server `name` of `moduleUrl` under strace, sends `requests` requests (a connection each,
 * `Connection: close`), stops it; returns strace's call counts and the server's own stats.
 */
export async function straceServer(
  moduleUrl: string,
  name: string,
  options: Record<string, unknown> = {},
  requests = 20,
): Promise<{ counts: Record<string, number>; stats: ServerStats }> {
  const dir = mkdtempSync(join(tmpdir(), 'iobench-strace-'));
  const out = join(dir, 'summary.txt');
  try {
    const server = await startChildServer({ moduleUrl, name, options, wrapper: ['strace', '-f', '-c', '-o', out] });
    const { hostname, port } = new URL(server.url);
    for (let i = 0; i < requests; i++) {
      await rawRequest(hostname, Number(port), getRequest({ headers: ['Connection: close'] }));
    }
    const stats = await server.stop();
    return { counts: parseStraceSummary(readFileSync(out, 'utf8')), stats };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
