/**
 * Measures how saturated this thread's event loop is over a phase: utilisation (the fraction of time
 * the loop was busy rather than waiting for I/O) and timer delay percentiles. A generator whose loop
 * is busy all the time cannot send faster, whatever the server does.
 */

import type { EventLoopUtilization } from 'node:perf_hooks';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import type { LoopStats } from '@iobench/load-kit/thread';

export class LoopMonitor {
  private readonly delay = monitorEventLoopDelay({ resolution: 10 });
  private readonly startElu: EventLoopUtilization;

  constructor() {
    this.delay.enable();
    this.startElu = performance.eventLoopUtilization();
  }

  stop(): LoopStats {
    const elu = performance.eventLoopUtilization(this.startElu);
    this.delay.disable();
    const hasSamples = this.delay.count > 0;
    return {
      utilization: elu.utilization,
      // The histogram is in nanoseconds.
      delayP99Us: hasSamples ? Math.round(this.delay.percentile(99) / 1000) : 0,
      delayMaxUs: hasSamples ? Math.round(this.delay.max / 1000) : 0,
    };
  }
}
