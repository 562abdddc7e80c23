/**
 * When the open model's requests are due. Both arrival processes are one construction: the k-th
 * request is due when the cumulative offered load Λ(t) = ∫ rate reaches a target T_k. Uniform
 * arrivals take T_k = k (gaps of exactly 1/rate: the controlled case, wrk2's); Poisson arrivals add a
 * unit exponential draw each time (the time-rescaling theorem: independent users arriving at rate(t)),
 * from a seeded generator so a run can be reproduced. Stages make the rate piecewise linear, like k6's
 * ramping-arrival-rate: each stage ramps from the previous stage's rate (0 before the first) to its
 * own over its duration, and Λ is inverted in closed form on each ramp.
 */

/** One stage of a ramping arrival rate: reach `rate` (requests per second) over `durationMs`. */
export interface RateStage {
  durationMs: number;
  rate: number;
}

/** How requests arrive in the open model. */
export type ArrivalProcess = 'uniform' | 'poisson';

/** What an arrival clock is built from: the rate (or stages) and the process. */
export interface ArrivalSpec {
  /** Requests per second; with `stages`, ignored in favour of them. */
  rate: number;
  /** A ramping rate; the phase lasts as long as the stages together. */
  stages?: readonly RateStage[];
  arrivals: ArrivalProcess;
  /** Seeds the Poisson draws; the same seed gives the same schedule. */
  seed: number;
}

/** A stretch of the phase over which the rate moves linearly from `r0` to `r1`. */
interface Ramp {
  /** Start, seconds from the start of the phase. */
  t0: number;
  /** Length in seconds. */
  length: number;
  r0: number;
  r1: number;
  /** Offered load (requests) before this ramp. */
  before: number;
}

export class ArrivalClock {
  private readonly ramps: Ramp[];
  private readonly random: () => number;
  private readonly poisson: boolean;
  /** Cumulative offered load at which the next request is due. */
  private target = 0;
  private index = 0;
  /** The next due time, seconds from the start of the phase (Infinity past the last ramp). */
  private nextS: number;

  constructor(spec: ArrivalSpec) {
    this.ramps = toRamps(spec);
    this.poisson = spec.arrivals === 'poisson';
    this.random = mulberry32(spec.seed);
    if (this.poisson) this.target = this.exponential();
    this.nextS = this.timeOf(this.target);
  }

  /** When the next request is due, seconds from the start of the phase; Infinity when none is left. */
  peekSeconds(): number {
    return this.nextS;
  }

  /** Moves on to the request after the one `peekSeconds` announced. */
  advance(): void {
    this.target += this.poisson ? this.exponential() : 1;
    this.nextS = this.timeOf(this.target);
  }

  /** A unit exponential draw; 1 - u keeps it finite (u is in [0, 1)). */
  private exponential(): number {
    return -Math.log(1 - this.random());
  }

  /** The time at which the offered load reaches `load`: Λ⁻¹(load), or Infinity past the last ramp. */
  private timeOf(load: number): number {
    const ramps = this.ramps;
    // Targets only grow, so the ramp index only moves forward.
    while (this.index < ramps.length && load >= ramps[this.index]!.before + rampLoad(ramps[this.index]!)) this.index++;
    const ramp = ramps[this.index];
    if (ramp === undefined) return Infinity;
    const need = load - ramp.before;
    if (need <= 0) return ramp.t0;
    // need = r0·τ + a·τ², a = (r1 - r0) / 2L; this form stays exact when a is 0 or tiny.
    const a = (ramp.r1 - ramp.r0) / (2 * ramp.length);
    const root = Math.sqrt(Math.max(0, ramp.r0 * ramp.r0 + 4 * a * need));
    const denominator = ramp.r0 + root;
    return ramp.t0 + (denominator > 0 ? (2 * need) / denominator : 0);
  }
}

/** Requests a ramp offers over its whole length. */
function rampLoad(ramp: Ramp): number {
  return ((ramp.r0 + ramp.r1) / 2) * ramp.length;
}

function toRamps(spec: ArrivalSpec): Ramp[] {
  if (!spec.stages || spec.stages.length === 0) {
    return [{ t0: 0, length: Infinity, r0: spec.rate, r1: spec.rate, before: 0 }];
  }
  const ramps: Ramp[] = [];
  let t0 = 0;
  let before = 0;
  let previous = 0;
  for (const stage of spec.stages) {
    const ramp = { t0, length: stage.durationMs / 1000, r0: previous, r1: stage.rate, before };
    if (ramp.length > 0) ramps.push(ramp);
    t0 += ramp.length;
    before += rampLoad(ramp);
    previous = stage.rate;
  }
  return ramps;
}

/**
 * mulberry32: a small, fast, well-distributed 32-bit generator — enough for arrival gaps, and
 * seedable, unlike Math.random. Returns numbers in [0, 1).
 */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The seed of thread `index`'s share: distinct streams for the threads, all derived from the run's seed. */
export function threadSeed(seed: number, index: number): number {
  return (seed + Math.imul(index, 0x9e3779b9)) >>> 0;
}
