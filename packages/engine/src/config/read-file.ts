/**
 * Reads one config file by its kind. JavaScript and TypeScript configs are modules that run when
 * read, so only files the search trusts (trust.ts) or the user names with `--config` get here.
 * cosmiconfig's loaders parse YAML, JavaScript and TypeScript; its search is not used: it walks past
 * the project root and runs `.config/config.js` from the working directory as a "meta config".
 */
import { readFile } from 'node:fs/promises';
import { basename, extname } from 'node:path';
import { ConfigError } from '@iobench/core';
import { defaultLoaders } from 'cosmiconfig';
import jsonc from 'jsonc-parser';

/** Config file names, in the order each directory is searched. */
export const CONFIG_FILE_NAMES = [
  'package.json',
  '.iobenchrc',
  '.iobenchrc.json',
  '.iobenchrc.yaml',
  '.iobenchrc.yml',
  'iobench.config.js',
  'iobench.config.mjs',
  'iobench.config.ts',
] as const;

/** The key of package.json that holds iobench's settings. */
const PACKAGE_KEY = 'iobench';

/**
 * The settings in `filePath`, or undefined when it holds none (an empty file, a package.json
 * without an `iobench` key). Throws a ConfigError naming the file when it cannot be read or parsed.
 */
export async function readConfigFile(filePath: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(filePath, 'utf8');
  } catch (cause) {
    throw new ConfigError(`could not read config file ${filePath}: ${(cause as Error).message}`, { cause });
  }
  if (text.trim() === '') return undefined;
  const ext = extname(filePath);
  if (ext === '.json') {
    const value = parseJson(filePath, text, '');
    return basename(filePath) === 'package.json' ? (value as Record<string, unknown> | null)?.[PACKAGE_KEY] : value;
  }
  if (ext === '' && text.trimStart().startsWith('{')) return parseRcStartingWithBrace(filePath, text);
  const loader = ext === '' ? defaultLoaders.noExt : defaultLoaders[ext as keyof typeof defaultLoaders];
  if (!loader) {
    throw new ConfigError(`config file ${filePath}: files ending in "${ext}" are not config files iobench reads`, {
      suggestions: [`Use one of: ${CONFIG_FILE_NAMES.join(', ')}.`],
    });
  }
  try {
    return (await loader(filePath, text)) ?? undefined;
  } catch (cause) {
    throw new ConfigError(`could not read config file ${filePath}: ${(cause as Error).message}`, { cause });
  }
}

/**
 * `.iobenchrc` may be JSON or YAML. Text starting with `{` is meant as JSON (or a YAML flow
 * mapping, which is accepted too); when neither parses, the JSON error is the one that helps.
 */
function parseRcStartingWithBrace(filePath: string, text: string): unknown {
  try {
    return parseJson(filePath, text, ' (it starts with "{")');
  } catch (jsonError) {
    try {
      return defaultLoaders.noExt(filePath, text);
    } catch {
      throw jsonError;
    }
  }
}

/** JSON.parse, but a syntax error names the file, the line and the column. */
function parseJson(filePath: string, text: string, why: string): unknown {
  const errors: jsonc.ParseError[] = [];
  jsonc.parse(text, errors, { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false });
  const first = errors[0];
  if (!first) return JSON.parse(text);
  const before = text.slice(0, first.offset).split('\n');
  const line = before.length;
  const column = (before.at(-1)?.length ?? 0) + 1;
  throw new ConfigError(
    `config file ${filePath} is not valid JSON${why}: ${describeJsonError(first.error)} at line ${line}, column ${column}`,
    { suggestions: ['JSON allows no comments and no comma after the last item.'] },
  );
}

/** `PropertyNameExpected` -> `property name expected`. */
function describeJsonError(code: jsonc.ParseErrorCode): string {
  return jsonc
    .printParseErrorCode(code)
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .toLowerCase();
}
