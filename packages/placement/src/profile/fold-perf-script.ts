/**
 * `perf script` text -> folded stacks (the format of FlameGraph's stackcollapse-perf.pl, which
 * FlameGraph, inferno and speedscope read): one line per distinct stack, frames root first joined by
 * `;`, then a space and the number of samples. The thread's name (`comm`) is the root frame, so a
 * worker pool shows up beside the main thread.
 *
 * Frames are annotated like stackcollapse-perf's `--kernel --jit`: `_[k]` for kernel functions,
 * `_[j]` for JIT-compiled code named through a perf map (Node's `--perf-basic-prof`), so renderers
 * can colour them apart.
 */

/** Stack -> samples. Keys are folded stacks (`comm;root;...;leaf`). */
export type FoldedStacks = Map<string, number>;

const KERNEL_DSO = /^\[kernel\.kallsyms\]|^\[kernel\]|\.ko$/;
const PERF_MAP_DSO = /(^|\/)perf-\d+\.map$/;
/** `<address> <symbol>[+0x<offset>] (<dso>)`; the symbol may hold spaces and parentheses, the dso is last. */
const FRAME_LINE = /^\s*([0-9a-f]+)\s+(.*)\s+\((.*)\)\s*$/;

/** Folds `perf script` output. Samples without a call chain keep their thread name as the only frame. */
export function foldPerfScript(text: string): FoldedStacks {
  const folded: FoldedStacks = new Map();
  let comm: string | undefined;
  let frames: string[] = [];
  const flush = () => {
    if (comm !== undefined) {
      const stack = [comm, ...frames.reverse()].join(';');
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

function parseFrame(line: string): string | undefined {
  const match = FRAME_LINE.exec(line);
  if (!match) return undefined;
  const rawSymbol = match[2]!;
  const dso = match[3]!;
  let name = rawSymbol.replace(/\+0x[0-9a-f]+$/, '');
  if (name === '[unknown]' || name === '') name = dso && dso !== '[unknown]' ? `[${basename(dso)}]` : '[unknown]';
  name = sanitize(name);
  if (KERNEL_DSO.test(dso)) return `${name}_[k]`;
  if (PERF_MAP_DSO.test(dso)) return `${name}_[j]`;
  return name;
}

/** `;` separates frames and a trailing ` N` is the count, so neither may appear inside a name. */
function sanitize(name: string): string {
  return name.replace(/;/g, ':').replace(/\s+/g, ' ').trim();
}

function basename(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

/** Folded stacks as text, one `stack count` per line, stacks sorted (what FlameGraph expects). */
export function formatFolded(folded: FoldedStacks): string {
  return [...folded]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([stack, count]) => `${stack} ${count}\n`)
    .join('');
}

/** Parses folded text (ours, or any stackcollapse output). Malformed lines are skipped. */
export function parseFolded(text: string): FoldedStacks {
  const folded: FoldedStacks = new Map();
  for (const line of text.split('\n')) {
    const match = /^(.*\S)\s+(\d+)$/.exec(line);
    if (match) folded.set(match[1]!, (folded.get(match[1]!) ?? 0) + Number(match[2]));
  }
  return folded;
}

/** Total samples. */
export function totalSamples(folded: FoldedStacks): number {
  let total = 0;
  for (const count of folded.values()) total += count;
  return total;
}
