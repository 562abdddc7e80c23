import assert from 'node:assert/strict';
import { test } from 'node:test';
import { requireTool } from './require-tool.js';

test('requireTool: undefined for a tool in PATH, the reason and the package to install for a missing one', () => {
  assert.equal(requireTool('sh'), undefined);
  const saved = process.env.PATH;
  process.env.PATH = '/nonexistent';
  try {
    assert.equal(requireTool('wrk'), 'wrk is not installed (apt-get install wrk)');
    assert.equal(requireTool('perf'), 'perf is not installed (apt-get install linux-perf)');
  } finally {
    process.env.PATH = saved;
  }
});
