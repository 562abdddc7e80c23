import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ConfigError, type LoadParams, ticksToUs } from '@iobench/core';
import { luaString } from './lua-script.js';
import { parseProcStatCpuTicks } from './proc-cpu.js';
import { countCpus } from './run-wrk.js';
import { buildWrkCommand } from './wrk-command.js';

const params: LoadParams = { connections: 8, durationMs: 2000, threads: 2, pipelining: 1, timeoutMs: 2000 };
const options = { scriptPath: '/tmp/x.lua', headers: {} };

test('whole-second durations go to -d as they are; others round up and stop wrk on time', () => {
  const whole = buildWrkCommand(params, 'http://127.0.0.1:1/', options);
  assert.equal(whole.durationS, 2);
  assert.equal(whole.stopAfterMs, undefined);
  assert.deepEqual(whole.args.slice(0, 8), [
    '--threads',
    '2',
    '--connections',
    '8',
    '--duration',
    '2s',
    '--timeout',
    '2s',
  ]);
  const partial = buildWrkCommand({ ...params, durationMs: 1500, timeoutMs: 250 }, 'http://127.0.0.1:1/', options);
  assert.equal(partial.durationS, 2);
  assert.equal(partial.stopAfterMs, 1500);
  assert.equal(partial.timeoutS, 1, 'wrk takes whole seconds: a timeout rounds up');
});

test('threads never exceed connections, and must divide them', () => {
  assert.equal(buildWrkCommand({ ...params, connections: 1 }, 'http://h/', options).threads, 1);
  assert.throws(
    () => buildWrkCommand({ ...params, connections: 9 }, 'http://h/', options),
    (e: unknown) => {
      assert.ok(e instanceof ConfigError);
      assert.match(e.message, /connections \(9\) must be a multiple of threads \(2\)/);
      return true;
    },
  );
});

test('what wrk cannot do is refused, naming the alternative', () => {
  for (const bad of [{ rate: 100 }, { requests: 1000 }, { pipelining: 4 }]) {
    assert.throws(
      () => buildWrkCommand({ ...params, ...bad }, 'http://h/', options),
      (e: unknown) => {
        assert.ok(e instanceof ConfigError);
        assert.ok(
          e.suggestions.some((s) => s.includes('--load native')),
          e.suggestions.join('; '),
        );
        return true;
      },
    );
  }
});

test('headers become -H arguments and a path override resolves against the target', () => {
  const cmd = buildWrkCommand(params, 'http://127.0.0.1:8080/base', {
    ...options,
    path: '/other?q=1',
    headers: { 'X-A': 'b c' },
  });
  assert.deepEqual(cmd.args.slice(-3), ['--header', 'X-A: b c', 'http://127.0.0.1:8080/other?q=1']);
});

test('luaString escapes quotes, backslashes, control and non-ASCII bytes', () => {
  assert.equal(luaString('a"b\\c'), '"a\\"b\\\\c"');
  assert.equal(luaString('x\n1'), '"x\\0101"');
  assert.equal(luaString('é'), '"\\195\\169"');
});

test('CPU ticks come from utime and stime, counted after the command name', () => {
  const line = '5249 (wr k) R 5232 5232 3076 0 -1 4194304 399 0 4 0 10 30 0 0 20 0 1 0 41070';
  assert.equal(parseProcStatCpuTicks(line), 40);
  assert.equal(ticksToUs(40, 100), 400_000);
  assert.equal(parseProcStatCpuTicks('garbage'), undefined);
});

test('countCpus reads taskset lists', () => {
  assert.equal(countCpus('0'), 1);
  assert.equal(countCpus('0-3,6'), 5);
  assert.equal(countCpus('a'), undefined);
  assert.equal(countCpus(undefined), undefined);
});

test('a path option keeps the IPv6 zone of a target inside a network namespace', () => {
  const cmd = buildWrkCommand(
    { connections: 2, durationMs: 1000, threads: 1, pipelining: 1, timeoutMs: 2000 },
    'http://[fe80::1%iob1]:8080/',
    { scriptPath: '/tmp/x.lua', path: '/status?x=1', headers: {} },
  );
  assert.equal(cmd.url, 'http://[fe80::1%iob1]:8080/status?x=1');
});
