/** Reading a request body from a file (`--body-file`, a requests file's `@file` lines), bounded. */
import { readFile, stat } from 'node:fs/promises';
import { ConfigError } from '@iobench/core';

/** Largest body read from a file: every generator thread holds a copy, and wrk one per Lua state. */
export const MAX_BODY_BYTES = 16 * 1024 * 1024;

/** The bytes of the regular file `path`, at most `MAX_BODY_BYTES`; `what` names it in messages. */
export async function readBodyFile(path: string, what: string): Promise<Uint8Array> {
  let size: number;
  try {
    const s = await stat(path);
    if (!s.isFile()) throw new ConfigError(`${what} ${path} is not a regular file`);
    size = s.size;
  } catch (cause) {
    if (cause instanceof ConfigError) throw cause;
    const code = (cause as NodeJS.ErrnoException).code ?? (cause as Error).message;
    throw new ConfigError(`${what} ${path} cannot be read: ${code}`, { cause });
  }
  if (size > MAX_BODY_BYTES) {
    throw new ConfigError(`${what} ${path} holds ${size} bytes; at most ${MAX_BODY_BYTES} (16 MiB) are sent`);
  }
  return new Uint8Array(await readFile(path));
}
