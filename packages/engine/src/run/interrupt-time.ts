/**
 * Interrupt time over a point's measured phase, from /proc/stat: each CPU's irq and softirq
 * columns before and after, attributed to server and generator when they were pinned to disjoint
 * CPUs. This is the part of a request's kernel cost no process is charged for: on loopback the TCP
 * receive path runs in softirq on the sending CPU (or in that CPU's ksoftirqd), outside both sides'
 * user and system time when the kernel accounts irq time (CONFIG_IRQ_TIME_ACCOUNTING, as the
 * mainstream distributions' kernels do).
 */
import { readFile } from 'node:fs/promises';
import {
  clockTicksPerSecond,
  expandCpuList,
  type PointInterruptTime,
  type SideInterruptTime,
  ticksToUs,
} from '@iobench/core';
import { perRequest } from '../results/point.js';

/** One CPU's cumulative irq and softirq time, in clock ticks. */
interface CpuTicks {
  irq: number;
  softirq: number;
}

/** Every CPU's cumulative interrupt ticks at one instant, by CPU number. */
export type InterruptTicks = Map<number, CpuTicks>;

/** The per-CPU lines of /proc/stat (`cpuN user nice system idle iowait irq softirq ...`). */
export function parseInterruptTicks(procStat: string): InterruptTicks {
  const out: InterruptTicks = new Map();
  for (const line of procStat.split('\n')) {
    const match = /^cpu(\d+)\s+(.*)$/.exec(line);
    if (!match) continue;
    const fields = match[2]!.trim().split(/\s+/).map(Number);
    const irq = fields[5];
    const softirq = fields[6];
    if (irq === undefined || softirq === undefined || !Number.isFinite(irq) || !Number.isFinite(softirq)) continue;
    out.set(Number(match[1]), { irq, softirq });
  }
  return out;
}

/** This instant's interrupt ticks; undefined where /proc/stat cannot be read (not Linux, no procfs). */
export async function readInterruptTicks(): Promise<InterruptTicks | undefined> {
  try {
    const ticks = parseInterruptTicks(await readFile('/proc/stat', 'utf8'));
    return ticks.size > 0 ? ticks : undefined;
  } catch {
    return undefined;
  }
}

/** Where server and generator ran: attribution needs both pinned, to CPUs they do not share. */
export interface InterruptPinning {
  serverCpus?: string;
  loadCpus?: string;
}

/** The phase's interrupt time, machine-wide and (when pinned apart) per side, per request. */
export async function interruptTime(
  before: InterruptTicks,
  after: InterruptTicks,
  requests: number,
  pinning: InterruptPinning,
): Promise<PointInterruptTime> {
  const perSecond = await clockTicksPerSecond();
  const perCpu = [...after]
    .sort(([a], [b]) => a - b)
    .map(([cpu, end]) => {
      const start = before.get(cpu) ?? { irq: end.irq, softirq: end.softirq };
      return {
        cpu,
        softirqUs: ticksToUs(Math.max(0, end.softirq - start.softirq), perSecond),
        irqUs: ticksToUs(Math.max(0, end.irq - start.irq), perSecond),
      };
    });
  const side = (cpus: string): SideInterruptTime => {
    const set = new Set(expandCpuList(cpus));
    const mine = perCpu.filter((c) => set.has(c.cpu));
    return figures(mine, requests, { cpus });
  };
  const serverCpus = pinning.serverCpus && expandCpuList(pinning.serverCpus);
  const loadCpus = pinning.loadCpus && expandCpuList(pinning.loadCpus);
  const apart = serverCpus && loadCpus && !serverCpus.some((cpu) => loadCpus.includes(cpu));
  return {
    attribution: apart ? 'pinned' : 'machine',
    ...figures(perCpu, requests, {}),
    perCpu: perCpu.filter((c) => c.softirqUs > 0 || c.irqUs > 0),
    ...(apart ? { server: side(pinning.serverCpus!), generator: side(pinning.loadCpus!) } : {}),
  };
}

function figures<T extends object>(
  cpus: Array<{ softirqUs: number; irqUs: number }>,
  requests: number,
  rest: T,
): T & { softirqUs: number; irqUs: number; softirqUsPerRequest: number; irqUsPerRequest: number } {
  const softirqUs = cpus.reduce((sum, c) => sum + c.softirqUs, 0);
  const irqUs = cpus.reduce((sum, c) => sum + c.irqUs, 0);
  return {
    ...rest,
    softirqUs,
    irqUs,
    softirqUsPerRequest: perRequest(softirqUs, requests),
    irqUsPerRequest: perRequest(irqUs, requests),
  };
}
