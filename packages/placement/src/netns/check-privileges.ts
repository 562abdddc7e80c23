/**
 * What `--netns` needs, checked before anything starts: ip(8), and the capabilities to create
 * namespaces (CAP_SYS_ADMIN) and configure links in them (CAP_NET_ADMIN) — root has both.
 */
import { readFileSync } from 'node:fs';
import { IobenchError } from '@iobench/core';
import { toolVersion } from '@iobench/engine/env';

const CAP_NET_ADMIN = 12;
const CAP_SYS_ADMIN = 21;

/** The effective capability set of this process, from /proc/self/status. */
export function effectiveCapabilities(): bigint | undefined {
  try {
    const line = readFileSync('/proc/self/status', 'utf8')
      .split('\n')
      .find((l) => l.startsWith('CapEff:'));
    return line ? BigInt(`0x${line.split(/\s+/)[1]}`) : undefined;
  } catch {
    return undefined;
  }
}

/** What is missing for `--netns`, in words, with the fix for each; empty when nothing is. */
export async function missingForNetns(): Promise<Array<{ what: string; fix: string }>> {
  const missing: Array<{ what: string; fix: string }> = [];
  if (process.platform !== 'linux')
    return [{ what: `network namespaces need Linux (this is ${process.platform})`, fix: 'Run on Linux.' }];
  if (!(await toolVersion('ip', ['-V'])))
    missing.push({ what: 'ip(8) is not installed', fix: 'apt-get install iproute2' });
  const caps = effectiveCapabilities();
  const has = (bit: number) => caps !== undefined && (caps & (1n << BigInt(bit))) !== 0n;
  if (!has(CAP_SYS_ADMIN))
    missing.push({
      what: 'CAP_SYS_ADMIN (to create network namespaces)',
      fix: 'Run iobench as root (e.g. sudo), or grant CAP_SYS_ADMIN.',
    });
  if (!has(CAP_NET_ADMIN))
    missing.push({
      what: 'CAP_NET_ADMIN (to create and configure the veth pair)',
      fix: 'Run iobench as root (e.g. sudo), or grant CAP_NET_ADMIN.',
    });
  return missing;
}

/** Throws `IOBENCH_NETNS_UNAVAILABLE` naming everything `--netns` lacks here. */
export async function checkNetnsPrivileges(): Promise<void> {
  const missing = await missingForNetns();
  if (missing.length > 0) {
    throw new IobenchError(
      'IOBENCH_NETNS_UNAVAILABLE',
      `--netns cannot run: missing ${missing.map((m) => m.what).join('; ')}`,
      {
        suggestions: [...new Set(missing.map((m) => m.fix))],
      },
    );
  }
}
