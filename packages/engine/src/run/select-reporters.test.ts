import assert from 'node:assert/strict';
import { test } from 'node:test';
import { selectReporters } from './select-reporters.js';

test('choosing reporters adds to the console table instead of replacing it', () => {
  assert.deepEqual(selectReporters(['plots', 'html']), ['console', 'plots', 'html']);
  assert.deepEqual(selectReporters(['console']), ['console']);
  assert.deepEqual(selectReporters(['html', 'console']), ['console', 'html'], 'the table prints first, once');
});

test('--json prints machine output only; --quiet prints no table', () => {
  assert.deepEqual(selectReporters(['console', 'html', 'json'], { json: true }), ['json', 'html']);
  assert.deepEqual(selectReporters(['console', 'html'], { quiet: true }), ['html']);
  assert.deepEqual(selectReporters(['console'], { quiet: true }), []);
});
