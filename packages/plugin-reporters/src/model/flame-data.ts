/**
 * A point's perf profile as the data of an interactive flame graph: the folded stacks read back,
 * made a tree (`foldedToTree`), and flattened to rows `{id, p (parent), n (name), v (samples),
 * s (self samples)}` that Vega's stratify + partition transforms lay out again. Names are listed
 * once in a separate table (JavaScript frame names are long and repeat across stacks).
 *
 * Big profiles are pruned to the busiest frames so that the report stays small and quick to draw;
 * a pruned frame's samples stay in its caller's width, as self time.
 */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { PointResult } from '@iobench/core';
import { displayName, type FlameNode, foldedToTree, parseFolded } from '@iobench/core';

/** The kind of code a frame is, as the colours tell it (FlameGraph's `--color=js` palette). */
export type FrameKind = 'kernel' | 'JavaScript' | 'native' | 'all';

/** One distinct frame name: the row key `i`, shortened label, full name (tooltip), kind and fill. */
export interface FlameName {
  i: number;
  label: string;
  full: string;
  kind: FrameKind;
  fill: string;
}

/** One node of the call tree; `p` is the parent's `id`, null for the root. */
export interface FlameRow {
  id: number;
  p: number | null;
  /** Index into the name table. */
  n: number;
  /** Samples in this frame and everything it called. */
  v: number;
  /** Samples in this frame itself (partition sums these). */
  s: number;
}

/** The data of one flame graph. */
export interface FlameData {
  samples: number;
  /** Deepest level of the kept tree (the root is level 0). */
  depth: number;
  names: FlameName[];
  /** Depth-first, callees in name order (FlameGraph's order), which the layout keeps. */
  rows: FlameRow[];
  /** Frames left out for having fewer than `minSamples` samples. */
  prunedFrames: number;
  minSamples: number;
}

/** Frames kept at most per flame graph: enough for every frame a reader can see at 1,200 px. */
export const MAX_FLAME_FRAMES = 2500;

/** Outcome of reading a point's folded stacks: the data, or why there is none. */
export type FlameLoad = { ok: true; data: FlameData } | { ok: false; reason: string };

/** Reads `point.profiles[kind].folded` (relative to `resultsDir`) and shapes it; never throws. */
export async function loadFlameData(
  point: PointResult,
  resultsDir: string,
  maxFrames = MAX_FLAME_FRAMES,
  kind: 'perf' | 'offcpu' = 'perf',
): Promise<FlameLoad> {
  const perf = point.profiles?.[kind];
  if (!perf) return { ok: false, reason: `no ${kind} profile recorded for this point` };
  const path = resolve(resultsDir, perf.folded);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return {
      ok: false,
      reason:
        code === 'ENOENT'
          ? `the folded stacks ${perf.folded} are missing (looked for ${path}): the results file was moved without its profiles/ directory, or rendered with --out elsewhere`
          : `the folded stacks ${path} could not be read: ${(error as Error).message}`,
    };
  }
  const tree = foldedToTree(parseFolded(text));
  if (tree.value === 0) return { ok: false, reason: `the folded stacks ${path} hold no samples` };
  return { ok: true, data: flameData(tree, maxFrames) };
}

/** Flattens a call tree into flame graph rows, keeping at most `maxFrames` of the busiest frames. */
export function flameData(tree: FlameNode, maxFrames = MAX_FLAME_FRAMES): FlameData {
  const minSamples = pruneThreshold(tree, maxFrames);
  const names: FlameName[] = [];
  const nameIndex = new Map<string, number>();
  const rows: FlameRow[] = [];
  let depth = 0;
  let pruned = 0;
  const visit = (node: FlameNode, parent: number | null, level: number) => {
    let n = nameIndex.get(node.name);
    if (n === undefined) {
      n = names.length;
      nameIndex.set(node.name, n);
      names.push(frameName(n, node.name, level === 0));
    }
    const id = rows.length;
    const kept = node.children.filter((c) => c.value >= minSamples);
    for (const child of node.children) if (child.value < minSamples) pruned += countFrames(child);
    rows.push({ id, p: parent, n, v: node.value, s: node.value - kept.reduce((sum, c) => sum + c.value, 0) });
    depth = Math.max(depth, level);
    for (const child of kept) visit(child, id, level + 1);
  };
  visit(tree, null, 0);
  return { samples: tree.value, depth, names, rows, prunedFrames: pruned, minSamples };
}

function countFrames(node: FlameNode): number {
  return node.children.reduce((n, c) => n + countFrames(c), 1);
}

/** The smallest sample count a frame needs to be kept: 1, unless there are more than `maxFrames`. */
function pruneThreshold(tree: FlameNode, maxFrames: number): number {
  const values: number[] = [];
  const collect = (node: FlameNode) => {
    values.push(node.value);
    for (const child of node.children) collect(child);
  };
  collect(tree);
  if (values.length <= maxFrames) return 1;
  values.sort((a, b) => b - a);
  // A frame never has more samples than its caller, so keeping frames above a threshold keeps a tree.
  return values[maxFrames]! + 1;
}

function frameName(i: number, name: string, root: boolean): FlameName {
  const kind: FrameKind = root
    ? 'all'
    : name.endsWith('_[k]')
      ? 'kernel'
      : name.endsWith('_[j]')
        ? 'JavaScript'
        : 'native';
  return { i, label: displayName(name), full: name.replace(/_\[[kj]\]$/, ''), kind, fill: frameFill(name, kind) };
}

/** Base colour of each kind, for the legend: kernel orange, JavaScript green, native red, root grey. */
export const FRAME_KIND_COLOURS: Record<FrameKind, string> = {
  kernel: 'rgb(245,185,55)',
  JavaScript: 'rgb(90,205,80)',
  native: 'rgb(235,95,65)',
  all: 'rgb(200,200,200)',
};

/** A stable shade of the kind's hue per name, so neighbouring frames stand apart and keep their colour across graphs. */
function frameFill(name: string, kind: FrameKind): string {
  const v = hash(name);
  const shade = (base: number, spread: number) => Math.min(255, Math.round(base + spread * v));
  switch (kind) {
    case 'kernel':
      return `rgb(${shade(235, 20)},${shade(165, 40)},${shade(40, 30)})`;
    case 'JavaScript':
      return `rgb(${shade(60, 60)},${shade(180, 50)},${shade(60, 40)})`;
    case 'native':
      return `rgb(${shade(215, 40)},${shade(50, 90)},${shade(50, 30)})`;
    default:
      return FRAME_KIND_COLOURS.all;
  }
}

/** 0..1 from a name (FNV-1a). */
function hash(name: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < name.length; i++) h = Math.imul(h ^ name.charCodeAt(i), 0x01000193);
  return (h >>> 0) / 0xffffffff;
}
