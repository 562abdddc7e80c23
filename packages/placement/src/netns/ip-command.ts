/** Runs ip(8) (iproute2), the tool every namespace and link operation goes through. */
import { execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';
import { IobenchError } from '@iobench/core';
import createDebug from 'debug';

const debug = createDebug('iobench:netns');
const execFileAsync = promisify(execFile);
const IP_TIMEOUT_MS = 10_000;

/** `ip ...args`; throws `IOBENCH_NETNS_FAILED` with ip's own message. Returns stdout. */
export async function ip(args: string[]): Promise<string> {
  debug('ip %s', args.join(' '));
  try {
    const { stdout } = await execFileAsync('ip', args, { timeout: IP_TIMEOUT_MS });
    return stdout;
  } catch (error) {
    const e = error as { stderr?: string; message: string };
    throw new IobenchError(
      'IOBENCH_NETNS_FAILED',
      `\`ip ${args.join(' ')}\` failed: ${(e.stderr || e.message).trim()}`,
      { cause: error },
    );
  }
}

/** Synchronous `ip`, for cleanup in an `exit` handler; failures are ignored (best effort). */
export function ipSync(args: string[]): void {
  try {
    execFileSync('ip', args, { stdio: 'ignore', timeout: IP_TIMEOUT_MS });
  } catch {
    debug('ip %s failed (ignored during cleanup)', args.join(' '));
  }
}

/** Names from `ip netns list` (lines such as `iob-srv-123 (id: 4)`). */
export async function listNamespaces(): Promise<string[]> {
  return (await ip(['netns', 'list']))
    .split('\n')
    .map((line) => line.trim().split(/\s+/)[0] ?? '')
    .filter(Boolean);
}
