import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ServerSnapshot } from '../run/server-process.js';
import { serverDelta } from './point.js';

function snapshot(
  userCpuUs: number,
  systemCpuUs: number,
  voluntary: number,
  involuntary: number,
  accepts: number,
): ServerSnapshot {
  return {
    stats: { accepted: accepts, refused: 0, requests: 0, errors: {}, syscalls: { accept4: accepts } },
    usage: { userCpuUs, systemCpuUs, voluntaryCtxSwitches: voluntary, involuntaryCtxSwitches: involuntary },
  };
}

test('serverDelta gives the measured phase per request: CPU split user/system, switches voluntary/involuntary, syscalls', () => {
  const stats = serverDelta(snapshot(1000, 500, 10, 1, 5), snapshot(4000, 2500, 410, 21, 205), 200);
  assert.equal(stats.cpuUsPerRequest, 25);
  assert.equal(stats.userCpuUsPerRequest, 15);
  assert.equal(stats.systemCpuUsPerRequest, 10);
  assert.equal(stats.ctxSwitchesPerRequest, 2.1);
  assert.equal(stats.voluntaryCtxSwitchesPerRequest, 2);
  assert.equal(stats.involuntaryCtxSwitchesPerRequest, 0.1);
  assert.deepEqual(stats.syscallsPerRequest, { accept4: 1 });
});

test('serverDelta with no requests reports zero per request instead of dividing by zero', () => {
  const stats = serverDelta(snapshot(0, 0, 0, 0, 0), snapshot(300, 200, 3, 1, 0), 0);
  assert.deepEqual(
    [
      stats.cpuUsPerRequest,
      stats.userCpuUsPerRequest,
      stats.systemCpuUsPerRequest,
      stats.voluntaryCtxSwitchesPerRequest,
      stats.involuntaryCtxSwitchesPerRequest,
    ],
    [0, 0, 0, 0, 0],
  );
  assert.equal(stats.cpuUs, 500);
});
