/** CPU lists in `taskset -c` syntax (`0`, `0-3`, `0,2-3`), as `--server-cpus` and `--load-cpus` take them. */

/** The CPUs a list names, ascending and without repeats; undefined when it does not parse. */
export function expandCpuList(list: string): number[] | undefined {
  const cpus = new Set<number>();
  for (const part of list.split(',')) {
    const match = /^\s*(\d+)(?:-(\d+))?\s*$/.exec(part);
    if (match === null) return undefined;
    const from = Number(match[1]);
    const to = match[2] === undefined ? from : Number(match[2]);
    if (to < from) return undefined;
    for (let cpu = from; cpu <= to; cpu++) cpus.add(cpu);
  }
  return [...cpus].sort((a, b) => a - b);
}
