/**
 * Folded stacks as a tree: the shape flame graphs are drawn from, and the JSON the HTML report's
 * interactive view (d3-flame-graph and similar) takes: `{ name, value, children }`, where `value`
 * counts the samples in the frame and everything it called.
 */
import type { FoldedStacks } from './fold-perf-script.js';

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
