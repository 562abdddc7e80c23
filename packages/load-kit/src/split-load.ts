/**
 * Splits the load over generator threads: connections as evenly as possible, and the request limit
 * and the rate (or each stage's rate) in proportion to each thread's connections, so every connection sees the same load
 * whichever thread drives it.
 */
import { threadSeed } from './open-model/arrivals.js';
import type { LoadShare } from './thread-result.js';

/** One spec per thread; never more threads than connections (a thread without one would idle). */
export function splitLoad<Spec extends LoadShare>(total: Spec, threads: number): Spec[] {
  const count = Math.max(1, Math.min(threads, total.connections));
  const specs: Spec[] = [];
  let connectionsLeft = total.connections;
  let requestsLeft = total.requests;
  for (let t = 0; t < count; t++) {
    const threadsLeft = count - t;
    const connections = Math.ceil(connectionsLeft / threadsLeft);
    const share = connections / connectionsLeft;
    const requests = requestsLeft === undefined ? undefined : Math.round(requestsLeft * share);
    specs.push({
      ...total,
      connections,
      requests,
      rate: total.rate === undefined ? undefined : (total.rate * connections) / total.connections,
      stages: total.stages?.map((stage) => ({ ...stage, rate: (stage.rate * connections) / total.connections })),
      // Each thread draws its own arrivals; threads of Poisson shares add up to one Poisson stream.
      seed: total.seed === undefined ? undefined : threadSeed(total.seed, t),
    });
    connectionsLeft -= connections;
    if (requestsLeft !== undefined && requests !== undefined) requestsLeft -= requests;
  }
  return specs;
}
