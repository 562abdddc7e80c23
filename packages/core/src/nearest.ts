/** "Did you mean": the known names nearest to a misspelt one, for messages that suggest. */

/**
 * The names of `known` nearest to `name` by edit distance, case, `-` and `_` ignored; empty when
 * none is near (more than a third of the name's letters, at least one, would have to change).
 */
export function nearestNames(name: string, known: Iterable<string>): string[] {
  const norm = (k: string) => k.toLowerCase().replace(/[-_]/g, '');
  const limit = Math.max(1, Math.floor(name.length / 3));
  const scored = [...new Set(known)]
    .map((k) => ({ k, d: editDistance(norm(name), norm(k)) }))
    .filter(({ d }) => d <= limit);
  const best = Math.min(...scored.map(({ d }) => d));
  return scored.filter(({ d }) => d === best).map(({ k }) => k);
}

/** ` (did you mean "epoll"?)`, or nothing when there is no near name. */
export function didYouMean(names: string[]): string {
  return names.length ? ` (did you mean ${names.map((k) => `"${k}"`).join(' or ')}?)` : '';
}

/** Levenshtein distance. */
export function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(
        (previous[j] ?? 0) + 1,
        (current[j - 1] ?? 0) + 1,
        (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}
