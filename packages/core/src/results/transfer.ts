/** The transfer rate of a point, for every reporter: recorded since `bytesPerSec` exists, derived for older files. */
import type { PointResult } from './model.js';

/** Response bytes per second of the measured phase; 0 for a point that measured no time. */
export function transferRate(p: Pick<PointResult, 'bytesPerSec' | 'bytes' | 'durationMs'>): number {
  if (p.bytesPerSec !== undefined) return p.bytesPerSec;
  return p.durationMs > 0 ? p.bytes / (p.durationMs / 1000) : 0;
}
