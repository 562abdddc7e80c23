/**
 * Whether this process can use io_uring, tried for real: a small ring is set up and its ops probed
 * (IORING_REGISTER_PROBE). When it cannot, the answer says why in terms a user can act on: the
 * sysctl, a seccomp filter (containers), or a kernel too old for what the iobench server needs.
 */
import { readFileSync } from 'node:fs';
import { constants as c } from './constants.js';
import { native, type SyscallError } from './native.js';

/** What `ioUringSupport` found. */
export type IoUringSupport =
  | {
      available: true;
      /** IORING_FEAT_* bits. */
      features: number;
      /** Opcodes the kernel supports (index = opcode). */
      ops: boolean[];
    }
  | IoUringUnavailable;

/** Why io_uring cannot be used here, and what to do about it. */
export interface IoUringUnavailable {
  available: false;
  reason: string;
  fix: string;
}

/** kernel.io_uring_disabled (0 allowed, 1 only for kernel.io_uring_group, 2 nobody); undefined if absent. */
export function ioUringDisabledSysctl(): number | undefined {
  try {
    return Number(readFileSync('/proc/sys/kernel/io_uring_disabled', 'utf8').trim());
  } catch {
    return undefined;
  }
}

/** Ops the iobench io_uring server cannot do without, and the Linux release that brought each. */
const REQUIRED_OPS: Array<[name: string, since: string]> = [
  ['IORING_OP_ACCEPT', '5.5'],
  ['IORING_OP_ASYNC_CANCEL', '5.5'],
  ['IORING_OP_POLL_ADD', '5.1'],
  ['IORING_OP_SEND', '5.6'],
  ['IORING_OP_RECV', '5.6'],
];

/** Probes io_uring in this process (one io_uring_setup, one register, one close). */
export function ioUringSupport(): IoUringSupport {
  let ring: ReturnType<typeof native.ioUringSetup>;
  try {
    ring = native.ioUringSetup(4, 0, 0);
  } catch (error) {
    return explainSetupFailure(-(error as SyscallError).errno, ioUringDisabledSysctl());
  }
  try {
    const probe = new Uint8Array(16 + 256 * 8);
    const rc = native.ioUringRegister(ring.fd, c.IORING_REGISTER_PROBE, probe, 256);
    if (rc < 0) {
      return {
        available: false,
        reason: `io_uring works but cannot be probed (IORING_REGISTER_PROBE: errno ${-rc}): the kernel is older than 5.6`,
        fix: 'Run on Linux 5.19 or newer (6.1+ for every feature the io-uring server uses).',
      };
    }
    const ops: boolean[] = [];
    for (let op = 0; op <= probe[0]!; op++) ops[op] = (probe[16 + op * 8 + 2]! & c.IO_URING_OP_SUPPORTED) !== 0;
    const missing = REQUIRED_OPS.filter(([name]) => ops[c[name as keyof typeof c]] !== true);
    if (missing.length > 0 || (ring.features & c.IORING_FEAT_FAST_POLL) === 0) {
      const what = missing.map(([name, since]) => `${name} (Linux ${since})`);
      if ((ring.features & c.IORING_FEAT_FAST_POLL) === 0) what.push('IORING_FEAT_FAST_POLL (Linux 5.7)');
      return {
        available: false,
        reason: `this kernel's io_uring lacks ${what.join(', ')}`,
        fix: 'Run on Linux 5.19 or newer (6.1+ for every feature the io-uring server uses).',
      };
    }
    return { available: true, features: ring.features, ops };
  } finally {
    for (const region of new Set([ring.sqRing, ring.cqRing, ring.sqes])) native.unmapRegion(region);
    native.close(ring.fd);
  }
}

/**
 * The seccomp profiles of Docker, podman and containerd (a pod's RuntimeDefault) leave io_uring out;
 * what to run with instead.
 */
const SECCOMP_FIX =
  'use a seccomp profile that allows io_uring_setup, io_uring_enter and io_uring_register: `docker run --security-opt seccomp=unconfined` (podman alike), or in a pod `securityContext.seccompProfile` of type Unconfined or a Localhost profile that adds the three (docs/distributed.md, "io_uring in a container").';

/** Why io_uring_setup failed with `errno`, given kernel.io_uring_disabled (pure; exported for tests). */
export function explainSetupFailure(errno: number, disabled: number | undefined): IoUringUnavailable {
  if (errno === c.ENOSYS) {
    return {
      available: false,
      reason:
        'io_uring_setup returned ENOSYS: the kernel has no io_uring (older than 5.1 or built without CONFIG_IO_URING), or a seccomp filter hides it (Docker and containerd block io_uring by default)',
      fix: `Run on a kernel with io_uring; in a container, ${SECCOMP_FIX}`,
    };
  }
  if (errno === c.EPERM || errno === c.EACCES) {
    if (disabled === 2) {
      return {
        available: false,
        reason: 'io_uring is disabled for every process (sysctl kernel.io_uring_disabled = 2)',
        fix: 'sysctl -w kernel.io_uring_disabled=0',
      };
    }
    if (disabled === 1) {
      return {
        available: false,
        reason:
          'io_uring is restricted to the group in kernel.io_uring_group (sysctl kernel.io_uring_disabled = 1) and this process is not in it',
        fix: 'Add the user to that group, run as root, or sysctl -w kernel.io_uring_disabled=0',
      };
    }
    return {
      available: false,
      reason: `io_uring_setup was refused (errno ${errno}, kernel.io_uring_disabled = ${disabled ?? 'unknown'}): a seccomp filter or LSM policy blocks it`,
      fix: `In a container, ${SECCOMP_FIX}`,
    };
  }
  return {
    available: false,
    reason: `io_uring_setup failed with errno ${errno}${errno === c.ENOMEM ? ' (ENOMEM: before Linux 5.12 rings count against ulimit -l)' : ''}`,
    fix:
      errno === c.ENOMEM
        ? 'Raise ulimit -l (locked memory), or run on Linux 5.12 or newer.'
        : 'Check dmesg and the kernel configuration.',
  };
}
