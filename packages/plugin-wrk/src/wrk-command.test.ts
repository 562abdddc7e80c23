import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ConfigError, type LoadParams, requestBytes, ticksToUs } from '@iobench/core';
import { buildLuaScript, luaString } from './lua-script.js';
import { parseProcStatCpuTicks } from './proc-cpu.js';
import { countCpus } from './run-wrk.js';
import { buildWrkCommand } from './wrk-command.js';

const params: LoadParams = { connections: 8, durationMs: 2000, threads: 2, pipelining: 1, timeoutMs: 2000 };
const options = { scriptPath: '/tmp/x.lua' };

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

test('one request replaces wrk.format (a static request); a list is cycled by request()', () => {
  const get = requestBytes({ method: 'GET', path: '/', headers: [['X-A', 'b c']] }, '127.0.0.1:8080');
  const post = requestBytes({ method: 'POST', path: '/p', headers: [], body: new Uint8Array([1, 2]) }, 'h:1');
  const one = buildLuaScript({ requests: [get] });
  assert.match(
    one,
    /^wrk\.format = function\(\) return "GET \/ HTTP\/1\.1\\013\\010Host: 127\.0\.0\.1:8080\\013\\010X-A: b c\\013\\010\\013\\010" end$/m,
  );
  assert.doesNotMatch(one, /^request = /m, 'no request() hook: wrk keeps its static request');
  const list = buildLuaScript({ requests: [get, post] });
  assert.match(list, /^request = function\(\)$/m);
  assert.match(
    list,
    /"POST \/p HTTP\/1\.1\\013\\010Host: h:1\\013\\010Content-Length: 2\\013\\010\\013\\010\\001\\002",/,
  );
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

test('the target URL goes to wrk as it is, IPv6 zone included', () => {
  const cmd = buildWrkCommand(
    { connections: 2, durationMs: 1000, threads: 1, pipelining: 1, timeoutMs: 2000 },
    'http://[fe80::1%iob1]:8080/status?x=1',
    options,
  );
  assert.equal(cmd.args.at(-1), 'http://[fe80::1%iob1]:8080/status?x=1');
});
