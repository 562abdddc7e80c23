/**
 * The part of an in-process generator's `run` that does not depend on its client: run the threads
 * while reporting progress about once a second, measure this process's CPU over them, and judge from
 * both (and the threads' loop utilisation) whether the generator was the bottleneck.
 */
import type { LoadContext, ProcessUsage } from '@iobench/core';
import { judgeGenerator } from './generator-bound.js';
import { ProgressBoard } from './progress-board.js';
import type { LoopStats } from './thread-result.js';

const PROGRESS_INTERVAL_MS = 1000;

/**
 * Runs `run` on a progress board of `threads` slots, reporting to `ctx.onProgress`; returns its
 * results and this process's CPU and context switches (getrusage: every thread) over the run — from
 * the moment `run` calls `started` (its threads are ready and about to start) when it does, which
 * leaves the threads' own start-up (a worker's isolate and modules) out of the generator's cost.
 */
export async function measureThreads<R>(
  ctx: LoadContext,
  threads: number,
  run: (board: ProgressBoard, started: () => void) => Promise<R[]>,
): Promise<{ results: R[]; cpu: NodeJS.CpuUsage; usage: ProcessUsage }> {
  const board = new ProgressBoard(threads);
  const startMs = performance.now();
  const progress = ctx.onProgress
    ? setInterval(() => ctx.onProgress?.(board.read(Math.round(performance.now() - startMs))), PROGRESS_INTERVAL_MS)
    : undefined;
  let usageStart = process.resourceUsage();
  try {
    const results = await run(board, () => {
      usageStart = process.resourceUsage();
    });
    const end = process.resourceUsage();
    const usage: ProcessUsage = {
      userCpuUs: end.userCPUTime - usageStart.userCPUTime,
      systemCpuUs: end.systemCPUTime - usageStart.systemCPUTime,
      voluntaryCtxSwitches: end.voluntaryContextSwitches - usageStart.voluntaryContextSwitches,
      involuntaryCtxSwitches: end.involuntaryContextSwitches - usageStart.involuntaryContextSwitches,
    };
    return { results, cpu: { user: usage.userCpuUs, system: usage.systemCpuUs }, usage };
  } finally {
    clearInterval(progress);
  }
}

/** The generator-bound verdict and the CPU figures every in-process generator records in `extra`. */
export function generatorVerdict(
  run: { loop: LoopStats; cpu: NodeJS.CpuUsage; durationMs: number; threads: number },
  threshold: number,
): { generatorBound: boolean; extra: Record<string, number> } {
  const cpuUs = run.cpu.user + run.cpu.system;
  const verdict = judgeGenerator(
    { loop: run.loop, cpuUs, durationMs: run.durationMs, threads: run.threads },
    threshold,
  );
  return {
    generatorBound: verdict.bound,
    extra: {
      threads: run.threads,
      cpuUs,
      cpuUserUs: run.cpu.user,
      cpuSystemUs: run.cpu.system,
      cpuCoresPerThread: round3(verdict.coresPerThread),
    },
  };
}

export function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}
