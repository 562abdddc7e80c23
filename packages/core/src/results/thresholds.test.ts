import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { makePoint } from '../testing/results-factory.js';
import { evaluateThresholds, parseThreshold, type Threshold, thresholdVerdict } from './thresholds.js';

function parsed(text: string): Threshold {
  const result = parseThreshold(text);
  assert.ok('threshold' in result, `"${text}" did not parse: ${'error' in result ? result.error : ''}`);
  return result.threshold;
}

function parseError(text: string): string {
  const result = parseThreshold(text);
  assert.ok('error' in result, `"${text}" parsed`);
  return result.error;
}

describe('parseThreshold', () => {
  test('reads the metrics of the issue in iobench units (µs, req/s, %, count)', () => {
    assert.deepEqual(parsed('p99<10ms'), { text: 'p99<10ms', metric: 'p99', op: '<', limit: 10_000 });
    assert.deepEqual(parsed('p99.9 < 50ms'), { text: 'p99.9<50ms', metric: 'p99_9', op: '<', limit: 50_000 });
    assert.deepEqual(parsed('rps>50000'), { text: 'rps>50000', metric: 'rps', op: '>', limit: 50_000 });
    assert.deepEqual(parsed('rps>=50k').limit, 50_000);
    assert.deepEqual(parsed('errors<0.1%'), { text: 'errors<0.1%', metric: 'errorRate', op: '<', limit: 0.1 });
    assert.deepEqual(parsed('errors<=10'), { text: 'errors<=10', metric: 'errors', op: '<=', limit: 10 });
    assert.deepEqual(parsed('cpuPerRequest<20us').limit, 20);
    assert.equal(parsed('p(99.99)<1s').metric, 'p99_99', "k6's spelling");
    assert.equal(parsed('p99_9<2ms').metric, 'p99_9', "the results file's key");
    assert.equal(parsed('max<250µs').limit, 250);
    assert.deepEqual(parsed('p95<10ms'), { text: 'p95<10ms', metric: 'p95', op: '<', limit: 10_000 });
    assert.equal(parsed('p75<2ms').metric, 'p75');
    assert.deepEqual(parsed('status2xx>99%'), { text: 'status2xx>99%', metric: 'status2xx', op: '>', limit: 99 });
    assert.deepEqual(parsed('status5xx<1%').metric, 'status5xx');
  });

  test('a bad threshold is quoted, with what was expected and what was received', () => {
    assert.equal(
      parseError('p99<10'),
      '"p99<10": expected a latency with a unit, us, ms or s, e.g. 10ms, received "10"',
    );
    assert.match(
      parseError('p97<10ms'),
      /^"p97<10ms": expected a metric: p50, p75, p90, p95, p99, p99\.9, .*status2xx.* received "p97"$/,
    );
    assert.match(parseError('status2xx>99'), /^"status2xx>99": expected a share of responses, e.g. status2xx>99%/);
    assert.match(
      parseError('rps=3'),
      /^"rps=3": expected <metric><op><value> with op <, <=, > or >=.*, received "rps=3"$/,
    );
    assert.match(
      parseError('errors<some'),
      /expected a share of requests such as 0\.1% or a count such as 10, received "some"/,
    );
    assert.match(
      parseError('cpuPerRequest<20'),
      /expected server CPU time per request with a unit, us or ms.*received "20"/,
    );
  });
});

describe('evaluateThresholds and thresholdVerdict', () => {
  const point = makePoint({
    latencyUs: [
      [1000, 98],
      [20_000, 2],
    ],
    errors: { timeout: 1 },
    durationMs: 1000,
  });

  test('each threshold is recorded with the value and whether it passed', () => {
    const checks = evaluateThresholds(point, [parsed('p50<2ms'), parsed('p99<10ms'), parsed('errors<0.1%')]);
    assert.deepEqual(
      checks.map((c) => [c.threshold, c.pass]),
      [
        ['p50<2ms', true],
        ['p99<10ms', false],
        ['errors<0.1%', false],
      ],
    );
    assert.ok((checks[1]?.value ?? 0) >= 19_000, 'p99 in µs');
    assert.equal(checks[2]?.value, Math.round((1 / 101) * 100 * 10_000) / 10_000, '1 timeout of 101 attempts');
  });

  test('a metric the point does not have fails its check (never passes unmeasured)', () => {
    const [check] = evaluateThresholds({ ...point, serverStats: undefined }, [parsed('cpuPerRequest<20us')]);
    assert.equal(check?.pass, false);
    assert.equal(check?.value, undefined);
  });

  test('a status share is the percentage of counted responses in the class; uncounted, the check fails and says why', () => {
    const counted = { ...point, statusCodes: { '200': 90, '404': 8, '503': 2 } };
    const checks = evaluateThresholds(counted, [
      parsed('status2xx>99%'),
      parsed('status5xx<5%'),
      parsed('status4xx<=8%'),
    ]);
    assert.deepEqual(
      checks.map((c) => [c.threshold, c.value, c.pass]),
      [
        ['status2xx>99%', 90, false],
        ['status5xx<5%', 2, true],
        ['status4xx<=8%', 8, true],
      ],
    );
    assert.equal(checks[0]?.caution, undefined);
    const [uncounted] = evaluateThresholds({ ...point, load: 'wrk', statusCodes: undefined }, [
      parsed('status2xx>99%'),
    ]);
    assert.equal(uncounted?.pass, false);
    assert.match(uncounted?.caution ?? '', /wrk did not count status codes.*wrk\.statusCodes=true/);
  });

  test('the verdict counts checks and points and names every failure with its value', () => {
    const checked = { ...point, thresholds: evaluateThresholds(point, [parsed('p50<2ms'), parsed('p99<10ms')]) };
    const passing = { ...point, id: 'b/undici/c8/r0', thresholds: evaluateThresholds(point, [parsed('p50<2ms')]) };
    assert.deepEqual(thresholdVerdict([checked, passing]), {
      pass: false,
      lines: ['thresholds: 1 of 3 checks failed on 1 of 2 point(s)', 'epoll/undici/c8/r0: p99<10ms, was 20.02ms'], // 20ms as the histogram holds it,
    });
    assert.deepEqual(thresholdVerdict([passing])?.lines, ['thresholds: 1 of 1 checks passed on 1 point(s)']);
    assert.equal(thresholdVerdict([point]), undefined, 'no thresholds, no verdict');
  });
});
