/**
 * `perf script` of `perf record -a -g -e sched:sched_switch -e sched:sched_process_fork` -> folded
 * off-CPU stacks of one process, weighted by the microseconds its threads spent off the CPU
 * (Brendan Gregg's off-CPU analysis, done with perf alone: no BPF toolchain).
 *
 * A `sched_switch` fires in the task that leaves the CPU, with its stack: that stack and the time
 * open a block of the thread `prev_pid`. The block closes at the `sched_switch` whose `next_pid` is
 * that thread, which runs in *another* task's context (often another process's), hence the
 * system-wide recording. A thread that left as `X`/`Z` (it exited) opens nothing. A block still open
 * when the recording ends counts up to the last event; a thread that was off the CPU from before the
 * recording until after it has no switch out inside it and is not shown (the recording sees what
 * happened during the measured phase, like perf's on-CPU samples).
 *
 * Two kinds of time get a frame of their own at the leaf, because they are not the thread waiting
 * on something it asked for:
 * - `[preempted]`: the thread left runnable (`prev_state=R`), i.e. waited for a CPU;
 * - `[new thread: waiting for its first run]`: from `sched_process_fork` (in the parent, whose clone
 *   stack it keeps) to the child's first switch in: the start-up latency of a thread.
 *
 * Input fields (`perf script -F comm,pid,tid,time,event,trace,ip,sym,dso`): a header
 * `comm pid/tid time: event: trace-fields`, then one frame per line, leaf first.
 */
import type { FoldedStacks } from '@iobench/core';
import { foldUnresolved, parseFrame } from './fold-perf-script.js';

/** `perf script -F` fields the folder reads. */
export const OFF_CPU_SCRIPT_FIELDS = 'comm,pid,tid,time,event,trace,ip,sym,dso';
/** Leaf frame of time spent runnable after a preemption. */
export const PREEMPTED_FRAME = '[preempted]';
/** Leaf frame of a new thread's wait from its creation to its first run. */
export const FIRST_RUN_FRAME = '[new thread: waiting for its first run]';

const HEADER = /^(.*?)\s+(-?\d+)\/(-?\d+)\s+(\d+\.\d+):\s+(\S+):\s*(.*)$/;

interface OpenBlock {
  startS: number;
  stack: string;
}

interface PendingEvent {
  comm: string;
  pid: number;
  timeS: number;
  event: string;
  trace: string;
  frames: string[];
}

/** Folds off-CPU time line by line (perf script output of a busy second runs to millions of lines). */
export class OffCpuFolder {
  private readonly blocks = new Map<number, OpenBlock>();
  private readonly weightsUs = new Map<string, number>();
  private pending?: PendingEvent;
  private lastTimeS = 0;
  /** Blocks closed (switch out paired with switch in). */
  switches = 0;

  /** `pid`: the process (tgid) whose threads are kept. */
  constructor(private readonly pid: number) {}

  line(line: string): void {
    if (line.trim() === '') {
      this.flush();
      return;
    }
    if (/^\s/.test(line)) {
      if (this.pending?.pid !== this.pid) return;
      const frame = parseFrame(line);
      if (frame !== undefined) this.pending.frames.push(frame);
      return;
    }
    this.flush();
    const match = HEADER.exec(line);
    if (!match) return;
    this.pending = {
      comm: match[1]!.trim(),
      pid: Number(match[2]),
      timeS: Number(match[4]),
      event: match[5]!,
      trace: match[6]!,
      frames: [],
    };
  }

  /** Folded stacks weighted in microseconds; open blocks count up to the last event seen. */
  finish(): FoldedStacks {
    this.flush();
    for (const block of this.blocks.values()) this.add(block.stack, this.lastTimeS - block.startS);
    this.blocks.clear();
    const folded: FoldedStacks = new Map();
    for (const [stack, us] of this.weightsUs) {
      const rounded = Math.round(us);
      if (rounded > 0) folded.set(stack, rounded);
    }
    return folded;
  }

  private flush(): void {
    const event = this.pending;
    this.pending = undefined;
    if (!event) return;
    this.lastTimeS = Math.max(this.lastTimeS, event.timeS);
    const fields = traceFields(event.trace);
    if (event.event.endsWith('sched_switch')) {
      const next = Number(fields.next_pid);
      const open = this.blocks.get(next);
      if (open) {
        this.blocks.delete(next);
        this.add(open.stack, event.timeS - open.startS);
        this.switches++;
      }
      if (event.pid !== this.pid) return;
      const state = fields.prev_state ?? '';
      if (/^[XZ]/.test(state)) return;
      const frames = foldUnresolved(event.frames.reverse());
      if (state.startsWith('R')) frames.push(PREEMPTED_FRAME);
      this.blocks.set(Number(fields.prev_pid), {
        startS: event.timeS,
        stack: [sanitize(fields.prev_comm ?? event.comm), ...frames].join(';'),
      });
    } else if (event.event.endsWith('sched_process_fork') && event.pid === this.pid) {
      const frames = [...foldUnresolved(event.frames.reverse()), FIRST_RUN_FRAME];
      this.blocks.set(Number(fields.child_pid), {
        startS: event.timeS,
        stack: [sanitize(fields.child_comm ?? event.comm), ...frames].join(';'),
      });
    }
  }

  private add(stack: string, seconds: number): void {
    if (seconds <= 0) return;
    this.weightsUs.set(stack, (this.weightsUs.get(stack) ?? 0) + seconds * 1e6);
  }
}

/** Folds a whole `perf script` text (tests and small files; the profiler streams). */
export function foldOffCpu(text: string, pid: number): FoldedStacks {
  const folder = new OffCpuFolder(pid);
  for (const line of text.split('\n')) folder.line(line);
  return folder.finish();
}

/** `prev_comm=node prev_pid=12 prev_state=S ==> next_comm=wrk next_pid=13` -> fields by name. */
function traceFields(trace: string): Record<string, string> {
  const fields: Record<string, string> = {};
  // A comm may hold spaces: a value runs until the next ` key=`.
  for (const match of trace.matchAll(/(\w+)=(.*?)(?=\s+\w+=|\s+==>|$)/g)) fields[match[1]!] = match[2]!.trim();
  return fields;
}

function sanitize(name: string): string {
  return name.replace(/;/g, ':').replace(/\s+/g, ' ').trim() || '[unknown]';
}
