/**
 * Status codes as a point records them (`statusCodes`, `{"200": 1204, "404": 88}`): added across
 * threads, shards and merged files; read as shares by class (`status2xx`, what thresholds name);
 * written as the status line (`200×1,204, 404×88`); and judged once — a point most of whose
 * responses were not 2xx measured error responses, not what the user meant to measure.
 */
import { addCounts } from './counts.js';
import { formatCount } from './format.js';
import { ERROR_CLASSES, type PointResult, type StatusCodes } from './model.js';

/** A status class by its first digit, as thresholds name it (`status2xx`). */
export type StatusClass = '1xx' | '2xx' | '3xx' | '4xx' | '5xx';

/** Share of responses not 2xx above which a point is flagged `non-2xx` (most of them). */
export const NON_2XX_SHARE = 0.5;

/**
 * The status codes of several parts (threads, shards, files) added code by code; undefined when
 * any part did not count them, since the sum would then cover only some of the responses.
 */
export function addStatusCodes(parts: ReadonlyArray<StatusCodes | undefined>): StatusCodes | undefined {
  return addCounts(parts);
}

/** Share (%) of the point's counted responses whose status is in `statusClass`; undefined when codes were not counted. */
export function statusShare(p: Pick<PointResult, 'statusCodes'>, statusClass: StatusClass): number | undefined {
  if (!p.statusCodes) return undefined;
  let total = 0;
  let inClass = 0;
  for (const [code, n] of Object.entries(p.statusCodes)) {
    total += n;
    if (code[0] === statusClass[0]) inClass += n;
  }
  return total > 0 ? (inClass / total) * 100 : 0;
}

/** `200×1,204, 404×88`: every code, ascending; empty when none was counted. */
export function formatStatusCodes(codes: StatusCodes): string {
  return Object.entries(codes)
    .filter(([, n]) => n > 0)
    .sort(([a], [b]) => Number(a) - Number(b))
    .map(([code, n]) => `${code}×${formatCount(n)}`)
    .join(', ');
}

/**
 * Share (0..1) of the point's responses that were not 2xx: from its status codes, or, for a
 * generator that does not count codes (wrk by default), from its status errors (responses of 400
 * and above for wrk, outside 2xx/3xx for the others) — a lower bound then. Undefined with no response.
 */
export function non2xxShare(p: Pick<PointResult, 'statusCodes' | 'requests' | 'errors'>): number | undefined {
  if (p.statusCodes) {
    const share = statusShare(p, '2xx')!;
    const total = Object.values(p.statusCodes).reduce((a, b) => a + b, 0);
    return total > 0 ? 1 - share / 100 : undefined;
  }
  return p.requests > 0 ? Math.min(1, p.errors.status / p.requests) : undefined;
}

/** True when most of the point's responses were not 2xx (`NON_2XX_SHARE`): the `non-2xx` flag. */
export function mostlyNon2xx(p: Pick<PointResult, 'statusCodes' | 'requests' | 'errors'>): boolean {
  const share = non2xxShare(p);
  return share !== undefined && share > NON_2XX_SHARE;
}

/**
 * What the point's responses and errors were, when anything was not a 2xx response — `status
 * 200×1,204, 404×88; errors 88 status, 3 reset` — or undefined when every response was 2xx and
 * nothing failed. Without status codes, the status errors stand for the responses not 2xx.
 */
export function describeResponses(p: Pick<PointResult, 'statusCodes' | 'requests' | 'errors'>): string | undefined {
  const errors = ERROR_CLASSES.filter((k) => p.errors[k] > 0).map((k) => `${formatCount(p.errors[k])} ${k}`);
  const codes = p.statusCodes ? formatStatusCodes(p.statusCodes) : '';
  const not2xx = p.statusCodes ? Object.keys(p.statusCodes).some((c) => c[0] !== '2' && p.statusCodes![c]! > 0) : false;
  if (!not2xx && errors.length === 0) return undefined;
  const parts = [...(codes ? [`status ${codes}`] : []), ...(errors.length ? [`errors ${errors.join(', ')}`] : [])];
  return parts.join('; ');
}

/** The warning for a `non-2xx` point, for the notes under a table; undefined when most responses were 2xx. */
export function non2xxWarning(p: Pick<PointResult, 'statusCodes' | 'requests' | 'errors'>): string | undefined {
  if (!mostlyNon2xx(p)) return undefined;
  const share = `${Math.round(non2xxShare(p)! * 100)}%`;
  const what = p.statusCodes
    ? `${share} of responses were not 2xx (${formatStatusCodes(p.statusCodes)})`
    : `${share} of responses had an error status (the load generator did not count status codes)`;
  return `WARNING: ${what}: the figures measure error responses, not the page you meant; check the URL, method and headers`;
}
