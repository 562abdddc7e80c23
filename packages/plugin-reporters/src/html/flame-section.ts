/**
 * The HTML report's flame graphs: for every point recorded with `--profile perf`, an interactive
 * view (Vega, drawn when its section is opened) and the static SVG that `iobench run` wrote, linked
 * and, while the report stays a reasonable size, inlined as an image: it shows without script.
 * A point whose folded stacks cannot be read gets a sentence saying why, not a failed report.
 */
import { readFile } from 'node:fs/promises';
import { relative, resolve } from 'node:path';
import type { PointResult, ResultsFile } from '@iobench/core';
import type { Spec } from 'vega';
import { flameSpec } from '../charts/flame-spec.js';
import { loadFlameData } from '../model/flame-data.js';
import { esc } from './escape.js';

/** Where profile files are found (the directory holding results.json) and where the report is written. */
export interface FlameSectionPaths {
  resultsDir: string;
  htmlDir: string;
}

/** The section's markup and the specs its script draws, by figure id. */
export interface FlameSection {
  html: string;
  specs: Array<{ id: string; spec: Spec }>;
}

/** Static SVGs are inlined until they add up to this many bytes; later ones are linked only. */
const INLINE_SVG_BUDGET_BYTES = 3 * 2 ** 20;
/** The report's column is 1,200 px wide: the graph fills it. */
const FLAME_WIDTH_PX = 1140;
/** With this many profiled points or fewer, every flame graph starts open. */
const OPEN_ALL_MAX = 6;

/** Builds the flame graph section (on-CPU, and off-CPU beside it); empty when no point has either. */
export async function flameSection(results: ResultsFile, paths: FlameSectionPaths): Promise<FlameSection> {
  const profiled = results.points.filter((p) => p.profiles?.perf || p.profiles?.offcpu);
  if (profiled.length === 0) return { html: '', specs: [] };
  const specs: FlameSection['specs'] = [];
  const parts: string[] = [];
  const budget = { bytes: INLINE_SVG_BUDGET_BYTES };
  const open = profiled.length <= OPEN_ALL_MAX ? ' open' : '';
  for (const [i, point] of profiled.entries()) {
    for (const kind of ['perf', 'offcpu'] as const) {
      if (!point.profiles?.[kind]) continue;
      const figure = await flameFigure(
        point,
        kind,
        `flame-${i}${kind === 'offcpu' ? '-offcpu' : ''}`,
        results,
        paths,
        budget,
      );
      if (figure.spec) specs.push(figure.spec);
      parts.push(`<details class="flame" data-flame="${figure.spec?.id ?? ''}"${open}>${figure.html}</details>`);
    }
  }
  const intro =
    '<p class="meta">On-CPU: where the server spent its CPU during the measured phase (<code>perf record -a -g</code>, the server host\'s threads; root at the bottom, callers under callees, ' +
    'each frame as wide as its samples). Off-CPU (<code>--profile offcpu</code>): where its threads waited, each frame as wide as the microseconds spent off the CPU under it ' +
    '(<code>[preempted]</code>: runnable, waiting for a CPU; <code>[new thread: waiting for its first run]</code>: thread start-up). <code>[unresolved]</code> stands for frames perf could not name. ' +
    'Kernel frames are orange, JavaScript green, native code red. Hover a frame for its weight and share.</p>';
  return { html: `<h2>Flame graphs</h2>\n${intro}\n${parts.join('\n')}`, specs };
}

/** One point's on-CPU or off-CPU flame graph: summary, interactive figure, links, static fallback. */
async function flameFigure(
  point: PointResult,
  kind: 'perf' | 'offcpu',
  id: string,
  results: ResultsFile,
  paths: FlameSectionPaths,
  budget: { bytes: number },
): Promise<{ html: string; spec?: { id: string; spec: Spec } }> {
  const profile = point.profiles![kind]!;
  const load = await loadFlameData(point, paths.resultsDir, undefined, kind);
  const offcpu = point.profiles?.offcpu;
  const weight =
    kind === 'offcpu' && offcpu
      ? `${(offcpu.offCpuUs / 1e3).toLocaleString('en-US', { maximumFractionDigits: 1 })} ms off CPU`
      : `${point.profiles!.perf!.samples.toLocaleString('en-US')} samples`;
  const summary = `${kind === 'offcpu' ? 'off-CPU' : 'on-CPU'} · ${pointLabel(point, results)} — ${weight}`;
  let body: string;
  let spec: { id: string; spec: Spec } | undefined;
  if (load.ok) {
    const pruned =
      load.data.prunedFrames > 0
        ? `; ${load.data.prunedFrames.toLocaleString('en-US')} frames under ${load.data.minSamples} ${kind === 'offcpu' ? 'µs' : 'samples'} left out`
        : '';
    const what =
      kind === 'offcpu' && offcpu
        ? `${weight} over ${offcpu.switches.toLocaleString('en-US')} switches, ${offcpu.event}`
        : `${weight}, ${point.profiles!.perf!.event} at ${point.profiles!.perf!.frequencyHz} Hz`;
    const subtitle = `${what}${pruned}. Click a frame to zoom, double-click to zoom out.`;
    const title = kind === 'offcpu' ? `${point.id} (off-CPU)` : point.id;
    spec = {
      id,
      spec: flameSpec(load.data, {
        title,
        subtitle,
        width: FLAME_WIDTH_PX,
        unit: kind === 'offcpu' ? 'µs off CPU' : 'samples',
      }),
    };
    body = `<figure id="${id}" class="flame" aria-label="${kind === 'offcpu' ? 'off-CPU ' : ''}flame graph of ${esc(point.id)}"></figure>`;
  } else {
    body = `<p class="warn">No interactive flame graph: ${esc(load.reason)}.</p>`;
  }
  const svg = await staticSvg(resolve(paths.resultsDir, profile.svg), budget.bytes);
  budget.bytes -= svg?.length ?? 0;
  const link = (file: string) => {
    const href = relative(paths.htmlDir, resolve(paths.resultsDir, file)).split('\\').join('/');
    return `<a href="${esc(encodeURI(href))}">${esc(file)}</a>`;
  };
  const files = `<p class="meta">Static flame graph ${link(profile.svg)} (tooltips when opened on its own) · folded stacks ${link(profile.folded)} (for speedscope, inferno, FlameGraph).</p>`;
  const fallback = svg
    ? `<details><summary>static flame graph (no script needed)</summary><img class="flame-static" alt="static flame graph of ${esc(point.id)}" src="data:image/svg+xml;base64,${svg}"></details>`
    : '';
  return { html: `<summary>${esc(summary)}</summary>\n${body}\n${files}\n${fallback}`, ...(spec ? { spec } : {}) };
}

/** The static SVG as base64 when it exists and fits the budget. */
async function staticSvg(path: string, budget: number): Promise<string | undefined> {
  try {
    const base64 = (await readFile(path)).toString('base64');
    return base64.length <= budget ? base64 : undefined;
  } catch {
    return undefined;
  }
}

/** `basic · 16 connections · work cpu:100 · repeat 0`: the point's server and swept values. */
function pointLabel(p: PointResult, results: ResultsFile): string {
  const swept = (results.plan.sweep ?? [])
    .filter((d) => d.key !== 'connections')
    .map((d) => `${d.key} ${p.params[d.key] ?? '-'}`);
  return [p.server, `${p.params.connections} connections`, ...swept, `repeat ${p.repeat}`].join(' · ');
}

/** The page script that draws a flame graph the first time its section is open. */
export const FLAME_SCRIPT = `
const flames = new Map(JSON.parse(document.getElementById('iobench-flames').textContent).map((f) => [f.id, f.spec]));
function drawFlame(details) {
  const id = details.dataset.flame;
  if (!id || !details.open || !flames.has(id)) return;
  const spec = flames.get(id);
  flames.delete(id);
  vegaEmbed('#' + id, spec, { renderer: 'svg', actions: { export: true, source: false, compiled: false, editor: false } })
    .catch((error) => { document.getElementById(id).textContent = 'flame graph failed to render: ' + error; });
}
for (const details of document.querySelectorAll('details.flame')) {
  drawFlame(details);
  details.addEventListener('toggle', () => drawFlame(details));
}
`;
