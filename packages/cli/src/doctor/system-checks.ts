/** Doctor checks that try the real thing: a perf sample, a namespace created and deleted, pinning. */
import { execFile } from 'node:child_process';
import os from 'node:os';
import { promisify } from 'node:util';
import { toolVersion } from '@iobench/engine/env';
import { missingForNetns, perfEventParanoid } from '@iobench/placement';
import type { Check } from './checks.js';

const execFileAsync = promisify(execFile);
const TRY_TIMEOUT_MS = 10_000;

/** perf installed, allowed to sample (perf_event_paranoid), and able to open a cpu-clock event here. */
export async function checkPerf(): Promise<Check> {
  const v = await toolVersion('perf', ['--version']);
  if (!v)
    return {
      name: 'perf',
      status: 'warn',
      detail: 'not found (needed for --profile perf)',
      fix: 'apt-get install linux-perf (Debian) or linux-tools-$(uname -r) (Ubuntu)',
    };
  const paranoid = perfEventParanoid();
  const root = process.getuid?.() === 0;
  const detail = `${v}, kernel.perf_event_paranoid=${paranoid ?? '?'}${root ? ' (running as root)' : ''}`;
  if (!root && paranoid !== undefined && paranoid > 1) {
    return {
      name: 'perf',
      status: 'warn',
      detail: `${detail}: kernel stacks hidden from non-root users`,
      fix: 'sysctl -w kernel.perf_event_paranoid=1, or run iobench as root',
    };
  }
  try {
    await execFileAsync('perf', ['stat', '-e', 'cpu-clock', '-x', ',', 'true'], { timeout: TRY_TIMEOUT_MS });
    return { name: 'perf', status: 'ok', detail: `${detail}; cpu-clock sampling works (--profile perf)` };
  } catch (error) {
    const why = ((error as { stderr?: string }).stderr ?? (error as Error).message).trim().split('\n')[0];
    return {
      name: 'perf',
      status: 'warn',
      detail: `${detail}, but perf cannot open events here: ${why}`,
      fix: 'Allow perf_event_open (container: --cap-add PERFMON or SYS_ADMIN, seccomp profile), or lower kernel.perf_event_paranoid.',
    };
  }
}

export async function checkStrace(): Promise<Check> {
  const v = await toolVersion('strace', ['-V']);
  return v
    ? { name: 'strace', status: 'ok', detail: `${v} (--profile strace)` }
    : {
        name: 'strace',
        status: 'warn',
        detail: 'not found (needed for --profile strace)',
        fix: 'apt-get install strace',
      };
}

/** Permission for --netns, tried for real: a namespace is created and deleted. */
export async function checkNetns(): Promise<Check> {
  const missing = await missingForNetns();
  if (missing.length > 0) {
    return {
      name: 'network namespaces',
      status: 'warn',
      detail: `--netns unavailable: missing ${missing.map((m) => m.what).join('; ')}`,
      fix: [...new Set(missing.map((m) => m.fix))].join(' '),
    };
  }
  const name = `iob-doctor-${process.pid}`;
  try {
    await execFileAsync('ip', ['netns', 'add', name], { timeout: TRY_TIMEOUT_MS });
    await execFileAsync('ip', ['netns', 'delete', name], { timeout: TRY_TIMEOUT_MS });
    return { name: 'network namespaces', status: 'ok', detail: 'created and deleted a namespace (--netns available)' };
  } catch (error) {
    await execFileAsync('ip', ['netns', 'delete', name]).catch(() => undefined);
    const why = ((error as { stderr?: string }).stderr ?? (error as Error).message).trim().split('\n')[0];
    return {
      name: 'network namespaces',
      status: 'warn',
      detail: `could not create a namespace: ${why}`,
      fix: 'Run as root with /run/netns writable (a container needs --privileged or CAP_SYS_ADMIN).',
    };
  }
}

/** io_uring tried for real (a ring set up, its ops probed): whether the io-uring server can run here. */
export async function checkIoUring(): Promise<Check> {
  let sys: typeof import('@iobench/syscalls');
  try {
    sys = await import('@iobench/syscalls');
  } catch {
    return {
      name: 'io_uring',
      status: 'warn',
      detail: 'not checked: the syscall addon does not load (see "syscall addon")',
      fix: 'Run `npm run build`.',
    };
  }
  const support = sys.ioUringSupport();
  if (!support.available) {
    return {
      name: 'io_uring',
      status: 'warn',
      detail: `io-uring server unavailable, and the native generator runs on epoll: ${support.reason}`,
      fix: support.fix,
    };
  }
  return {
    name: 'io_uring',
    status: 'ok',
    detail: `a ring was set up and probed (Linux ${os.release()}, kernel.io_uring_disabled=${sys.ioUringDisabledSysctl() ?? 'absent'}): io-uring server available`,
  };
}

/** CPU count, and whether pinning server and load apart is possible (taskset, two CPUs in our affinity). */
export async function checkCpus(): Promise<Check> {
  const n = os.cpus().length;
  const model = os.cpus()[0]?.model.trim() ?? 'unknown';
  let allowed: string | undefined;
  try {
    const { stdout } = await execFileAsync('taskset', ['--cpu-list', '--pid', String(process.pid)], {
      timeout: TRY_TIMEOUT_MS,
    });
    allowed = stdout.trim().split(':').pop()?.trim();
  } catch {
    return {
      name: 'CPUs',
      status: 'warn',
      detail: `${n} × ${model}; taskset not usable, so --server-cpus/--load-cpus cannot pin`,
      fix: 'apt-get install util-linux',
    };
  }
  const usable = os.availableParallelism?.() ?? n;
  if (usable < 2) {
    return {
      name: 'CPUs',
      status: 'warn',
      detail: `${n} × ${model}, ${usable} usable (affinity ${allowed}): server and load generator share a CPU`,
      fix: 'Use a machine (or container CPU set) with 2+ CPUs; meanwhile compare CPU µs per request, not req/s.',
    };
  }
  const [first, second] = cpuListFirstTwo(allowed ?? `0-${n - 1}`);
  return {
    name: 'CPUs',
    status: 'ok',
    detail: `${n} × ${model}; affinity ${allowed}: pinning possible, e.g. --server-cpus ${first} --load-cpus ${second}`,
  };
}

/** The first two CPUs of a taskset list such as `0-3` or `2,5`. */
function cpuListFirstTwo(list: string): [number, number] {
  const cpus: number[] = [];
  for (const part of list.split(',')) {
    const [a, b] = part.split('-').map(Number) as [number, number | undefined];
    for (let c = a; c <= (b ?? a) && cpus.length < 2; c++) cpus.push(c);
  }
  return [cpus[0] ?? 0, cpus[1] ?? 1];
}
