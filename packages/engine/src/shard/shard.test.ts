import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ConfigError } from '@iobench/core';
import fc from 'fast-check';
import { createConfigSchema } from '../config/schema.js';
import { applyShard, parseShard, rateShareOf, shardValues, shareOf } from './shard.js';

const shards = (count: number) => Array.from({ length: count }, (_, index) => ({ index, count }));

describe('parseShard', () => {
  test('i/N names the shard; auto/N and /N take the index from JOB_COMPLETION_INDEX as an Indexed Job sets it', () => {
    assert.deepEqual(parseShard('1/3', {}), { index: 1, count: 3 });
    assert.deepEqual(parseShard('auto/4', { JOB_COMPLETION_INDEX: '3' }), { index: 3, count: 4 });
    assert.deepEqual(parseShard('/4', { JOB_COMPLETION_INDEX: '0' }), { index: 0, count: 4 });
    assert.deepEqual(parseShard('2/4', { JOB_COMPLETION_INDEX: '0' }), { index: 2, count: 4 }, 'the flag wins');
  });

  test('bad specs and indexes are config errors naming what was expected and what was received', () => {
    const refused = (spec: string, env: NodeJS.ProcessEnv, message: RegExp) =>
      assert.throws(
        () => parseShard(spec, env),
        (e: unknown) => e instanceof ConfigError && message.test(e.message),
      );
    refused('two', {}, /--shard expects i\/N \(e\.g\. 0\/4\), or auto\/N or \/N .*; received "two"/);
    refused('3/3', {}, /--shard 3\/3: the index must be below the shard count, 0 to 2 \(got 3\)/);
    refused('0/0', {}, /the shard count must be at least 1 \(got 0\)/);
    refused('auto/3', {}, /--shard auto\/3 takes this shard's index from JOB_COMPLETION_INDEX .*which is not set/);
    refused(
      '/3',
      { JOB_COMPLETION_INDEX: '3' },
      /JOB_COMPLETION_INDEX must be a whole number from 0 to 2 .*\(got "3"\)/,
    );
    refused('/3', { JOB_COMPLETION_INDEX: 'x' }, /\(got "x"\)/);
  });
});

describe('shares', () => {
  test('the shares of a count add up to it exactly, differ by at most one, the remainder on the first shards', () => {
    assert.deepEqual(
      shards(3).map((s) => shareOf(64, s)),
      [22, 21, 21],
    );
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1_000_000 }), fc.integer({ min: 1, max: 64 }), (total, count) => {
        const shares = shards(count).map((s) => shareOf(total, s));
        assert.equal(
          shares.reduce((a, b) => a + b, 0),
          total,
        );
        assert.ok(Math.max(...shares) - Math.min(...shares) <= 1);
        assert.deepEqual(
          shares,
          [...shares].sort((a, b) => b - a),
        );
      }),
    );
  });

  test('the shares of a fractional rate add up to it exactly in floating point', () => {
    assert.deepEqual(
      shards(3).map((s) => rateShareOf(1000.5, s)),
      [334.5, 333, 333],
    );
    fc.assert(
      fc.property(
        fc.double({ min: 64, max: 10_000_000, noNaN: true }),
        fc.integer({ min: 1, max: 64 }),
        (rate, count) => {
          const shares = shards(count).map((s) => rateShareOf(rate, s));
          assert.equal(
            shares.reduce((a, b) => a + b, 0),
            rate,
          );
          assert.ok(shares.every((s) => s >= 1));
        },
      ),
    );
  });
});

describe('shardValues', () => {
  test('connections, idle connections, rate and requests are split; a shard may hold no idle connection', () => {
    const totals = { connections: [8, 64], idleConnections: [2], rate: [1000], requests: 10_000 };
    assert.deepEqual(shardValues(totals, { index: 0, count: 3 }), {
      connections: [3, 22],
      idleConnections: [1],
      rate: [334],
      requests: 3334,
    });
    assert.deepEqual(shardValues(totals, { index: 2, count: 3 }), {
      connections: [2, 21],
      idleConnections: [0],
      rate: [333],
      requests: 3333,
    });
  });

  test('more shards than connections, requests or requests per second is refused on every shard', () => {
    const base = { connections: [4, 64], idleConnections: [0] };
    for (const s of shards(5)) {
      assert.throws(
        () => shardValues(base, s),
        /: connections 4 cannot be split into 5 shards \(each shard needs at least one connection\); use at most 4 shards/,
      );
    }
    assert.throws(
      () => shardValues({ ...base, connections: [64], requests: 3 }, { index: 0, count: 5 }),
      /requests 3 cannot be split into 5 shards \(each shard needs at least one request\)/,
    );
    assert.throws(
      () => shardValues({ ...base, connections: [64], rate: [4.5] }, { index: 0, count: 5 }),
      /rate 4\.5 cannot be split into 5 shards \(each shard needs at least one request per second\)/,
    );
  });

  test('swept values that would coincide on some shard are refused, on every shard alike', () => {
    assert.throws(
      () => shardValues({ connections: [4, 5], idleConnections: [0] }, { index: 0, count: 2 }),
      /: connections 4 and 5 both give shard 1\/2 2, so its points could not be told apart; make the swept values differ by at least 2/,
    );
    assert.throws(
      () => shardValues({ connections: [8], idleConnections: [0, 1] }, { index: 0, count: 2 }),
      /idle connections 0 and 1 both give shard 1\/2 0/,
    );
  });
});

test('applyShard gives the config of one shard and the record of the totals', () => {
  const config = createConfigSchema({ server: ['epoll'], load: 'native' }).parse({
    target: 'http://127.0.0.1:1/',
    connections: [6, 64],
    rate: 300,
  });
  const { config: sharded, shard } = applyShard(config, { index: 1, count: 3 });
  assert.deepEqual(sharded.connections, [2, 21]);
  assert.deepEqual(sharded.rate, [100]);
  assert.equal(sharded.target, config.target);
  assert.deepEqual(shard, {
    index: 1,
    count: 3,
    totals: { connections: [6, 64], idleConnections: [0], rate: [300] },
  });
});

test('shards given one seed draw distinct streams, none of their threads drawing what another shard’s thread draws', () => {
  const config = createConfigSchema({ server: ['epoll'], load: 'native' }).parse({
    target: 'http://127.0.0.1:1/',
    connections: 64,
    rate: 6400,
    arrivals: 'poisson',
    seed: 7,
  });
  assert.equal(applyShard(config, { index: 0, count: 4 }).config.seed, 7, 'shard 0 draws what the unsharded run draws');
  // Each generator thread t of a shard seeded s draws from s + t × 0x9e3779b9 (load-kit's threadSeed).
  const threadSeed = (seed: number, t: number) => (seed + Math.imul(t, 0x9e3779b9)) >>> 0;
  fc.assert(
    fc.property(fc.integer({ min: 0, max: 2 ** 32 - 1 }), fc.integer({ min: 2, max: 64 }), (seed, count) => {
      const streams = new Set<number>();
      for (let index = 0; index < count; index++) {
        const shardSeed = applyShard({ ...config, seed }, { index, count }).config.seed!;
        for (let t = 0; t < 16; t++) streams.add(threadSeed(shardSeed, t));
      }
      return streams.size === count * 16;
    }),
  );
});
