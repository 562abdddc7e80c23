/**
 * Thresholds: absolute pass/fail criteria per point, as k6 has them, in iobench's own numbers
 * (`p99<10ms`, `p95<5ms`, `p99.9<50ms`, `rps>50000`, `errors<0.1%`, `status2xx>99%`, `status5xx<1%`,
 * `cpuPerRequest<20us`, `dropped<1`). Parsed once from
 * config, evaluated once per measured point where the point is assembled, recorded in the point;
 * a run with any failed check exits 1.
 */
import { formatCount, formatLatencyUs } from './format.js';
import type { LatencySummary, PointResult, ThresholdCheck, ThresholdMetric, ThresholdOp } from './model.js';
import { type StatusClass, statusShare } from './status.js';

/** A parsed threshold: `metric op limit`, the limit in the metric's unit (µs, req/s, %, count). */
export interface Threshold {
  /** As written, whitespace removed: `p99<10ms`. */
  text: string;
  metric: ThresholdMetric;
  op: ThresholdOp;
  limit: number;
}

/** Latency metrics by the names users write (`p99.9`, also `p99_9` and k6's `p(99.9)`). */
const LATENCY: Record<string, keyof LatencySummary & ThresholdMetric> = {
  p50: 'p50',
  p75: 'p75',
  p90: 'p90',
  p95: 'p95',
  p99: 'p99',
  'p99.9': 'p99_9',
  'p99.99': 'p99_99',
  max: 'max',
  mean: 'mean',
};

/** Shares of responses by status class, as thresholds name them (`status2xx>99%`). */
const STATUS: Record<string, ThresholdMetric & `status${StatusClass}`> = {
  status2xx: 'status2xx',
  status3xx: 'status3xx',
  status4xx: 'status4xx',
  status5xx: 'status5xx',
};

/** Every metric name a threshold accepts, for messages. */
export const THRESHOLD_METRICS = [
  ...Object.keys(LATENCY),
  'rps',
  'errors',
  ...Object.keys(STATUS),
  'cpuPerRequest',
  'dropped',
  'late',
];

const UNIT_US: Record<string, number> = { us: 1, µs: 1, ms: 1000, s: 1_000_000 };
const STATEMENT = /^([A-Za-z][\w.()]*)(<=|>=|<|>)(.*)$/;
const NUMBER = '(\\d+(?:\\.\\d+)?)';

/**
 * Reads a threshold, or says what is wrong with it: the message quotes the threshold, says what
 * was expected and what was received, e.g. `"p99<10": expected a latency with a unit ..., received "10"`.
 */
export function parseThreshold(input: string): { threshold: Threshold } | { error: string } {
  const text = input.replace(/\s+/g, '');
  const fail = (expected: string, received: string) => ({
    error: `"${input}": expected ${expected}, received "${received}"`,
  });
  const statement = STATEMENT.exec(text);
  if (!statement) return fail('<metric><op><value> with op <, <=, > or >=, e.g. p99<10ms or rps>50000', input);
  const [, written, op, value] = statement as unknown as [string, string, ThresholdOp, string];
  // k6's `p(99.9)` and the results file's `p99_9` name the same percentile as `p99.9`.
  const key = LATENCY[written.replace(/^p\((.+)\)$/, 'p$1').replace(/^p(\d+)_(\d+)$/, 'p$1.$2')];
  const ok = (metric: ThresholdMetric, limit: number) => ({ threshold: { text, metric, op, limit } });
  if (key) {
    const m = new RegExp(`^${NUMBER}(us|µs|ms|s)$`).exec(value);
    if (!m) return fail('a latency with a unit, us, ms or s, e.g. 10ms', value);
    return ok(key, Number(m[1]) * UNIT_US[m[2]!]!);
  }
  const status = STATUS[written];
  if (status) {
    const m = new RegExp(`^${NUMBER}%$`).exec(value);
    if (!m) return fail(`a share of responses, e.g. ${written}${written === 'status2xx' ? '>99%' : '<1%'}`, value);
    return ok(status, Number(m[1]));
  }
  switch (written) {
    case 'rps': {
      const m = new RegExp(`^${NUMBER}(k?)$`).exec(value);
      if (!m) return fail('requests per second, e.g. 50000 or 50k', value);
      return ok('rps', Number(m[1]) * (m[2] ? 1000 : 1));
    }
    case 'errors': {
      const m = new RegExp(`^${NUMBER}(%?)$`).exec(value);
      if (!m) return fail('a share of requests such as 0.1% or a count such as 10', value);
      return ok(m[2] ? 'errorRate' : 'errors', Number(m[1]));
    }
    case 'cpuPerRequest': {
      const m = new RegExp(`^${NUMBER}(us|µs|ms)$`).exec(value);
      if (!m) return fail('server CPU time per request with a unit, us or ms, e.g. 20us', value);
      return ok('cpuPerRequest', Number(m[1]) * UNIT_US[m[2]!]!);
    }
    case 'dropped':
    case 'late': {
      const m = /^\d+$/.exec(value);
      if (!m) return fail(`a count of ${written} sends (open model), e.g. ${written}<1`, value);
      return ok(written, Number(value));
    }
    default:
      return fail(`a metric: ${THRESHOLD_METRICS.join(', ')}`, written);
  }
}

/** The value of `metric` for a measured point, in the metric's unit; undefined when not measured. */
export function metricValue(point: PointResult, metric: ThresholdMetric): number | undefined {
  const errors = Object.values(point.errors).reduce((a, b) => a + b, 0);
  switch (metric) {
    case 'rps':
      return point.rps;
    case 'errors':
      return errors;
    case 'errorRate': {
      // Status errors are completed requests; the other classes are requests that never completed.
      const attempts = point.requests + errors - point.errors.status;
      return attempts > 0 ? (errors / attempts) * 100 : 0;
    }
    case 'cpuPerRequest':
      return point.serverStats?.cpuUsPerRequest;
    case 'dropped':
      return point.schedule?.droppedSends;
    case 'late':
      return point.schedule?.lateSends;
    case 'status2xx':
    case 'status3xx':
    case 'status4xx':
    case 'status5xx':
      return statusShare(point, metric.slice(6) as StatusClass);
    default:
      return point.latencyUs[metric];
  }
}

/**
 * Each threshold checked against a measured point. A metric the point lacks fails its check (a
 * status share on a point whose generator did not count status codes says how to count them). A
 * latency limit that the generator's own send lag (open model) takes half of or more carries a
 * caution: the corrected latency counts the generator's lateness too, so the server cannot be told apart.
 */
export function evaluateThresholds(point: PointResult, thresholds: readonly Threshold[]): ThresholdCheck[] {
  return thresholds.map(({ text, metric, op, limit }) => {
    const value = metricValue(point, metric);
    const pass = value !== undefined && compare(value, op, limit);
    const caution = sendLagCaution(point, text, metric, limit) ?? statusCaution(point, text, metric);
    return {
      threshold: text,
      metric,
      op,
      limit,
      ...(value === undefined ? {} : { value: round(value) }),
      pass,
      ...(caution ? { caution } : {}),
    };
  });
}

/** Share of a latency limit the generator's own send lag may take before a check says it cannot judge. */
const SEND_LAG_SHARE = 0.5;

function sendLagCaution(point: PointResult, text: string, metric: ThresholdMetric, limit: number): string | undefined {
  const lag = point.schedule?.sendLagUs;
  if (!lag || !(metric in LATENCY_NAMES)) return undefined;
  const lagUs = lag[metric as keyof typeof LATENCY_NAMES];
  if (lagUs < SEND_LAG_SHARE * limit) return undefined;
  return `the generator's own ${LATENCY_NAMES[metric as keyof typeof LATENCY_NAMES]} send lag is ${formatLatencyUs(lagUs)}: ${text} cannot be judged on this machine`;
}

/** Why a status share could not be judged: the point's load generator did not count status codes. */
function statusCaution(point: PointResult, text: string, metric: ThresholdMetric): string | undefined {
  if (!(metric in STATUS) || point.statusCodes) return undefined;
  return `${point.load} did not count status codes, so ${text} cannot be judged (wrk counts them with --load-opt wrk.statusCodes=true)`;
}

/** The latency metrics by their written names, for messages. */
const LATENCY_NAMES = Object.fromEntries(Object.entries(LATENCY).map(([name, key]) => [key, name])) as Record<
  (typeof LATENCY)[string],
  string
>;

/** Every failed check of a run, with its point: what `iobench run` exits 1 on. */
export function failedThresholds(points: readonly PointResult[]): Array<{ point: PointResult; check: ThresholdCheck }> {
  return points.flatMap((point) => (point.thresholds ?? []).filter((c) => !c.pass).map((check) => ({ point, check })));
}

/**
 * The run's verdict in words: `thresholds: 6 of 6 checks passed on 2 points`, or
 * `thresholds: 1 of 6 checks failed on 1 of 2 points` and a line per failed check
 * (`node/native/c2/r0: p99<10ms, was 12.30ms`). Undefined when no point was checked.
 */
export function thresholdVerdict(points: readonly PointResult[]): { pass: boolean; lines: string[] } | undefined {
  const checked = points.filter((p) => p.thresholds?.length);
  if (checked.length === 0) return undefined;
  const checks = checked.reduce((n, p) => n + (p.thresholds?.length ?? 0), 0);
  const failed = failedThresholds(checked);
  if (failed.length === 0) {
    return { pass: true, lines: [`thresholds: ${checks} of ${checks} checks passed on ${checked.length} point(s)`] };
  }
  const failedPoints = new Set(failed.map(({ point }) => point.id)).size;
  return {
    pass: false,
    lines: [
      `thresholds: ${failed.length} of ${checks} checks failed on ${failedPoints} of ${checked.length} point(s)`,
      ...failed.map(({ point, check }) => `${point.id}: ${check.threshold}, was ${formatThresholdValue(check)}`),
    ],
  };
}

/** A checked value as the threshold reads it: `12.30ms`, `48,210`, `0.25%`, `31.5µs`. */
export function formatThresholdValue(check: Pick<ThresholdCheck, 'metric' | 'value'>): string {
  const { metric, value } = check;
  if (value === undefined) return 'not measured';
  if (metric === 'errorRate' || metric.startsWith('status')) return `${Number(value.toPrecision(3))}%`;
  if (metric === 'rps' || metric === 'errors' || metric === 'dropped' || metric === 'late') return formatCount(value);
  return formatLatencyUs(value);
}

function compare(value: number, op: ThresholdOp, limit: number): boolean {
  switch (op) {
    case '<':
      return value < limit;
    case '<=':
      return value <= limit;
    case '>':
      return value > limit;
    case '>=':
      return value >= limit;
  }
}

function round(x: number): number {
  return Math.round(x * 10_000) / 10_000;
}
