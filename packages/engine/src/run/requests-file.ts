/**
 * `--requests-file FILE`: a list of requests each connection cycles through, in a format modelled on
 * vegeta's targets (docs/requests-file.md):
 *
 *     # a comment
 *     GET /
 *
 *     POST http://127.0.0.1:8080/api?x=1
 *     Content-Type: application/json
 *     @bodies/a.json
 *
 * A request is a `METHOD path-or-URL` line, then its header lines, then at most one `@file` line
 * naming its body (relative to the requests file), and ends at a blank line or the end of the file.
 * Every error names the file and the line. A URL must be on the target's origin: a generator holds
 * connections to one server, so a request elsewhere could not be sent on them.
 */
import { readFile, stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { ConfigError, HTTP_PATH, HTTP_TOKEN, type LoadRequest, originForm, parseHeaderLine } from '@iobench/core';
import { readBodyFile } from './request-body.js';

/** Largest requests file read: the list is held by every generator thread, and typed by people. */
export const MAX_REQUESTS_FILE_BYTES = 1024 * 1024;
/** Most requests in one file. */
export const MAX_REQUESTS = 10_000;
/** Most body bytes of all the file's requests together (each generator thread holds them). */
export const MAX_REQUESTS_BODY_BYTES = 64 * 1024 * 1024;

/**
 * Reads and parses the requests file at `path`. `origin` is the target's (`http://host:port`) when
 * the run measures a URL given by the user; absent (servers iobench starts, anchors), a request
 * must give a path only.
 */
export async function readRequestsFile(path: string, origin?: string): Promise<LoadRequest[]> {
  const fail = (why: string) => new ConfigError(`requests file ${path}: ${why}`);
  const size = await stat(path).then(
    (s) => (s.isFile() ? s.size : Number.NaN),
    (cause: NodeJS.ErrnoException) => {
      throw new ConfigError(`requests file ${path} cannot be read: ${cause.code ?? cause.message}`, { cause });
    },
  );
  if (Number.isNaN(size)) throw fail('is not a regular file');
  if (size > MAX_REQUESTS_FILE_BYTES) {
    throw fail(`holds ${size} bytes; at most ${MAX_REQUESTS_FILE_BYTES} (1 MiB) are read — bodies belong in @files`);
  }
  const text = await readFile(path, 'utf8');
  const parsed = parseRequestsText(text, origin);
  if ('error' in parsed) throw fail(parsed.error);
  const requests: LoadRequest[] = [];
  let bodyBytes = 0;
  for (const { request, bodyFile, line } of parsed.requests) {
    if (bodyFile === undefined) {
      requests.push(request);
      continue;
    }
    const body = await readBodyFile(resolve(dirname(path), bodyFile), `requests file ${path} line ${line}: body`);
    bodyBytes += body.length;
    if (bodyBytes > MAX_REQUESTS_BODY_BYTES) {
      throw fail(`the bodies of its requests add up to more than ${MAX_REQUESTS_BODY_BYTES / 1024 / 1024} MiB`);
    }
    requests.push({ ...request, body });
  }
  return requests;
}

/** A request as parsed, before its body file is read. */
export interface ParsedRequest {
  request: LoadRequest;
  /** The `@file` of its body, as written (relative to the requests file). */
  bodyFile?: string;
  /** Line of its `METHOD target` line, for messages. */
  line: number;
}

/** Parses the text of a requests file; an error says the line and what was expected there. */
export function parseRequestsText(text: string, origin?: string): { requests: ParsedRequest[] } | { error: string } {
  const requests: ParsedRequest[] = [];
  let current: ParsedRequest | undefined;
  let bodyGiven = false;
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const n = i + 1;
    const line = lines[i]!;
    const at = (why: string) => ({ error: `line ${n}: ${why}` });
    if (line.trim() === '') {
      current = undefined;
      continue;
    }
    if (line.startsWith('#')) continue;
    if (current === undefined) {
      const first = parseRequestLine(line, origin);
      if ('error' in first) return at(first.error);
      if (requests.length === MAX_REQUESTS) return at(`more than ${MAX_REQUESTS} requests; at most ${MAX_REQUESTS}`);
      current = { request: { ...first, headers: [] }, line: n };
      bodyGiven = false;
      requests.push(current);
    } else if (line.startsWith('@')) {
      if (bodyGiven) return at('a second @file: a request has one body');
      const file = line.slice(1).trim();
      if (file === '') return at('expected a file name after "@"');
      current.bodyFile = file;
      bodyGiven = true;
    } else {
      if (bodyGiven) return at(`expected a blank line after the @file body line, received ${JSON.stringify(line)}`);
      const header = parseHeaderLine(line);
      if ('error' in header) return at(`${header.error} (a header line of the request on line ${current.line})`);
      current.request.headers.push(header.header);
    }
  }
  if (requests.length === 0) return { error: 'holds no request; expected lines such as "GET /" or "POST /api"' };
  return { requests };
}

/** `GET /path` or `GET http://host:port/path`: the method and the request target in origin form. */
function parseRequestLine(line: string, origin?: string): { method: string; path: string } | { error: string } {
  const parts = line.trim().split(/\s+/);
  const [method, target] = parts;
  if (parts.length !== 2 || method === undefined || target === undefined) {
    return { error: `expected "METHOD path" or "METHOD URL", such as "GET /" (got ${JSON.stringify(line)})` };
  }
  if (!HTTP_TOKEN.test(method)) return { error: `${JSON.stringify(method)} is not an HTTP method token such as GET` };
  if (target.startsWith('/')) {
    if (!HTTP_PATH.test(target)) return { error: `${JSON.stringify(target)} holds spaces or control characters` };
    return { method, path: target };
  }
  let url: URL;
  try {
    url = new URL(target);
  } catch {
    return { error: `expected a path starting with "/" or an http(s):// URL, received ${JSON.stringify(target)}` };
  }
  if (origin === undefined) {
    return {
      error: `${JSON.stringify(target)} is a URL, but the servers of this run are started by iobench on ports it picks: give the path only, e.g. "${method} ${originForm(url)}"`,
    };
  }
  if (url.origin !== origin) {
    return {
      error: `${JSON.stringify(target)} is not on the target ${origin}: every request goes to the target's connections; give a path, or a URL on ${origin}`,
    };
  }
  return { method, path: originForm(url) };
}
