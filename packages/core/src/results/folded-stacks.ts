/**
 * Folded stacks, the format of a point's profiles (`profiles.perf.folded`, `profiles.offcpu.folded`):
 * one `frame;frame;...;leaf count` line per distinct stack, as FlameGraph's stackcollapse scripts,
 * inferno and speedscope read them; `_[k]` marks kernel frames, `_[j]` JavaScript frames. Placement
 * writes them, reporters read them: parsing, the text form, totals, frame names as shown, and the
 * tree flame graphs are drawn from — the JSON the HTML report's interactive view (d3-flame-graph and
 * similar) takes: `{ name, value, children }`, where `value` counts the samples in the frame and
 * everything it called.
 */

/** Stack -> samples. Keys are folded stacks (`comm;root;...;leaf`). */
export type FoldedStacks = Map<string, number>;

export interface FlameNode {
  name: string;
  /** Samples in this frame, its callees included. */
  value: number;
  children: FlameNode[];
}

/** Builds the tree under a root frame named `root` (default `all`); children sorted by name. */
export function foldedToTree(folded: FoldedStacks, root = 'all'): FlameNode {
  const top: FlameNode = { name: root, value: 0, children: [] };
  const index = new Map<FlameNode, Map<string, FlameNode>>();
  for (const [stack, count] of folded) {
    top.value += count;
    let node = top;
    for (const name of stack.split(';')) {
      let byName = index.get(node);
      if (!byName) {
        byName = new Map();
        index.set(node, byName);
      }
      let child = byName.get(name);
      if (!child) {
        child = { name, value: 0, children: [] };
        byName.set(name, child);
        node.children.push(child);
      }
      child.value += count;
      node = child;
    }
  }
  sortTree(top);
  return top;
}

function sortTree(node: FlameNode): void {
  node.children.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const child of node.children) sortTree(child);
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

/**
 * The frame name as shown: without its `_[k]` / `_[j]` annotation, and a JavaScript frame from
 * Node's perf map (`JS:^runBasicLoop file:///.../basic-loop.js:10:37`) shortened to its tier mark
 * (`*` optimised, `^` baseline, `~` interpreted), function and file (`^runBasicLoop basic-loop.js:10`).
 * Tooltips keep the full name.
 */
export function displayName(name: string): string {
  const bare = name.replace(/_\[[kj]\]$/, '');
  const js = /^(?:JS|Script|Eval|Function|LazyCompile):([*~^+]?)(\S*) (?:file:\/\/)?(\S*?)(:\d+)?(:\d+)?$/.exec(bare);
  if (!js) return bare;
  const file = js[3]!.slice(js[3]!.lastIndexOf('/') + 1);
  return `${js[1]}${js[2] || '(anonymous)'} ${file}${js[4] ?? ''}`;
}
