/**
 * Reads one config file by its kind. JavaScript and TypeScript configs are modules that run when
 * read, so only files the search trusts (trust.ts) or the user names with `--config` get here.
 * cosmiconfig's loaders parse YAML, JavaScript and TypeScript; its search is not used: it walks past
 * the project root and runs `.config/config.js` from the working directory as a "meta config".
 */
import { readFile } from 'node:fs/promises';
import { basename, extname } from 'node:path';
import { defaultLoaders } from 'cosmiconfig';
import { ConfigError } from '../errors.js';

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
  const loader = ext === '' ? defaultLoaders.noExt : defaultLoaders[ext as keyof typeof defaultLoaders];
  if (!loader) {
    throw new ConfigError(`config file ${filePath}: files ending in "${ext}" are not config files iobench reads`, {
      suggestions: [`Use one of: ${CONFIG_FILE_NAMES.join(', ')}.`],
    });
  }
  let value: unknown;
  try {
    value = await loader(filePath, text);
  } catch (cause) {
    throw new ConfigError(`could not read config file ${filePath}: ${(cause as Error).message}`, { cause });
  }
  if (basename(filePath) === 'package.json') return (value as Record<string, unknown> | null)?.[PACKAGE_KEY];
  return value ?? undefined;
}
