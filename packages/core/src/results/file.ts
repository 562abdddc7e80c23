/** Reading and writing results files: atomic writes, validated reads. */
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { ResultsFileError } from '../errors.js';
import { RESULTS_SCHEMA_VERSION, type ResultsFile } from './types.js';

/** Writes `results` to `path` atomically: a temporary file beside it, then rename. */
export async function writeResultsFile(path: string, results: ResultsFile): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const tmp = `${path}.${process.pid}.tmp`;
  await writeFile(tmp, `${JSON.stringify(results, null, 2)}\n`);
  await rename(tmp, path);
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
  return d as ResultsFile;
}
