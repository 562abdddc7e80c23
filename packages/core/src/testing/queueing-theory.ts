/**
 * What queueing theory predicts for a single-loop server with a known service time, so that the
 * capacity search and the open model can be checked against it (the capacity benchmark and its CI
 * test). A single loop serving each request for s microseconds (the handler's spin S plus the
 * server's own cost C per request) is one server with deterministic service: it saturates at
 * 1e6 / s requests per second, and Poisson arrivals at utilisation ρ wait, on average,
 * Wq = ρ·s / (2(1 − ρ)) before service (M/D/1, Pollaczek–Khinchine with zero service variance).
 */

/** Requests per second at which a loop with `serviceUs` per request saturates. */
export function saturationRate(serviceUs: number): number {
  return 1e6 / serviceUs;
}

/** Mean wait before service under Poisson arrivals at utilisation `rho` (M/D/1), microseconds. */
export function md1MeanWaitUs(rho: number, serviceUs: number): number {
  if (!(rho >= 0 && rho < 1)) throw new RangeError(`utilisation must be in [0, 1), got ${rho}`);
  return (rho * serviceUs) / (2 * (1 - rho));
}

/**
 * The mean send-to-response latency M/D/1 predicts for a point served at `serviceUs` per request
 * under Poisson arrivals at `ratePerS`: the unloaded latency (network, framing and the server's path,
 * measured at a low rate, less the little waiting there was there) plus the wait at the point's own
 * utilisation ρ = rate · service. The service time is the server's CPU per request measured at that
 * very point, not S + C from saturation: a loop woken for every request pays for its wake-ups, one
 * that finds a queue batches them, so the cost per request falls as the load rises.
 */
export function md1MeanLatencyUs(
  point: { ratePerS: number; serviceUs: number },
  unloaded: { ratePerS: number; serviceUs: number; meanUs: number },
): number {
  const wait = (p: { ratePerS: number; serviceUs: number }) =>
    md1MeanWaitUs((p.ratePerS * p.serviceUs) / 1e6, p.serviceUs);
  return unloaded.meanUs - wait(unloaded) + wait(point);
}
