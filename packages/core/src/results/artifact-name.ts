/**
 * One file name per point for every artifact a run or a reporter writes about it (hlog, perf and
 * strace profiles, links in the HTML report), so that `epoll/undici/c8/r0` is
 * `epoll-undici-c8-r0.hlog`, `epoll-undici-c8-r0.folded` and so on.
 */

/** The file-name stem of a point: its id with every run of characters unsafe in a file name turned into `-`. */
export function artifactStem(pointId: string): string {
  return pointId.replace(/[^A-Za-z0-9._]+/g, '-').replace(/^[-.]+|-+$/g, '') || 'point';
}
