/**
 * The results file of a run, from its first write to its last: `running` with the plan before the
 * first point, rewritten atomically after every point (a run that is killed keeps what it
 * finished), and always ended — whatever the run threw — with a final status and `finishedAt`.
 */
import {
  type CapacityResult,
  type FailureRecord,
  IobenchError,
  type PointResult,
  RESULTS_SCHEMA_VERSION,
  type ResultsFile,
} from '@iobench/core';
import { writeResultsFile } from '../results/file.js';

/** What a run knows of its results before the first point. */
export type ResultsHeader = Pick<ResultsFile, 'env' | 'plan' | 'shard'>;

/** How a run ended, for its final status. */
export interface RunEnding {
  /** The run was interrupted (Ctrl-C, SIGTERM). */
  aborted: boolean;
  /** What the run threw, if it threw. */
  failure?: unknown;
}

export class ResultsWriter {
  private constructor(
    readonly path: string,
    private readonly results: ResultsFile,
  ) {}

  /** Writes the file with status `running`, the plan and no points. */
  static async start(path: string, header: ResultsHeader): Promise<ResultsWriter> {
    const writer = new ResultsWriter(path, {
      schemaVersion: RESULTS_SCHEMA_VERSION,
      createdAt: new Date().toISOString(),
      status: 'running',
      env: header.env,
      plan: header.plan,
      ...(header.shard ? { shard: header.shard } : {}),
      points: [],
    });
    await writeResultsFile(path, writer.results);
    return writer;
  }

  /** The points written so far. */
  get points(): readonly PointResult[] {
    return this.results.points;
  }

  /** Adds a finished point and rewrites the file. */
  async add(point: PointResult): Promise<void> {
    this.results.points.push(point);
    await writeResultsFile(this.path, this.results);
  }

  /** Records what the capacity searches found (`--find-capacity`) and rewrites the file. */
  async setCapacity(capacity: CapacityResult[]): Promise<void> {
    this.results.capacity = capacity;
    await writeResultsFile(this.path, this.results);
  }

  /**
   * Ends the file: `interrupted` when the run was, `failed` when it threw (the error recorded) or
   * every point failed, else `complete`; `finishedAt` in every case. Returns the final results.
   */
  async finish({ aborted, failure }: RunEnding): Promise<ResultsFile> {
    const { points, plan } = this.results;
    const allFailed =
      points.length > 0 &&
      (points.length === plan.pointCount || plan.findCapacity !== undefined) &&
      points.every((p) => p.status === 'failed');
    this.results.status = aborted ? 'interrupted' : failure !== undefined || allFailed ? 'failed' : 'complete';
    this.results.finishedAt = new Date().toISOString();
    if (failure !== undefined && !aborted) this.results.error = describeFailure(failure);
    await writeResultsFile(this.path, this.results);
    return this.results;
  }
}

/** What results.json says about the error that stopped a run. */
function describeFailure(failure: unknown): FailureRecord {
  if (failure instanceof IobenchError)
    return { code: failure.code, message: failure.message, ...(failure.plugin ? { plugin: failure.plugin } : {}) };
  const error = failure instanceof Error ? failure : new Error(String(failure));
  return { code: error.name, message: error.message };
}
