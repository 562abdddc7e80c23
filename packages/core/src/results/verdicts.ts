/**
 * The verdicts a point carries, judged once — when the point is assembled (or merged) — from what
 * was measured, and stored in it, so that every reporter shows the same thing:
 * - generator-bound: the load generator, not the server, was the bottleneck (`loadStats.generatorBound`);
 * - starvation: the server left connections waiting (`starvation`);
 * - empty: the point completed no request, so it measured nothing (`status: 'failed'`, `IOBENCH_POINT_EMPTY`);
 * - overloaded: an open-model point could not keep its schedule (`schedule.overloaded`).
 */
import { formatDurationMs } from './format.js';
import {
  ERROR_CLASSES,
  type ErrorCounts,
  type FailureRecord,
  type LoadPointStats,
  type PerConnectionSummary,
  type PointResult,
  type PointSchedule,
  type ServerPointStats,
  type Starvation,
} from './model.js';
import { mostlyNon2xx } from './status.js';

/** Share of the generator's CPU budget (threads x one core) above which a point is generator-bound. */
const GENERATOR_BOUND_CPU_SHARE = 0.9;

/** What the generator-bound verdict is judged from. */
export interface GeneratorEvidence {
  requests: number;
  /** The load plugin said it was saturated (`LoadResult.generatorBound`). */
  reported?: boolean;
  /** CPU microseconds the generator used over the measured phase. */
  cpuUs: number;
  durationMs: number;
  /** Generator threads: its CPU budget is one core each. */
  threads: number;
}

/**
 * Generator-bound when the generator said so or used at least 90% of its threads' cores; never for a
 * point that completed no request (there was nothing to be bound by).
 */
export function generatorBoundVerdict(
  m: GeneratorEvidence,
): Pick<LoadPointStats, 'generatorBound' | 'generatorBoundReason'> {
  if (m.requests === 0) return { generatorBound: false };
  const budgetUs = m.durationMs * 1000 * m.threads;
  if (m.reported) return { generatorBound: true, generatorBoundReason: 'the load generator reported saturation' };
  if (m.cpuUs < GENERATOR_BOUND_CPU_SHARE * budgetUs) return { generatorBound: false };
  const share = Math.round((m.cpuUs / budgetUs) * 100);
  return { generatorBound: true, generatorBoundReason: `the generator used ${share}% of its ${m.threads} core(s)` };
}

/**
 * Starvation, from the best evidence the point has: the generator's per-connection counts
 * (connections that completed no request), else the server's count of connections accepted in the
 * first half of the measured phase (a generator such as wrk cannot tell its connections apart, and
 * after the run closing connections drain the backlog and hide it). Undefined when neither exists.
 */
export function starvationVerdict(
  p: Pick<PointResult, 'params' | 'perConnection' | 'serverStats'>,
): Starvation | undefined {
  if (p.perConnection)
    return { starved: p.perConnection.starved, connections: p.perConnection.connections, seenIn: 'perConnection' };
  const accepted = p.serverStats?.acceptedFirstHalf;
  if (accepted === undefined) return undefined;
  const connections = p.params.connections;
  return { starved: Math.max(0, connections - accepted), connections, seenIn: 'acceptedFirstHalf' };
}

/** The starvation verdict in words, for notes: `7 of 8 connections completed no request (starved)`. */
export function describeStarvation({ starved, connections, seenIn }: Starvation): string {
  return seenIn === 'perConnection'
    ? `${starved} of ${connections} connections completed no request (starved)`
    : `the server accepted only ${connections - starved} connection(s) in the first half of the measured phase while the generator held ${connections} open: the rest waited (starved)`;
}

/** What the empty verdict is judged from: what the measured phase saw. */
export interface EmptyPointEvidence {
  requests: number;
  durationMs: number;
  errors: ErrorCounts;
  perConnection?: PerConnectionSummary;
  server?: ServerPointStats;
  idle?: { requested: number; held: number };
}

/**
 * A point that completed no request measured nothing: its error says what was seen instead, e.g.
 * `completed no request in 300ms (errors: 12 connect; the server accepted 0 connection(s))`.
 */
export function emptyPointError(m: EmptyPointEvidence): FailureRecord | undefined {
  if (m.requests > 0) return undefined;
  const seen: string[] = [];
  const errors = ERROR_CLASSES.filter((k) => m.errors[k] > 0).map((k) => `${m.errors[k]} ${k}`);
  if (errors.length > 0) seen.push(`errors: ${errors.join(', ')}`);
  if (m.perConnection) seen.push(`${m.perConnection.starved} of ${m.perConnection.connections} connections starved`);
  if (m.server) seen.push(`the server accepted ${m.server.accepted} connection(s)`);
  if (m.idle) seen.push(`${m.idle.held} of ${m.idle.requested} idle connection(s) held open`);
  const what = seen.length > 0 ? ` (${seen.join('; ')})` : '';
  // Every handshake failing is a certificate the generator does not trust, not a slow server.
  const tls =
    m.errors.tls > 0
      ? '; the TLS handshake failed: for a self-signed or private CA certificate, trust its CA with --cacert FILE, or skip verification with -k/--insecure'
      : '';
  return {
    code: 'IOBENCH_POINT_EMPTY',
    message: `completed no request in ${formatDurationMs(m.durationMs)}${what}${tls}`,
  };
}

/**
 * Share of sends that may go out late (over 1 ms after their intended time) before the point is
 * overloaded. Not 1%: on a quiet 2-core VM the native generator's own jitter (its thread woken
 * late, now and then by milliseconds) sends 0.7% of requests late at 1,000 req/s, 1.0% at 5,000 and
 * 3.1% at 20,000, and 2–6% at 1,500 req/s against a server spinning 500 µs per request, with no
 * queue anywhere (`node benchmarks/capacity.mjs lag`); a backlog (every connection busy, or a thread
 * that cannot keep up) makes nearly every send late within a fraction of a second. The jitter itself
 * is recorded as the send lag, counted in the corrected latency, and judged against SLOs.
 */
export const OVERLOAD_LATE_SHARE = 0.1;

/** What the overload verdict is judged from: the generator's schedule and what completed. */
export type ScheduleEvidence = Omit<PointSchedule, 'overloaded' | 'overloadReason' | 'sendLagUs'>;

/**
 * An open-model point is overloaded when it could not keep its schedule, so that its latency
 * describes a queue inside the generator rather than the server:
 * - any dropped send (due more than 1 ms before the end and never sent: the backlog never drained);
 * - more than 10% of the sends late (out more than 1 ms after their intended time: every connection
 *   was busy, or the generator's thread could not keep up).
 * "1 ms" is the generator's declared send precision (`lateAfterUs`): undici's timers tick in
 * milliseconds, so it declares 2 ms — judged at 1 ms, 11–15% of its sends were late at any rate on
 * a quiet machine with no queue anywhere, and every undici open-model point read overloaded.
 * The achieved rate (completions per second) is shown beside the target but judged through these:
 * a send either went out (then its request is completed, failed, or in flight at the end — at most
 * connections × pipelining of them) or it waits in the backlog (then it is late or dropped). Comparing
 * completions with the target directly would flag short, healthy probes for the requests still in
 * flight when the phase ends, and Poisson draws for their natural spread around the target.
 */
export function overloadVerdict(s: ScheduleEvidence): Pick<PointSchedule, 'overloaded' | 'overloadReason'> {
  const reasons: string[] = [];
  if (s.droppedSends > 0) reasons.push(`${s.droppedSends} send(s) never went out`);
  const offered = s.offered ?? s.lateSends + s.droppedSends;
  if (offered > 0 && s.lateSends > OVERLOAD_LATE_SHARE * offered)
    reasons.push(`${percent(s.lateSends / offered)} of sends went out over ${formatLateAfter(s.lateAfterUs)} late`);
  return reasons.length === 0 ? { overloaded: false } : { overloaded: true, overloadReason: reasons.join('; ') };
}

/**
 * A measured point's flags, for the flags column of every table: `partial` (interrupted, what was
 * measured kept), `generator-bound`, `overloaded`, `non-2xx` (most responses were not 2xx).
 */
export function pointFlags(
  p: Pick<PointResult, 'status' | 'partial' | 'loadStats' | 'schedule' | 'statusCodes' | 'requests' | 'errors'>,
): string[] {
  if (p.status !== 'ok' && !p.partial) return [];
  return [
    ...(p.partial ? ['partial'] : []),
    ...(p.loadStats.generatorBound ? ['generator-bound'] : []),
    ...(p.schedule?.overloaded ? ['overloaded'] : []),
    ...(mostlyNon2xx(p) ? ['non-2xx'] : []),
  ];
}

/** True for a point whose figures can be shown: measured, or interrupted with what it had measured kept. */
export function hasFigures(p: Pick<PointResult, 'status' | 'partial'>): boolean {
  return p.status === 'ok' || p.partial === true;
}

/** What to do about an overloaded point, for the warning under a table. */
export const OVERLOAD_ADVICE =
  'overloaded: the generator could not keep the schedule, so latency there is its own queue, not the server; lower the rate, add connections or generator threads (--threads), or shards';

function formatLateAfter(us = 1000): string {
  return `${Number((us / 1000).toPrecision(3))}ms`;
}

function percent(share: number): string {
  return `${Number((share * 100).toPrecision(2))}%`;
}
