/**
 * A thread's count of responses by HTTP status code: one typed-array increment per response in the
 * hot loop (no map, no string), turned into the `{"200": n, ...}` record only when the thread reports.
 */
export class StatusCounts {
  /** Indexed by the status code itself; codes outside 100..999 are not HTTP and are never recorded. */
  private readonly counts = new Float64Array(1000);

  /** Counts one response with `status` (a parser hands over three digits, 100–999). */
  record(status: number): void {
    if (status >= 100 && status <= 999) this.counts[status]!++;
  }

  /** The codes seen and their counts, as results record them. */
  report(): Record<string, number> {
    const out: Record<string, number> = {};
    for (let code = 100; code < 1000; code++) if (this.counts[code]! > 0) out[String(code)] = this.counts[code]!;
    return out;
  }
}
