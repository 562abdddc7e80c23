/**
 * The loop's io_uring, set up with the best this kernel takes, and the accept and receive paths it
 * will use. Feature probing is by trying: a setup flag an older kernel does not know fails the setup
 * with EINVAL (the next, older set is tried), a kernel without buffer rings refuses the registration,
 * and one without multishot accept or recv fails their first completion with EINVAL (the server then
 * falls back to single-shot; see UringServer).
 */
import * as sys from '@iobench/syscalls';

const { constants: c } = sys;

/** Submission queue entries; a full SQ is submitted early (one more io_uring_enter), never dropped. */
const SQ_ENTRIES = 1024;
/**
 * Completion queue entries. A round can complete a receive and a send per connection; beyond this
 * the kernel keeps completions on its overflow list (IORING_FEAT_NODROP) at some cost, never loses them.
 */
const CQ_ENTRIES = 8192;
/** Provided buffers: 1024 x 4 KiB per loop; a request head fits in one, a bigger one spans several. */
const BUFFER_COUNT = 1024;
const BUFFER_BYTES = 4096;
const BUFFER_GROUP = 0;

/** What the server may use; the kernel may still refuse (then it falls back). */
export interface UringChoices {
  /** Multishot accept and recv (recv needs provided buffers). */
  multishot: boolean;
  /** Receive into a provided-buffer ring instead of a buffer per connection. */
  providedBuffers: boolean;
}

/** The ring and the paths chosen for it. */
export interface UringSetup {
  ring: sys.IoUring;
  /** null: receives go into each connection's own buffer. */
  buffers: sys.ProvidedBuffers | null;
  multishotAccept: boolean;
  multishotRecv: boolean;
}

/** Opens the ring (throws the SyscallError of the last setup tried when none works). */
export function openRing(choices: UringChoices): UringSetup {
  const ring = sys.IoUring.openBest(SQ_ENTRIES, CQ_ENTRIES);
  let buffers: sys.ProvidedBuffers | null = null;
  if (choices.providedBuffers) {
    try {
      buffers = new sys.ProvidedBuffers(ring, BUFFER_GROUP, BUFFER_COUNT, BUFFER_BYTES);
    } catch (err) {
      // Before Linux 5.19 there are no buffer rings: receive into per-connection buffers.
      if ((err as sys.SyscallError).code !== 'EINVAL') {
        ring.close();
        throw err;
      }
    }
  }
  return {
    ring,
    buffers,
    multishotAccept: choices.multishot,
    // Multishot recv picks a buffer per completion, so it exists only with provided buffers.
    multishotRecv: choices.multishot && buffers !== null,
  };
}

/** What the setup chose, as `stats().extra` facts (1 = used). */
export function setupFacts(setup: UringSetup): Record<string, number> {
  const flags = setup.ring.flags;
  const has = (flag: number) => ((flags & flag) !== 0 ? 1 : 0);
  return {
    deferTaskrun: has(c.IORING_SETUP_DEFER_TASKRUN),
    coopTaskrun: has(c.IORING_SETUP_COOP_TASKRUN),
    submitAll: has(c.IORING_SETUP_SUBMIT_ALL),
    providedBuffers: setup.buffers === null ? 0 : 1,
    multishotAccept: setup.multishotAccept ? 1 : 0,
    multishotRecv: setup.multishotRecv ? 1 : 0,
    sqEntries: setup.ring.sqEntries,
    cqEntries: setup.ring.cqEntries,
  };
}
