/** Whether this machine has IPv6 loopback, for tests that serve on `::1`. */
import { networkInterfaces } from 'node:os';

/**
 * Why tests on `::1` must skip here (no interface holds it: IPv6 disabled), or undefined when it
 * exists. A test that skips on this reason alone still fails when a server cannot listen on `::1`.
 */
export function ipv6LoopbackUnavailable(): string | undefined {
  const addresses = Object.values(networkInterfaces()).flatMap((list) => list ?? []);
  return addresses.some((a) => a.address === '::1') ? undefined : 'no IPv6 loopback (::1) on this machine';
}
