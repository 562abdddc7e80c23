/** What `--profile` records for a point. File paths are relative to the directory holding results.json. */
import { z } from 'zod';
import { count, numbers } from './measures.js';

/** A profiler `--profile` can attach to the server host. */
export const profileKind = z.enum(['perf', 'strace', 'offcpu']);
export type ProfileKind = z.output<typeof profileKind>;

/** Profiles of one point. */
export const pointProfiles = z.object({
  perf: z
    .object({
      /** Folded stacks (`frame;frame;... count` per line; `_[k]` kernel, `_[j]` JavaScript): for speedscope, inferno, FlameGraph. */
      folded: z.string(),
      /** Static flame graph (FlameGraph layout, tooltips in `<title>`). */
      svg: z.string(),
      samples: count,
      frequencyHz: z.number(),
      event: z.string(),
    })
    .optional(),
  /** Off-CPU flame graph: where the server's threads waited (`perf record -e sched:sched_switch`). */
  offcpu: z
    .object({
      /** Folded stacks weighted in microseconds off the CPU (`[preempted]`, `[new thread: …]` leaves mark waits for a CPU). */
      folded: z.string(),
      svg: z.string(),
      /** Microseconds off the CPU, all threads of the server host together. */
      offCpuUs: count,
      /** Switches out paired with a switch back in. */
      switches: count,
      event: z.string(),
    })
    .optional(),
  strace: z
    .object({
      /** strace's own `-c` table. */
      file: z.string(),
      /** Counts by syscall, every thread of the server host (Node's own syscalls included). */
      syscalls: z.record(z.string(), z.object({ calls: count, errors: count, seconds: z.number() })),
      /** `calls` divided by the requests of the point (which strace slows down a lot). */
      callsPerRequest: numbers,
    })
    .optional(),
});
export type PointProfiles = z.output<typeof pointProfiles>;
