/**
 * A static flame graph as SVG, laid out like Brendan Gregg's FlameGraph: the root at the bottom,
 * each frame a rectangle as wide as its share of samples, callees stacked above callers, siblings in
 * name order, a `<title>` tooltip on every frame (name, samples, share). Colours tell kernel (orange),
 * JavaScript (green) and native user-space (red) frames apart, as FlameGraph's `--color=js` palette
 * does. No script: it renders anywhere, including as an `<img>`.
 */

import { displayName, type FlameNode, type FoldedStacks, foldedToTree, totalSamples } from '@iobench/core';

export interface FlameGraphSvgOptions {
  title: string;
  /** A second line under the title (e.g. samples and frequency). */
  subtitle?: string;
  /** Image width in pixels (default 1200). */
  widthPx?: number;
  /** What a frame's weight counts, in tooltips (default `samples`; off-CPU graphs: `µs off CPU`). */
  unit?: string;
}

const FRAME_HEIGHT_PX = 16;
const FONT_SIZE_PX = 12;
/** Average glyph width of Verdana at 12 px, as FlameGraph estimates it. */
const CHAR_WIDTH_PX = FONT_SIZE_PX * 0.59;
const PAD_X_PX = 10;
const HEADER_PX = FRAME_HEIGHT_PX * 3;
const FOOTER_PX = FRAME_HEIGHT_PX;
/** Frames narrower than this are not drawn (FlameGraph's --minwidth). */
const MIN_WIDTH_PX = 0.1;

/** Renders folded stacks as a FlameGraph-style SVG document. */
export function renderFlameGraphSvg(folded: FoldedStacks, options: FlameGraphSvgOptions): string {
  const widthPx = options.widthPx ?? 1200;
  const total = totalSamples(folded);
  const tree = foldedToTree(folded);
  const depth = treeDepth(tree);
  const heightPx = HEADER_PX + (depth + 1) * FRAME_HEIGHT_PX + FOOTER_PX;
  const scale = total > 0 ? (widthPx - 2 * PAD_X_PX) / total : 0;
  const frames: string[] = [];

  const draw = (node: FlameNode, level: number, x: number) => {
    const w = node.value * scale;
    if (w < MIN_WIDTH_PX) return;
    const y = heightPx - FOOTER_PX - (level + 1) * FRAME_HEIGHT_PX;
    const share = total > 0 ? ((node.value / total) * 100).toFixed(2) : '0';
    const label = displayName(node.name);
    const full = node.name.replace(/_\[[kj]\]$/, '');
    const fits = Math.floor((w - 6) / CHAR_WIDTH_PX);
    const text = fits < 3 ? '' : label.length <= fits ? label : `${label.slice(0, fits - 2)}..`;
    frames.push(
      `<g><title>${escapeXml(`${full} (${node.value.toLocaleString('en-US')} ${options.unit ?? 'samples'}, ${share}%)`)}</title>` +
        `<rect x="${x.toFixed(1)}" y="${y}" width="${w.toFixed(1)}" height="${FRAME_HEIGHT_PX - 1}" fill="${colour(node.name, level === 0)}" rx="2" ry="2"/>` +
        (text ? `<text x="${(x + 3).toFixed(1)}" y="${y + FRAME_HEIGHT_PX - 4.5}">${escapeXml(text)}</text>` : '') +
        '</g>',
    );
    let childX = x;
    for (const child of node.children) {
      draw(child, level + 1, childX);
      childX += child.value * scale;
    }
  };
  draw(tree, 0, PAD_X_PX);

  const subtitle = options.subtitle
    ? `<text x="${widthPx / 2}" y="${FRAME_HEIGHT_PX * 2.2}" text-anchor="middle" fill="#555">${escapeXml(options.subtitle)}</text>`
    : '';
  return [
    '<?xml version="1.0" standalone="no"?>',
    `<svg version="1.1" width="${widthPx}" height="${heightPx}" viewBox="0 0 ${widthPx} ${heightPx}" xmlns="http://www.w3.org/2000/svg">`,
    '<defs><linearGradient id="background" y1="0" y2="1" x1="0" x2="0"><stop stop-color="#eeeeee" offset="5%"/><stop stop-color="#eeeeb0" offset="95%"/></linearGradient></defs>',
    `<style>text { font-family: Verdana, sans-serif; font-size: ${FONT_SIZE_PX}px; fill: #000; } rect:hover { stroke: #000; stroke-width: 0.5; }</style>`,
    `<rect x="0" y="0" width="${widthPx}" height="${heightPx}" fill="url(#background)"/>`,
    `<text x="${widthPx / 2}" y="${FRAME_HEIGHT_PX * 1.2}" text-anchor="middle" style="font-size: 17px">${escapeXml(options.title)}</text>`,
    subtitle,
    ...frames,
    '</svg>',
    '',
  ].join('\n');
}

function treeDepth(node: FlameNode): number {
  let deepest = 0;
  for (const child of node.children) deepest = Math.max(deepest, 1 + treeDepth(child));
  return deepest;
}

/** Stable colour per name (same function, same colour across graphs), hue by kind of frame. */
function colour(name: string, root: boolean): string {
  if (root) return 'rgb(200,200,200)';
  const v = hash(name);
  if (name.endsWith('_[k]'))
    return `rgb(${235 + Math.round(20 * v)},${165 + Math.round(40 * v)},${40 + Math.round(30 * v)})`;
  if (name.endsWith('_[j]'))
    return `rgb(${60 + Math.round(60 * v)},${180 + Math.round(50 * v)},${60 + Math.round(40 * v)})`;
  return `rgb(${215 + Math.round(40 * v)},${50 + Math.round(90 * v)},${50 + Math.round(30 * v)})`;
}

/** 0..1 from a name (FNV-1a), so colours do not change between runs. */
function hash(name: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < name.length; i++) h = Math.imul(h ^ name.charCodeAt(i), 0x01000193);
  return (h >>> 0) / 0xffffffff;
}

function escapeXml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}
