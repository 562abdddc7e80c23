// Runs autocannon (a benchmark-only dependency, the reference Node generator) and prints
// { rps, p50Us } as JSON. Usage: node run-autocannon.mjs URL CONNECTIONS SECONDS
import autocannon from 'autocannon';

const [url, connections, seconds] = process.argv.slice(2);
const result = await autocannon({ url, connections: Number(connections), duration: Number(seconds) });
process.stdout.write(
  JSON.stringify({ rps: result.requests.total / Number(seconds), p50Us: result.latency.p50 * 1000 }),
);
