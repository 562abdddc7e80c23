export { checkProfilers, perfEventParanoid } from './check-tools.js';
export { displayName, type FlameGraphSvgOptions, renderFlameGraphSvg } from './flame-graph-svg.js';
export { type FlameNode, foldedToTree } from './flame-tree.js';
export { type FoldedStacks, foldPerfScript, formatFolded, parseFolded, totalSamples } from './fold-perf-script.js';
export { PERF_FREQUENCY_HZ, PERF_NODE_FLAGS, PointProfiler, type PointProfilerOptions } from './point-profiler.js';
export { parseStraceSummary, type StraceSyscallCount } from './strace-recorder.js';
