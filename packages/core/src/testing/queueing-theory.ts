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
 * The mean latency expected at utilisation `rho`: the unloaded latency (service, network and the
 * generator's own path, measured at a low rate `rho0`, less the little waiting there was there)
 * plus the M/D/1 wait at `rho`.
 */
export function md1MeanLatencyUs(
  rho: number,
  serviceUs: number,
  measuredAtRho0: { rho: number; meanUs: number },
): number {
  const unloaded = measuredAtRho0.meanUs - md1MeanWaitUs(measuredAtRho0.rho, serviceUs);
  return unloaded + md1MeanWaitUs(rho, serviceUs);
}
