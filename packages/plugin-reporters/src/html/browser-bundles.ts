/**
 * The browser builds of vega, vega-lite and vega-embed, read from node_modules so that the HTML
 * report carries them inline and opens without network access.
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);

/** The packages' `exports` hide their build folders, so each is found beside a file they do export. */
const BUNDLES = [
  { name: 'vega', anchor: 'vega/vega-schema.json', file: 'vega.min.js' },
  { name: 'vega-lite', anchor: 'vega-lite/vega-lite-schema.json', file: 'vega-lite.min.js' },
  { name: 'vega-embed', anchor: 'vega-embed', file: 'vega-embed.min.js' },
];

let cached: Promise<string[]> | undefined;

/** The three UMD bundles' source, in load order (vega, vega-lite, vega-embed). Read once. */
export function browserBundles(): Promise<string[]> {
  cached ??= Promise.all(
    BUNDLES.map(async (b) => {
      const path = join(dirname(require.resolve(b.anchor)), b.file);
      const source = await readFile(path, 'utf8');
      return `/* ${b.name} (inlined from ${b.name}/${b.file}) */\n${escapeScript(source)}`;
    }),
  );
  return cached;
}

/** Inline script text must not contain `</script` or `<!--`, which would end or confuse the element. */
export function escapeScript(source: string): string {
  return source.replace(/<\/(script)/gi, '<\\/$1').replace(/<!--/g, '<\\!--');
}
