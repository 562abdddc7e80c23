import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CapacitySearch, type ProbeRequest, ROUND_PROBES, roundRate } from './capacity-search.js';

/** Runs a search against a server that passes every rate up to `capacity` (plus `noise(probe)`). */
function search(
  ceiling: number,
  capacity: number,
  options: { rounds?: number; generatorBoundAbove?: number; noise?: (p: ProbeRequest) => number } = {},
) {
  const s = new CapacitySearch(ceiling, options.rounds ?? 3);
  const probes: ProbeRequest[] = [];
  for (let p = s.next(); p !== undefined; p = s.next()) {
    probes.push(p);
    assert.ok(probes.length < 60, 'the search ends');
    const limit = capacity + (options.noise?.(p) ?? 0);
    s.record({
      rate: p.rate,
      pass: p.rate <= limit,
      generatorBound: p.rate >= (options.generatorBoundAbove ?? Infinity),
    });
  }
  return { result: s.result(), probes };
}

describe('CapacitySearch', () => {
  it('finds a knee below the closed-model ceiling within the resolution, and refines it in rounds', () => {
    const { result, probes } = search(10_000, 7_300);
    assert.equal(result.outcome, 'found');
    assert.ok(result.rate! <= 7_300 && result.rate! >= 7_300 * 0.93, `found ${result.rate}`);
    assert.equal(result.estimates.length, 3);
    assert.equal(probes.filter((p) => p.phase === 'repeat').length, 3 * ROUND_PROBES);
    assert.ok(probes.length <= 20, `${probes.length} probes`);
  });

  it('does not let one failed probe below the ceiling send the search down: a failure counts when its second probe fails too', () => {
    // The server carries 7,300 req/s, but the first probe at 5,000 misses (the generator's own jitter).
    let missed = false;
    const { result, probes } = search(10_000, 7_300, {
      noise: (p) => {
        if (p.rate !== 5_000 || missed) return 0;
        missed = true;
        return -10_000;
      },
    });
    assert.deepEqual(
      probes.slice(0, 3).map((p) => [p.rate, p.phase]),
      [
        [10_000, 'search'],
        [5_000, 'search'],
        [5_000, 'confirm'],
      ],
    );
    assert.equal(result.outcome, 'found');
    assert.ok(result.rate! >= 7_300 * 0.93, `found ${result.rate}`);
    // Every failure below the ceiling was probed twice before it bounded the bracket.
    const failedSearch = probes.filter((p) => p.phase === 'search' && p.rate < 10_000 && p.rate > 7_300);
    for (const f of failedSearch)
      assert.ok(
        probes.some((p) => p.phase === 'confirm' && p.rate === f.rate),
        `${f.rate} confirmed`,
      );
  });

  it('a confirmed failure bounds the bracket', () => {
    const { result, probes } = search(10_000, 2_000);
    assert.ok(probes.some((p) => p.phase === 'confirm' && p.rate === 5_000));
    assert.ok(result.rate! <= 2_000 && result.rate! >= 2_000 * 0.93, `found ${result.rate}`);
  });

  it('gives an interval from rounds that disagree', () => {
    const { result } = search(10_000, 5_000, {
      noise: (p) => (p.phase === 'repeat' ? [-300, 0, 300][p.round ?? 0]! : 0),
    });
    assert.equal(result.outcome, 'found');
    assert.ok(result.low! < result.rate! && result.rate! < result.high!, JSON.stringify(result));
  });

  it('climbs above the ceiling when the ceiling itself passes', () => {
    const { result, probes } = search(10_000, 14_000);
    assert.equal(probes[0]!.rate, 10_000);
    assert.equal(probes[1]!.rate, 12_500);
    assert.equal(result.outcome, 'found');
    assert.ok(result.rate! >= 13_000 && result.rate! <= 14_000, `found ${result.rate}`);
  });

  it('stops at the generator: capacity is above the rate it saturated at', () => {
    const { result } = search(10_000, 50_000, { generatorBoundAbove: 12_000 });
    assert.deepEqual(result, { outcome: 'generator-bound', rate: 12_500, estimates: [] });
  });

  it('says none when even a sixty-fourth of the ceiling misses the SLO', () => {
    const { result, probes } = search(10_000, 10);
    assert.equal(result.outcome, 'none');
    assert.ok(Math.abs(probes.at(-1)!.rate - 10_000 / 64) < 2, `last probe ${probes.at(-1)!.rate}`);
  });

  it('a search stopped early knows its bracket so far: an unconfirmed failure does not bound it', () => {
    const s = new CapacitySearch(10_000, 3);
    const answer = (pass: boolean) => s.record({ rate: s.next()!.rate, pass, generatorBound: false });
    assert.deepEqual(s.progress(), { bracket: {}, estimates: [] });
    answer(false); // 10,000: at the ceiling, a failure counts at once
    assert.deepEqual(s.progress().bracket, { lowestFailRps: 10_000 });
    answer(false); // 5,000: waits for its confirmation
    assert.deepEqual(s.progress().bracket, { lowestFailRps: 10_000 });
    answer(true); // 5,000 confirmed the other way: one pass is evidence
    assert.deepEqual(s.progress().bracket, { highestPassRps: 5_000, lowestFailRps: 10_000 });
    // Every probe until the rounds end: the finished rounds' estimates come with the bracket.
    while (s.next()?.phase !== 'repeat') answer(s.next()!.rate <= 7_300);
    for (let i = 0; i < ROUND_PROBES + 1; i++) answer(s.next()!.rate <= 7_300);
    const { bracket, estimates } = s.progress();
    assert.equal(estimates.length, 1, 'one round finished');
    assert.ok(bracket.highestPassRps! <= 7_300 && bracket.lowestFailRps! > 7_300, JSON.stringify(bracket));
  });

  it('a ceiling of nothing is no search', () => {
    const s = new CapacitySearch(0, 3);
    assert.equal(s.next(), undefined);
    assert.equal(s.result().outcome, 'none');
  });

  it('rates are probed to three significant digits', () => {
    assert.equal(roundRate(41_837.2), 41_800);
    assert.equal(roundRate(987.6), 988);
    assert.equal(roundRate(12.34), 12);
  });
});
