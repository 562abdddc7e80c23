/**
 * The capacity search, as a plain state machine (no servers, no clocks): it proposes the next rate to
 * probe and learns from each probe's outcome, so that the strategy is tested on its own and the run
 * only measures what it asks for.
 *
 * 1. Bracket: start at the closed-model ceiling (the most the server did with the run's connections)
 *    and halve until a probe passes; a probe that passes at the ceiling climbs by a quarter instead,
 *    until one fails or the generator saturates.
 * 2. Bisect between the highest pass and the lowest failure until they are within `SEARCH_RESOLUTION`.
 *    A failure below the ceiling is probed once more before it bounds the bracket: on a shared VM one
 *    short probe now and then misses by the generator's own jitter (a few ms of send lag on 10%+ of
 *    its sends), and unconfirmed that one probe sent the bisection down for good (a search that finds
 *    ~1,800 req/s found 207 and 1,160 once each). A rate fails when both probes fail; one pass is
 *    evidence the server can carry it.
 * 3. Refine, `rounds` times: bisect again from a window a little wider than the bracket found, so
 *    that each round is an independent estimate; the median is the answer, their spread its interval.
 *
 * A search stopped early (Ctrl-C) still knows something: `progress()` gives its bracket so far.
 */

import type { CapacityBracket } from '@iobench/core';

/** What one probe showed. */
export interface ProbeOutcome {
  rate: number;
  /** It met every SLO, kept its schedule and did not saturate the generator. */
  pass: boolean;
  /** The generator, not the server, was the bottleneck: nothing above this rate can be judged. */
  generatorBound: boolean;
}

/** The next probe the search asks for. */
export interface ProbeRequest {
  rate: number;
  phase: 'search' | 'confirm' | 'repeat';
  /** The refinement round, for `repeat` probes. */
  round?: number;
}

/** Where a search ended. */
export interface SearchResult {
  outcome: 'found' | 'generator-bound' | 'none';
  /** Median of the rounds' estimates (`found`), or the rate the generator saturated at. */
  rate?: number;
  low?: number;
  high?: number;
  estimates: number[];
}

/** Bisection stops when the bracket is this narrow, relative to its lower end. */
export const SEARCH_RESOLUTION = 0.05;
/** Each refinement round bisects this many times. */
export const ROUND_PROBES = 3;
/** A round's window reaches this far beyond the bracket on each side. */
const ROUND_MARGIN = 0.05;
/** Halvings below the ceiling before the search says no rate met the SLO. */
const MAX_HALVINGS = 6;
/** Climbs above the ceiling (each +25%) before the search settles for the highest pass. */
const MAX_CLIMBS = 3;

export class CapacitySearch {
  private pass?: number;
  private fail?: number;
  private halvings = 0;
  private climbs = 0;
  private round = -1;
  private roundLow = 0;
  private roundHigh = 0;
  private roundProbes = 0;
  private readonly estimates: number[] = [];
  private ended?: SearchResult;
  private pending?: ProbeRequest;
  /** A search failure waiting for its second probe. */
  private unconfirmed?: number;

  /**
   * @param ceilingRps closed-model throughput at the same connections: where the search starts.
   * @param rounds refinement rounds after the search.
   */
  constructor(
    private readonly ceilingRps: number,
    private readonly rounds: number,
  ) {
    if (!(ceilingRps > 0)) this.ended = { outcome: 'none', estimates: [] };
  }

  /** The next probe, or undefined when the search is over (`result()` then says what it found). */
  next(): ProbeRequest | undefined {
    if (this.ended) return undefined;
    this.pending ??= this.propose();
    return this.pending;
  }

  /** Learns from the probe `next()` asked for. */
  record(outcome: ProbeOutcome): void {
    const asked = this.pending;
    this.pending = undefined;
    if (!asked) throw new Error('CapacitySearch.record called with no probe pending');
    if (asked.phase === 'repeat') {
      this.recordRound(outcome);
      return;
    }
    if (outcome.generatorBound && outcome.pass) {
      // Passing while the generator saturated: the server's capacity is somewhere above.
      this.ended = { outcome: 'generator-bound', rate: outcome.rate, estimates: [] };
      return;
    }
    if (!outcome.pass && asked.phase === 'search' && outcome.rate < roundRate(this.ceilingRps)) {
      this.unconfirmed = outcome.rate;
      return;
    }
    if (outcome.pass) this.pass = Math.max(this.pass ?? 0, outcome.rate);
    else this.fail = Math.min(this.fail ?? Infinity, outcome.rate);
  }

  /**
   * What the search has established so far, for one that stops before it ends: the bracket of the
   * search phase (the highest pass, the lowest failure counted — an unconfirmed one is not) and the
   * estimates of the refinement rounds it finished.
   */
  progress(): { bracket: CapacityBracket; estimates: number[] } {
    return {
      bracket: {
        ...(this.pass !== undefined ? { highestPassRps: this.pass } : {}),
        ...(this.fail !== undefined ? { lowestFailRps: this.fail } : {}),
      },
      estimates: this.estimates.map(roundRate),
    };
  }

  /** What the search found; call once `next()` returns undefined. */
  result(): SearchResult {
    if (!this.ended) throw new Error('the capacity search has not ended');
    return this.ended;
  }

  private propose(): ProbeRequest | undefined {
    if (this.unconfirmed !== undefined) {
      const rate = this.unconfirmed;
      this.unconfirmed = undefined;
      return { rate, phase: 'confirm' };
    }
    if (this.round < 0) {
      const rate = this.searchRate();
      if (rate !== undefined) return { rate: roundRate(rate), phase: 'search' };
      if (this.ended) return undefined;
      this.startRound();
    }
    return this.roundRate();
  }

  /** The next bracketing or bisection rate; undefined once the bracket is narrow enough (or the search ended). */
  private searchRate(): number | undefined {
    const { pass, fail } = this;
    if (pass === undefined && fail === undefined) return this.ceilingRps;
    if (pass === undefined) {
      if (this.halvings >= MAX_HALVINGS) {
        this.ended = { outcome: 'none', estimates: [] };
        return undefined;
      }
      this.halvings++;
      return fail! / 2;
    }
    if (fail === undefined) {
      if (this.climbs >= MAX_CLIMBS) {
        this.ended = { outcome: 'found', rate: pass, low: pass, high: pass, estimates: [pass] };
        return undefined;
      }
      this.climbs++;
      return pass * 1.25;
    }
    if ((fail - pass) / pass <= SEARCH_RESOLUTION) return undefined;
    return (pass + fail) / 2;
  }

  private startRound(): void {
    if (this.round + 1 >= this.rounds) {
      this.finish();
      return;
    }
    this.round++;
    this.roundLow = this.pass! * (1 - ROUND_MARGIN);
    this.roundHigh = this.fail! * (1 + ROUND_MARGIN);
    this.roundProbes = 0;
  }

  private roundRate(): ProbeRequest | undefined {
    if (this.ended) return undefined;
    if (this.roundProbes >= ROUND_PROBES) {
      this.estimates.push(this.roundLow);
      this.startRound();
      if (this.ended) return undefined;
    }
    return { rate: roundRate((this.roundLow + this.roundHigh) / 2), phase: 'repeat', round: this.round };
  }

  private recordRound(outcome: ProbeOutcome): void {
    this.roundProbes++;
    if (outcome.pass && !outcome.generatorBound) this.roundLow = outcome.rate;
    else this.roundHigh = outcome.rate;
  }

  private finish(): void {
    const sorted = [...this.estimates].sort((a, b) => a - b);
    this.ended = {
      outcome: 'found',
      rate: roundRate(sorted[Math.floor((sorted.length - 1) / 2)]!),
      low: roundRate(sorted[0]!),
      high: roundRate(sorted.at(-1)!),
      estimates: this.estimates.map(roundRate),
    };
  }
}

/** Rates are probed to three significant digits: finer steps are below what a probe can tell apart. */
export function roundRate(rate: number): number {
  if (rate <= 0) return 0;
  const step = 10 ** Math.max(0, Math.floor(Math.log10(rate)) - 2);
  return Math.round(rate / step) * step;
}
