import { MT_WORDS, nextWord } from '../backend/cpu/mt19937';
import type { Mt19937State } from '../backend';
/** torch's default seed for a new Generator and for the default generator at start-up. */
const DEFAULT_SEED = 67280421310721;
/** Bytes of torch's CPU generator state (torch.get_rng_state()): see getState(). */
const STATE_BYTES = 5056;

/** The low 32 bits of a seed, as torch's mt19937 takes them, and the seed as torch's uint64. */
function seedParts(op: string, seed: number | bigint): [number, bigint] {
  if (typeof seed === 'number' && !Number.isInteger(seed)) throw new Error(`${op}: seed must be an integer, got ${seed}`);
  const big = BigInt(seed);
  if (big < -(1n << 63n) || big >= 1n << 64n) {
    throw new Error(`${op}: seed must be within the range [-0x8000_0000_0000_0000, 0xffff_ffff_ffff_ffff], got ${seed}`);
  }
  return [Number(BigInt.asUintN(32, big)), BigInt.asUintN(64, big)];
}

/**
 * A source of random numbers, as torch.Generator on the CPU: the Mersenne Twister (mt19937)
 * seeded as torch.manual_seed seeds it, so that, with Wick's distributions drawing from it in
 * torch's order, the same seed gives torch's numbers (see distributions.ts).
 */
export class Generator {
  private readonly state: Mt19937State = { words: new Uint32Array(MT_WORDS), left: 1, next: 0 };
  private seedValue = 0n;
  /** The second normal of the last Box-Muller pair drawn one at a time, as torch caches it. */
  private nextDoubleNormal: number | null = null;
  /** torch's float cache: no Wick distribution uses it, but a state taken from torch keeps it. */
  private nextFloatNormal: number | null = null;

  /** A generator seeded with `seed`, or with torch's default seed (67280421310721). */
  constructor(seed: number | bigint = DEFAULT_SEED) {
    this.manualSeed(seed);
  }

  /**
   * Seeds the generator, as torch.Generator.manual_seed: any integer in torch's range
   * [-2^63, 2^64); mt19937 takes its low 32 bits (seed 2^40 + 3 gives seed 3's numbers).
   */
  manualSeed(seed: number | bigint): this {
    const [low, full] = seedParts('manualSeed', seed);
    const mt = this.state.words;
    mt[0] = low;
    for (let j = 1; j < MT_WORDS; j++) {
      const prev = mt[j - 1] ^ (mt[j - 1] >>> 30);
      mt[j] = Math.imul(1812433253, prev) + j;
    }
    this.state.left = 1;
    this.state.next = 0;
    this.seedValue = full;
    this.nextDoubleNormal = null;
    this.nextFloatNormal = null;
    return this;
  }

  /** The seed last given, as torch's uint64 (exact below 2^53). */
  initialSeed(): number {
    return Number(this.seedValue);
  }

  /** Seeds the generator from a non-deterministic source and returns the seed, as torch.Generator.seed. */
  seed(): number {
    const words = new Uint32Array(2);
    const crypto = (globalThis as { crypto?: { getRandomValues(a: Uint32Array): Uint32Array } }).crypto;
    if (crypto !== undefined) crypto.getRandomValues(words);
    else words.set([Date.now() >>> 0, (Math.random() * 2 ** 32) >>> 0]);
    // 53 bits, so the seed is exact as a number.
    const seed = (words[0] & 0x1fffff) * 2 ** 32 + words[1];
    this.manualSeed(seed);
    return seed;
  }

  /**
   * The generator's state in torch's byte layout (what torch.get_rng_state() holds, 5,056 bytes):
   * the seed, mt19937's position and words, and the cached normal samples; setState() takes it
   * back, from Wick or from torch.
   */
  getState(): Uint8Array {
    const bytes = new Uint8Array(STATE_BYTES);
    const view = new DataView(bytes.buffer);
    view.setBigUint64(0, this.seedValue, true);
    view.setInt32(8, this.state.left, true);
    view.setInt32(12, 1, true);
    view.setBigUint64(16, BigInt(this.state.next), true);
    for (let j = 0; j < MT_WORDS; j++) view.setBigUint64(24 + 8 * j, BigInt(this.state.words[j]), true);
    const tail = 24 + 8 * MT_WORDS;
    // normal_x, normal_y, normal_rho (doubles), normal_is_valid (int32), then the float cache.
    if (this.nextDoubleNormal !== null) {
      view.setFloat64(tail + 8, this.nextDoubleNormal, true);
      view.setInt32(tail + 24, 1, true);
    }
    if (this.nextFloatNormal !== null) {
      view.setFloat32(tail + 32, this.nextFloatNormal, true);
      view.setUint8(tail + 36, 1);
    }
    return bytes;
  }

  /** Restores a state from getState() or torch.get_rng_state(); checked before anything changes. */
  setState(state: Uint8Array): this {
    if (!(state instanceof Uint8Array) || state.length !== STATE_BYTES) {
      throw new Error(`setState: expected the ${STATE_BYTES} bytes of a CPU generator state, got ${state instanceof Uint8Array ? state.length : typeof state}`);
    }
    const view = new DataView(state.buffer, state.byteOffset, state.byteLength);
    const left = view.getInt32(8, true);
    const next = Number(view.getBigUint64(16, true));
    if (view.getInt32(12, true) !== 1 || left < 1 || left > MT_WORDS || next > MT_WORDS) {
      throw new Error(`setState: not a valid generator state (left ${left}, next ${next}, seeded ${view.getInt32(12, true)})`);
    }
    for (let j = 0; j < MT_WORDS; j++) this.state.words[j] = Number(view.getBigUint64(24 + 8 * j, true) & 0xffffffffn);
    const tail = 24 + 8 * MT_WORDS;
    this.seedValue = view.getBigUint64(0, true);
    this.state.left = left;
    this.state.next = next;
    this.nextDoubleNormal = view.getInt32(tail + 24, true) !== 0 ? view.getFloat64(tail + 8, true) : null;
    this.nextFloatNormal = view.getUint8(tail + 36) !== 0 ? view.getFloat32(tail + 32, true) : null;
    return this;
  }

  /** @internal The next 32 random bits (torch's generator->random()). */
  nextUint32(): number {
    return nextWord(this.state);
  }

  /** @internal The mt19937 state itself, for kernels that draw many values at once (advancing it). */
  get stream(): Mt19937State {
    return this.state;
  }

  /**
   * @internal The low 53 of the next 64 random bits (torch's generator->random64(), the first
   * 32-bit draw being the high word), all a double's mantissa takes.
   */
  nextUint53(): number {
    const hi = this.nextUint32();
    const lo = this.nextUint32();
    return (hi & 0x1fffff) * 4294967296 + lo;
  }

  /** @internal The next 64 random bits as a bigint, for integer ranges of 2^32 or more. */
  nextUint64(): bigint {
    const hi = this.nextUint32();
    const lo = this.nextUint32();
    return (BigInt(hi) << 32n) | BigInt(lo);
  }

  /** @internal Takes the cached second normal of a pair, if there is one. */
  takeNormal(): number | null {
    const v = this.nextDoubleNormal;
    this.nextDoubleNormal = null;
    return v;
  }

  /** @internal Caches the second normal of a pair. */
  keepNormal(value: number): void {
    this.nextDoubleNormal = value;
  }
}

/** The generator used when none is given, seeded as torch's default CPU generator is at start-up. */
export const defaultGenerator = new Generator(DEFAULT_SEED);

/** Seeds the default generator, as torch.manual_seed. */
export function manualSeed(seed: number | bigint): Generator {
  return defaultGenerator.manualSeed(seed);
}

/** The default generator's state, as torch.get_rng_state(). */
export function getRngState(): Uint8Array {
  return defaultGenerator.getState();
}

/** Restores the default generator's state, as torch.set_rng_state(). */
export function setRngState(state: Uint8Array): void {
  defaultGenerator.setState(state);
}

/** The default generator's seed, as torch.initial_seed(). */
export function initialSeed(): number {
  return defaultGenerator.initialSeed();
}
