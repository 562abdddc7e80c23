import assert from 'node:assert/strict';
import { test } from 'node:test';
import { makePoint } from '../testing/results-factory.js';
import { latencySummary } from './measures.js';
import { addStatusCodes, describeResponses, formatStatusCodes, non2xxWarning, statusShare } from './status.js';
import { pointFlags } from './verdicts.js';

test('status codes add code by code; a part that did not count them leaves the sum unknown', () => {
  assert.deepEqual(addStatusCodes([{ '200': 3 }, { '200': 1, '404': 2 }]), { '200': 4, '404': 2 });
  assert.equal(addStatusCodes([{ '200': 3 }, undefined]), undefined);
});

test('the status line lists every code ascending with its count', () => {
  assert.equal(formatStatusCodes({ '404': 88, '200': 1204 }), '200×1,204, 404×88');
});

test('a point whose responses were mostly 404 is flagged non-2xx, described and warned about', () => {
  const p = makePoint({ errors: { status: 88 }, statusCodes: { '200': 12, '404': 88 } });
  assert.equal(statusShare(p, '4xx'), 88);
  assert.deepEqual(pointFlags(p), ['non-2xx']);
  assert.equal(describeResponses(p), 'status 200×12, 404×88; errors 88 status');
  assert.match(non2xxWarning(p) ?? '', /^WARNING: 88% of responses were not 2xx \(200×12, 404×88\)/);
});

test('all 2xx and no error: nothing to describe or warn about', () => {
  const p = makePoint({ statusCodes: { '200': 100 } });
  assert.equal(describeResponses(p), undefined);
  assert.equal(non2xxWarning(p), undefined);
  assert.deepEqual(pointFlags(p), []);
});

test('without status codes (wrk by default) the status errors stand for the responses not 2xx', () => {
  const p = makePoint({ load: 'wrk', errors: { status: 100 } });
  assert.deepEqual(pointFlags(p), ['non-2xx']);
  assert.match(
    non2xxWarning(p) ?? '',
    /100% of responses had an error status \(the load generator did not count status codes\)/,
  );
});

test('a latency summary written before p75 and p95 existed reads them from its histogram', () => {
  const { latencyUs } = makePoint({
    latencyUs: [
      [100, 50],
      [200, 25],
      [400, 20],
      [800, 5],
    ],
  });
  const { p75, p95, ...older } = latencyUs;
  const read = latencySummary.parse(older);
  assert.equal(read.p75, p75);
  assert.equal(read.p95, p95);
  assert.ok(p75 >= 199 && p75 <= 201 && p95 >= 399 && p95 <= 401, `p75 ${p75}, p95 ${p95}`);
});
