/**
 * The load engine of one thread: `spec.connections` undici Clients (one keep-alive connection each,
 * reconnecting when the server closes), `pipelining` request slots per connection (with HTTP/2,
 * concurrent streams on it), and either the
 * closed model (a slot sends its next request as soon as its response completes) or the open model
 * (sends on a fixed schedule, see `OpenSchedule`). Stops at the duration, the request limit or an
 * abort, whichever comes first, and always resolves with what it measured.
 */

import type { EventLoopUtilization } from 'node:perf_hooks';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import type { ErrorCounts } from '@iobench/core';
import { createLatencyHistogram, encodeHistogram, type Histogram } from '@iobench/core/histogram';
import {
  LatencyBySecond,
  type LoopStats,
  nowUs,
  type ProgressSlot,
  recordLatency,
  StatusCounts,
} from '@iobench/load-kit/thread';
import { Client } from 'undici';
import { classifyError, isBadResponse } from './classify-error.js';
import { OpenSchedule } from './open-schedule.js';
import { type Connection, RequestSlot, type SlotOwner } from './request-slot.js';
import type { ThreadSpec, UndiciThreadResult } from './thread-spec.js';
import { Http2NotNegotiatedError, TimedConnector } from './timed-connector.js';
import { TimeoutSweeper } from './timeout-sweeper.js';

/** Pause before a slot retries after a failed connect, so a dead target is not hammered in a spin. */
const CONNECT_RETRY_MS = 10;

/** A finished thread: its result, and its connections, still open until `close`. */
export interface ThreadRun {
  result: UndiciThreadResult;
  /**
   * Closes the connections. Separate from the result because, with several threads, a thread that
   * ends a few milliseconds early must not close its connections while the others still measure:
   * a one-connection-at-a-time server would then serve a starved connection and hide its starvation.
   */
  close(): Promise<void>;
}

/** Runs one thread's share of the load. Never rejects because of an abort. */
export function runThread(spec: ThreadSpec, signal?: AbortSignal, counters?: ProgressSlot): Promise<ThreadRun> {
  return new LoadThread(spec, signal, counters).run();
}

class LoadThread implements SlotOwner {
  private readonly connectLatency: Histogram = createLatencyHistogram();
  private readonly errors: ErrorCounts = {
    connect: 0,
    read: 0,
    write: 0,
    timeout: 0,
    reset: 0,
    status: 0,
    parse: 0,
    tls: 0,
  };
  private readonly perSecondRequests: number[] = [];
  /** Latency by second of the phase; the phase's histogram is their sum. */
  private readonly latency = new LatencyBySecond();
  private readonly perSecondErrors: number[] = [];
  private readonly statusCodes = new StatusCounts();
  private readonly connections: Connection[] = [];
  private readonly slots: RequestSlot[] = [];
  private readonly connector: TimedConnector;
  /** One dispatch per request of the list, built once; each connection cycles through them. */
  private readonly dispatchOptions: Array<{
    method: string;
    path: string;
    headers: string[];
    body: Buffer | null;
    blocking: boolean;
    idempotent?: boolean;
  }>;
  private readonly schedule?: OpenSchedule;
  private startUs = 0;
  private endUs = 0;
  private issued = 0;
  private completed = 0;
  private failed = 0;
  private totalErrors = 0;
  private stopped = false;
  /** True while inside `client.dispatch`: an error then is undici rejecting the request itself. */
  private dispatching = false;
  private requestRejected?: string;
  private http2Refused?: UndiciThreadResult['http2Refused'];
  private deadline?: NodeJS.Timeout;
  /** Slots sent in this event-loop turn, to clear their `sentThisTurn` once it ends. */
  private readonly sentThisTurn: RequestSlot[] = [];
  private resolveDone!: () => void;

  constructor(
    private readonly spec: ThreadSpec,
    private readonly signal: AbortSignal | undefined,
    private readonly counters: ProgressSlot | undefined,
  ) {
    this.connector = new TimedConnector(this.connectLatency, {
      connectTimeoutMs: spec.timeoutMs,
      zone: spec.zone,
      tls: spec.tls,
      http2: spec.http2,
    });
    this.dispatchOptions = spec.requestList.map((request) => ({
      method: request.method,
      path: request.path,
      headers: request.headers,
      // A Buffer once: undici sends a Buffer as is, anything else would be converted per request.
      body: request.body === undefined ? null : Buffer.from(request.body),
      // undici holds back the next request while a "blocking" one (its default for all but HEAD)
      // or a non-idempotent one is in flight; pipelining asks for exactly that not to happen.
      blocking: false,
      idempotent: spec.pipelining > 1 ? true : undefined,
    }));
    if (spec.rate !== undefined) {
      const arrivals = {
        rate: spec.rate,
        stages: spec.stages,
        arrivals: spec.arrivals ?? 'uniform',
        seed: spec.seed ?? 0,
      };
      this.schedule = new OpenSchedule(arrivals, spec.durationMs, spec.requests, (slot, intendedUs) =>
        this.send(slot, intendedUs),
      );
    }
  }

  async run(): Promise<ThreadRun> {
    const done = new Promise<void>((resolve) => (this.resolveDone = resolve));
    const loop = new LoopMonitor();
    for (let c = 0; c < this.spec.connections; c++) {
      const client = new Client(this.spec.origin, {
        pipelining: this.spec.pipelining,
        // Off: undici's timeouts are coarse; TimeoutSweeper enforces timeoutMs instead.
        headersTimeout: 0,
        bodyTimeout: 0,
        connect: this.connector.connect,
        ...(this.spec.localAddress === undefined ? {} : { localAddress: this.spec.localAddress }),
      });
      const connection: Connection = { client, completed: 0, nextRequest: 0 };
      client.on('disconnect', (_origin, _targets, err) => this.onDisconnect(connection, err));
      this.connections.push(connection);
    }
    // Slots interleaved across connections, so that the open model's free list rotates over them.
    for (let p = 0; p < this.spec.pipelining; p++) {
      for (const connection of this.connections) this.slots.push(new RequestSlot(this, connection));
    }
    const sweeper = new TimeoutSweeper(this.slots, this.spec.timeoutMs);
    this.startUs = nowUs();
    if (this.signal?.aborted) {
      this.finish();
    } else {
      this.signal?.addEventListener('abort', this.onAbort, { once: true });
      this.deadline = setTimeout(() => this.finish(), this.spec.durationMs);
      if (this.schedule) this.schedule.start(this.startUs, this.slots);
      else for (const slot of this.slots) if (this.mayIssue()) this.send(slot, nowUs());
      if (this.spec.requests === 0) this.finish();
    }
    await done;
    sweeper.stop();
    const loopStats = loop.stop();
    const bytes = this.connector.bytesRead();
    const result: UndiciThreadResult = {
      requests: this.completed,
      bytes,
      durationMs: (this.endUs - this.startUs) / 1000,
      errors: this.errors,
      statusCodes: this.statusCodes.report(),
      ...this.latency.encode(),
      latencyUncorrected: this.schedule ? encodeHistogram(this.schedule.uncorrected) : undefined,
      connectLatency: encodeHistogram(this.connectLatency),
      perSecondRequests: fill(this.perSecondRequests),
      perSecondErrors: fill(this.perSecondErrors),
      perConnection: this.connections.map((c) => c.completed),
      connectionsOpened: this.connector.opened,
      schedule: this.schedule?.summary(),
      loop: loopStats,
      startedAtMs: performance.timeOrigin + this.startUs / 1000,
      requestRejected: this.requestRejected,
      http2Refused: this.http2Refused,
    };
    const close = async () => {
      await Promise.all(this.connections.map((c) => c.client.destroy().catch(() => undefined)));
    };
    return { result, close };
  }

  onSlotComplete(slot: RequestSlot): void {
    if (this.stopped) return;
    const now = nowUs();
    const second = Math.floor((now - this.startUs) / 1e6);
    const latencyUs = Math.round(now - (this.schedule ? slot.intendedUs : slot.sentUs));
    this.latency.record(second, latencyUs);
    this.schedule?.uncorrected.recordValue(Math.round(now - slot.sentUs));
    this.completed++;
    slot.connection.completed++;
    this.perSecondRequests[second] = (this.perSecondRequests[second] ?? 0) + 1;
    const status = slot.statusCode;
    this.statusCodes.record(status);
    if (status < 200 || status >= 400) this.countError('status', second);
    if (this.counters) {
      this.counters.array[this.counters.offset] = this.completed;
      recordLatency(this.counters, latencyUs);
    }
    this.release(slot, now);
  }

  onSlotError(slot: RequestSlot, err: Error): void {
    if (this.stopped) return;
    if (this.dispatching) {
      // undici refused the request itself (bad header, path, method): every request would fail the
      // same way, synchronously, so retrying would recurse. End the run and report it.
      this.requestRejected = err.message;
      this.finish();
      return;
    }
    if (err instanceof Http2NotNegotiatedError) {
      // Every connection to this server would be refused alike: end the run and report why.
      this.http2Refused = { origin: err.origin, chosen: err.chosen };
      this.finish();
      return;
    }
    const now = nowUs();
    const errorClass = classifyError(err);
    slot.connection.lastError = err;
    this.failed++;
    this.countError(errorClass, Math.floor((now - this.startUs) / 1e6));
    // undici fails requests from inside its own queue handling and then asserts the queue is empty
    // (a failed connect; an HTTP/2 session error such as a GOAWAY with an error code): a request
    // dispatched from this callback would crash it, so the slot is released once undici is done.
    if (errorClass === 'connect' || errorClass === 'tls') {
      // Retrying later also keeps a refused or untrusted target from being hammered in a spin.
      setTimeout(() => this.release(slot, nowUs()), CONNECT_RETRY_MS);
    } else {
      queueMicrotask(() => this.release(slot, now));
    }
  }

  /**
   * undici drops a connection on which a response arrives while none of its requests is in flight
   * ("bad response": more responses than requests) and sends what was queued on a new one, failing
   * no request: count the unrequested response here, once, as the native generator does.
   */
  private onDisconnect(connection: Connection, err: Error): void {
    if (this.stopped || err === connection.lastError || !isBadResponse(err)) return;
    this.countError('parse', Math.floor((nowUs() - this.startUs) / 1e6));
  }

  private countError(errorClass: keyof ErrorCounts, second: number): void {
    this.errors[errorClass]++;
    this.totalErrors++;
    this.perSecondErrors[second] = (this.perSecondErrors[second] ?? 0) + 1;
    if (this.counters) this.counters.array[this.counters.offset + 1] = this.totalErrors;
  }

  /** A slot is free again: closed model sends the next request on it, open model returns it to the pool. */
  private release(slot: RequestSlot, now: number): void {
    if (this.stopped) return;
    if (this.schedule) {
      this.schedule.release(slot, now);
      if (this.schedule.finished() && this.issued === this.completed + this.failed) this.finish();
    } else if (this.mayIssue()) {
      this.send(slot, now);
    } else if (this.issued === this.completed + this.failed) {
      this.finish();
    }
  }

  private mayIssue(): boolean {
    return this.spec.requests === undefined || this.issued < this.spec.requests;
  }

  private send(slot: RequestSlot, intendedUs: number): void {
    slot.intendedUs = intendedUs;
    slot.statusCode = 0;
    slot.busy = true;
    this.issued++;
    slot.sentUs = nowUs();
    slot.sentThisTurn = true;
    if (this.sentThisTurn.push(slot) === 1) queueMicrotask(this.endTurn);
    this.dispatching = true;
    const connection = slot.connection;
    const request = this.dispatchOptions[connection.nextRequest]!;
    connection.nextRequest =
      connection.nextRequest + 1 === this.dispatchOptions.length ? 0 : connection.nextRequest + 1;
    connection.client.dispatch(request, slot);
    this.dispatching = false;
  }

  private readonly onAbort = (): void => this.finish();

  /** The turn in which requests were sent is over: responses from now on may answer them. */
  private readonly endTurn = (): void => {
    for (const slot of this.sentThisTurn) slot.sentThisTurn = false;
    this.sentThisTurn.length = 0;
  };

  private finish(): void {
    if (this.stopped) return;
    this.stopped = true;
    this.endUs = nowUs();
    clearTimeout(this.deadline);
    this.schedule?.stop(this.endUs);
    this.signal?.removeEventListener('abort', this.onAbort);
    this.resolveDone();
  }
}

/** Seconds in which nothing completed are holes in a sparse array; make them zeros. */
function fill(values: number[]): number[] {
  return Array.from(values, (v) => v ?? 0);
}

/**
 * Measures how saturated this thread's event loop is over a phase: utilisation (the fraction of time
 * the loop was busy rather than waiting for I/O) and timer delay percentiles. A generator whose loop
 * is busy all the time cannot send faster, whatever the server does.
 */
class LoopMonitor {
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
