/**
 * How one epoll round's requests become pool tasks. One task per request would make every request pay
 * a cross-thread hand-off (post, wake a thread, post back, wake the loop); one task per round would put
 * every request of the round on one thread and leave the other nine idle. So the round's connections
 * are cut into at most `maxTasks` consecutive groups with near-equal request totals: enough tasks to
 * keep every pool thread busy, as few as that allows. A connection is never split (its pipelined
 * requests stay in one task, so they are answered in order).
 */

/**
 * Cuts `sizes` (requests per connection, in order) into at most `maxTasks` non-empty groups with
 * near-equal totals. Returns the end index (exclusive) of each group; the last one is `sizes.length`.
 */
export function planBatches(sizes: readonly number[], maxTasks: number): number[] {
  if (!Number.isInteger(maxTasks) || maxTasks < 1) {
    throw new RangeError(`maxTasks must be a positive integer (got ${maxTasks})`);
  }
  let total = 0;
  for (const size of sizes) total += size;
  const ends: number[] = [];
  if (sizes.length === 0) return ends;
  const tasks = Math.min(maxTasks, sizes.length);
  let sum = 0;
  for (let i = 0; i < sizes.length; i++) {
    sum += sizes[i]!;
    // Cut once this group reaches its share of the total: group k ends at total * (k + 1) / tasks.
    if (sum * tasks >= total * (ends.length + 1) && ends.length < tasks - 1) ends.push(i + 1);
  }
  if (ends[ends.length - 1] !== sizes.length) ends.push(sizes.length);
  return ends;
}
