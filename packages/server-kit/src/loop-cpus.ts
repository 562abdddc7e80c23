/**
 * CPUs for the loops of a server whose process was pinned (e.g. `--server-cpus`, which pins the
 * server host with taskset before it starts): loop i takes the i-th CPU of the list, round robin, so
 * N loops on N pinned CPUs do not share one. An unpinned process (its affinity covers every online
 * CPU) leaves placement to the scheduler: returns [].
 */
export function loopCpus(loops: number, allowed: readonly number[], onlineCpus: number): number[] {
  if (loops < 2 || allowed.length === 0 || allowed.length >= onlineCpus) return [];
  return Array.from({ length: loops }, (_, i) => allowed[i % allowed.length]!);
}
