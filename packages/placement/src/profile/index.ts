export { checkProfilers, perfEventParanoid, schedTracepointsMissing } from './check-tools.js';
export { type FlameGraphSvgOptions, renderFlameGraphSvg } from './flame-graph-svg.js';
export { FIRST_RUN_FRAME, foldOffCpu, OffCpuFolder, PREEMPTED_FRAME } from './fold-off-cpu.js';
export {
  foldPerfScript,
  foldUnresolved,
  isUnresolvedFrame,
  UNRESOLVED_FRAME,
  unresolvedShare,
} from './fold-perf-script.js';
export { PERF_FREQUENCY_HZ, PERF_NODE_FLAGS, PointProfiler, type PointProfilerOptions } from './point-profiler.js';
export { parseStraceSummary, type StraceSyscallCount } from './strace-recorder.js';
