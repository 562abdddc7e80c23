/**
 * `perf script` text -> folded stacks (the format of FlameGraph's stackcollapse-perf.pl, which
 * FlameGraph, inferno and speedscope read): one line per distinct stack, frames root first joined by
 * `;`, then a space and the number of samples. The thread's name (`comm`) is the root frame, so a
 * worker pool shows up beside the main thread.
 *
 * Frames are annotated like stackcollapse-perf's `--kernel --jit`: `_[k]` for kernel functions,
 * `_[j]` for JIT-compiled code named through a perf map (Node's `--perf-basic-prof`), so renderers
 * can colour them apart.
 *
 * Frames perf could not name (`[unknown]`, a bare address, a library without the symbol) are
 * unresolved. Frame-pointer unwinding through code built without frame pointers (libc's clone3,
 * Node's own binary) reads garbage return addresses, so a stack can hold a tower of 40 or more of
 * them; each run of unresolved frames folds into one `[unresolved]` frame, which keeps the fact
 * (the stack is not whole there) without the tower.
 */
import type { FoldedStacks } from '@iobench/core';

const KERNEL_DSO = /^\[kernel\.kallsyms\]|^\[kernel\]|\.ko$/;
const PERF_MAP_DSO = /(^|\/)perf-\d+\.map$/;
/** The one frame a run of unresolved frames folds into. */
export const UNRESOLVED_FRAME = '[unresolved]';
/** `<address> <symbol>[+0x<offset>] (<dso>)`; the symbol may hold spaces and parentheses, the dso is last. */
const FRAME_LINE = /^\s*([0-9a-f]+)\s+(.*)\s+\((.*)\)\s*$/;

/** Folds `perf script` output. Samples without a call chain keep their thread name as the only frame. */
export function foldPerfScript(text: string): FoldedStacks {
  const folded: FoldedStacks = new Map();
  let comm: string | undefined;
  let frames: string[] = [];
  const flush = () => {
    if (comm !== undefined) {
      const stack = [comm, ...foldUnresolved(frames.reverse())].join(';');
      folded.set(stack, (folded.get(stack) ?? 0) + 1);
    }
    comm = undefined;
    frames = [];
  };
  for (const line of text.split('\n')) {
    if (line.trim() === '') {
      flush();
    } else if (/^\s/.test(line)) {
      if (comm === undefined) continue;
      const frame = parseFrame(line);
      if (frame !== undefined) frames.push(frame);
    } else {
      flush();
      comm = parseComm(line);
    }
  }
  flush();
  return folded;
}

/**
 * The thread name of a sample header such as `node 1234 [001] 99.123: 1001001 cpu-clock:` or
 * `libuv-worker 1234/1240 99.1: ...` (names may contain spaces: everything before the pid).
 */
function parseComm(header: string): string {
  const match = /^(.*?)\s+\d+(\/\d+)?\s/.exec(header);
  return sanitize(match ? match[1]! : header.split(/\s+/)[0]!) || '[unknown]';
}

/**
 * One frame line of `perf script` -> a folded frame name, `[unresolved]` when perf had no symbol.
 * glibc's symbol versions (`pthread_create@GLIBC_2.2.5`) are dropped: they only split one function in two.
 */
export function parseFrame(line: string): string | undefined {
  const match = FRAME_LINE.exec(line);
  if (!match) return undefined;
  const rawSymbol = match[2]!;
  const dso = match[3]!;
  const name = sanitize(rawSymbol.replace(/\+0x[0-9a-f]+$/, '').replace(/@@?GLIBC_[\d.]+$/, ''));
  if (isUnresolvedName(name)) return UNRESOLVED_FRAME;
  if (KERNEL_DSO.test(dso)) return `${name}_[k]`;
  if (PERF_MAP_DSO.test(dso)) return `${name}_[j]`;
  return name;
}

/** perf's names for a frame it could not name: `[unknown]`, nothing, or an address. */
function isUnresolvedName(name: string): boolean {
  return name === '' || name === '[unknown]' || /^0x[0-9a-f]+$|^[0-9a-f]{8,}$/i.test(name);
}

/**
 * Whether a folded frame is unresolved: `[unresolved]`, or what older folded files and other
 * collapsers write for one (`[unknown]`, a bare address, `[libfoo.so]` for a library without symbols).
 */
export function isUnresolvedFrame(frame: string): boolean {
  const name = frame.replace(/_\[[kj]\]$/, '');
  return name === UNRESOLVED_FRAME || isUnresolvedName(name) || /^\[[^\]]*(\.so[.\d]*|\/[^\]]*)\]$/.test(name);
}

/** Frames root first, each run of unresolved frames replaced by one `[unresolved]`. */
export function foldUnresolved(frames: string[]): string[] {
  const out: string[] = [];
  for (const frame of frames) {
    const unresolved = isUnresolvedFrame(frame);
    if (unresolved && out.at(-1) === UNRESOLVED_FRAME) continue;
    out.push(unresolved ? UNRESOLVED_FRAME : frame);
  }
  return out;
}

/**
 * Share (0..1) of the samples whose stack ends in unresolved frames: an unresolved frame with no
 * resolved frame after it toward the leaf, so the code that was running is unknown. A stack that
 * is unresolved only nearer the root (who called the code is unknown, the code is not) does not
 * count; `anyShare` counts every stack holding an unresolved frame anywhere. The root (thread
 * name) is not a frame.
 */
export function unresolvedShare(folded: FoldedStacks): { leafShare: number; anyShare: number } {
  let total = 0;
  let leaf = 0;
  let any = 0;
  for (const [stack, count] of folded) {
    const frames = stack.split(';').slice(1);
    total += count;
    if (frames.length > 0 && isUnresolvedFrame(frames.at(-1)!)) leaf += count;
    if (frames.some(isUnresolvedFrame)) any += count;
  }
  return total === 0 ? { leafShare: 0, anyShare: 0 } : { leafShare: leaf / total, anyShare: any / total };
}

/** `;` separates frames and a trailing ` N` is the count, so neither may appear inside a name. */
function sanitize(name: string): string {
  return name.replace(/;/g, ':').replace(/\s+/g, ' ').trim();
}
