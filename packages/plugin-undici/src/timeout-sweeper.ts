/**
 * Request timeouts. undici's own headers and body timeouts run on its coarse "fast timers" (about
 * half a second of resolution, so a 200 ms timeout may fire after a second), so each thread instead
 * sweeps its slots on one interval and aborts any request in flight for longer than the timeout.
 * One timer per thread, nothing per request.
 */
import { nowUs } from '@iobench/load-kit/thread';
import type { RequestSlot } from './request-slot.js';

/** The error a timed-out request is aborted with; `classifyError` maps its code to `timeout`. */
export class RequestTimeoutError extends Error {
  readonly code = 'IOBENCH_REQUEST_TIMEOUT';
  constructor(timeoutMs: number) {
    super(`no complete response within ${timeoutMs} ms`);
    this.name = 'RequestTimeoutError';
  }
}

export class TimeoutSweeper {
  private readonly timer: NodeJS.Timeout;
  private readonly error: RequestTimeoutError;

  constructor(slots: readonly RequestSlot[], timeoutMs: number) {
    const timeoutUs = timeoutMs * 1000;
    // Shared by every abort: the error only carries the class, and this keeps timeouts allocation-free.
    this.error = new RequestTimeoutError(timeoutMs);
    // Checking ten times per timeout keeps the overshoot within 10%, bounded to 5..250 ms.
    const everyMs = Math.min(250, Math.max(5, Math.floor(timeoutMs / 10)));
    this.timer = setInterval(() => {
      const now = nowUs();
      for (const slot of slots) {
        if (slot.busy && now - slot.sentUs > timeoutUs) slot.abort?.(this.error);
      }
    }, everyMs);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
  }
}
