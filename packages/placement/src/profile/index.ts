export { checkProfilers, perfEventParanoid, schedTracepointsMissing } from './check-tools.js';
export { displayName, type FlameGraphSvgOptions, renderFlameGraphSvg } from './flame-graph-svg.js';
export { type FlameNode, foldedToTree } from './flame-tree.js';
export { FIRST_RUN_FRAME, foldOffCpu, OffCpuFolder, PREEMPTED_FRAME } from './fold-off-cpu.js';
export {
  type FoldedStacks,
  foldPerfScript,
  foldUnresolved,
  formatFolded,
  isUnresolvedFrame,
  parseFolded,
  totalSamples,
  UNRESOLVED_FRAME,
  unresolvedShare,
} from './fold-perf-script.js';
export { PERF_FREQUENCY_HZ, PERF_NODE_FLAGS, PointProfiler, type PointProfilerOptions } from './point-profiler.js';
export { parseStraceSummary, type StraceSyscallCount } from './strace-recorder.js';
