/** Reading and writing results files: atomic writes, validated reads. */
import { readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import {
  RESULTS_SCHEMA_VERSION,
  type ResultsFile,
  ResultsFileError,
  resultsFileSchema,
  starvationVerdict,
} from '@iobench/core';
import type { z } from 'zod';
import { makeDirectories, writeFileAtomic } from '../output/index.js';

/** Problems listed in a validation error; past these, a count (a wrong file has hundreds). */
const MAX_ISSUES_SHOWN = 5;

/** Writes `results` to `path` atomically: a new temporary file beside it, then rename. */
export async function writeResultsFile(path: string, results: ResultsFile): Promise<void> {
  await makeDirectories(dirname(path));
  await writeFileAtomic(path, `${JSON.stringify(results, null, 2)}\n`);
}

/** Reads a results file back, with a clear error when it is missing, corrupt or of another schema. */
export async function readResultsFile(path: string): Promise<ResultsFile> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code;
    const why =
      code === 'ENOENT'
        ? 'no such file'
        : code === 'EISDIR'
          ? 'it is a directory; give the results.json inside it'
          : (cause as Error).message;
    throw new ResultsFileError(`cannot read results file ${path}: ${why}`, { cause });
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (cause) {
    throw new ResultsFileError(
      `results file ${path} is not valid JSON (${(cause as Error).message}); it may be truncated or not an iobench results file`,
      {
        cause,
      },
    );
  }
  const d = data as Partial<ResultsFile>;
  if (typeof d !== 'object' || d === null || typeof d.schemaVersion !== 'number' || !Array.isArray(d.points)) {
    throw new ResultsFileError(
      `${path} is not an iobench results file: expected an object with schemaVersion and points`,
    );
  }
  if (d.schemaVersion !== RESULTS_SCHEMA_VERSION) {
    throw new ResultsFileError(
      `${path} has results schemaVersion ${d.schemaVersion}; this iobench reads schemaVersion ${RESULTS_SCHEMA_VERSION}`,
    );
  }
  const parsed = resultsFileSchema.safeParse(data);
  if (!parsed.success) {
    throw new ResultsFileError(describeIssues(path, d, parsed.error.issues), {
      suggestions: ['Was it edited by hand or truncated? Write it again with `iobench run` (or `iobench merge`).'],
    });
  }
  // The file as written rather than the schema's output, which would drop keys it does not know
  // (a merged file's env.hosts); error classes added since it was written count zero.
  const results = data as ResultsFile;
  // The plan as the schema reads it: files written before `loads` was the only list get theirs.
  results.plan = parsed.data.plan;
  // Files written before points stored their starvation verdict get it judged now, as the run would have.
  for (const point of results.points) {
    point.errors.tls ??= 0;
    const starvation = point.starvation ?? starvationVerdict(point);
    if (starvation) point.starvation = starvation;
  }
  return results;
}

/** One line per problem, each naming the point (by id) and the field path, e.g. `points[2].latencyUs.hdr`. */
function describeIssues(path: string, data: Partial<ResultsFile>, issues: z.core.$ZodIssue[]): string {
  const lines = issues.slice(0, MAX_ISSUES_SHOWN).map((issue) => {
    const field = issue.path.map((k, i) => (typeof k === 'number' ? `[${k}]` : `${i ? '.' : ''}${String(k)}`)).join('');
    const [top, index] = issue.path;
    const id = top === 'points' && typeof index === 'number' ? data.points?.[index]?.id : undefined;
    const point = typeof id === 'string' ? `point ${id}: ` : '';
    const message = issue.message.replace(/^Invalid input: /, '');
    // zod names the received type for type errors only; for a bad value, show the value.
    const received = message.includes('received') ? '' : `, received ${preview(valueAt(data, issue.path))}`;
    return `${point}${field || '(top level)'}: ${message}${received}`;
  });
  if (issues.length > MAX_ISSUES_SHOWN) lines.push(`and ${issues.length - MAX_ISSUES_SHOWN} more problem(s)`);
  const what = `${path} is not a valid iobench results file`;
  return lines.length === 1 ? `${what}: ${lines[0]}` : `${what} (${issues.length} problems):\n  ${lines.join('\n  ')}`;
}

function valueAt(data: unknown, path: readonly PropertyKey[]): unknown {
  let value = data;
  for (const key of path) value = (value as Record<PropertyKey, unknown> | undefined)?.[key];
  return value;
}

function preview(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}
