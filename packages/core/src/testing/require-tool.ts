/**
 * Skips tests that need an external tool where it is missing, with the reason and the fix:
 * `test('...', { skip: requireTool('wrk') }, ...)`. CI installs every tool, so there they all run.
 */
import { findInPath } from '../process/find-in-path.js';

/** The Debian package that provides each tool the tests use. */
const PACKAGES: Record<string, string> = {
  wrk: 'wrk',
  perf: 'linux-perf',
  strace: 'strace',
  ip: 'iproute2',
  prlimit: 'util-linux',
  setpriv: 'util-linux',
  taskset: 'util-linux',
  openssl: 'openssl',
};

/** Why a test that runs `tool` must skip here (`wrk is not installed (apt-get install wrk)`), or undefined when it is in PATH. */
export function requireTool(tool: string): string | undefined {
  if (findInPath(tool) !== undefined) return undefined;
  return `${tool} is not installed (apt-get install ${PACKAGES[tool] ?? tool})`;
}
