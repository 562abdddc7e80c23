/** The rendered objects as YAML files, each headed by the command that renders it again. */
import { stringify } from 'yaml';
import type { KubeFile } from './manifests.js';

/** The header line naming the command; `kube render` tests read it back to re-render. */
export const RENDERED_BY = '# Rendered by: ';

/** A file's text: the header, then its objects as YAML documents. */
export function kubeFileText(file: KubeFile, command: string[]): string {
  const header = [
    `${RENDERED_BY}${command.map(shellQuote).join(' ')}`,
    '# Re-render instead of editing: the load pods run `iobench run` with these flags.',
  ];
  const docs = file.objects.map((o) => stringify(o, { lineWidth: 0 }));
  return `${header.join('\n')}\n${docs.map((d) => `---\n${d}`).join('')}`;
}

/** A word as a POSIX shell reads it back. */
export function shellQuote(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replaceAll("'", `'\\''`)}'`;
}
