/**
 * The engine's only source of randomness: xoshiro128** (Blackman & Vigna), a fast 32-bit
 * generator with a 128-bit state, seeded per racer from (seed, stream name) so that racers draw
 * from independent streams: adding or removing a racer never changes another racer's draws.
 */

/** A generator's complete state: four 32-bit words (as unsigned integers). Plain data. */
export type RngState = readonly [number, number, number, number];

const TWO_POW_32 = 4294967296;
const TWO_POW_MINUS_32 = 1 / TWO_POW_32;
/** Above this bound `x * n` (x < 2^32) may exceed 2^53 and stop being exact. */
const EXACT_PRODUCT_LIMIT = 0x200000;

/** The 32-bit finaliser of MurmurHash3: every input bit affects every output bit. */
function mix32(h: number): number {
	h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
	h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
	return (h ^ (h >>> 16)) >>> 0;
}

/**
 * The initial state for (seed, stream): a 128-bit hash (four independently seeded
 * multiply-xorshift lanes, in the manner of cyrb128) of the seed's decimal text and the stream
 * name, then finalised. Never all zero (the one state xoshiro cannot leave).
 */
export function seedState(seed: number, stream: string): RngState {
	const text = `${String(seed)}\u0000${stream}`;
	let h1 = 0x6a09e667;
	let h2 = 0xbb67ae85;
	let h3 = 0x3c6ef372;
	let h4 = 0xa54ff53a;
	for (let i = 0; i < text.length; i++) {
		const c = text.charCodeAt(i);
		h1 = h2 ^ Math.imul(h1 ^ c, 597399067);
		h2 = h3 ^ Math.imul(h2 ^ c, 2869860233);
		h3 = h4 ^ Math.imul(h3 ^ c, 951274213);
		h4 = h1 ^ Math.imul(h4 ^ c, 2716044179);
	}
	const state: [number, number, number, number] = [
		mix32(h1 ^ text.length),
		mix32(h2 + 0x9e3779b9),
		mix32(h3 ^ 0x7f4a7c15),
		mix32(h4 + 0x94d049bb),
	];
	if ((state[0] | state[1] | state[2] | state[3]) === 0) {
		state[0] = 1;
	}
	return state;
}

/** xoshiro128**: 32-bit outputs, period 2^128 − 1. Its state is plain data (save/restore). */
export class Rng {
	/** A generator for one stream of a seed, e.g. `Rng.fromSeed(2023, 'sgd')`. */
	static fromSeed(seed: number, stream: string): Rng {
		return new Rng(seedState(seed, stream));
	}

	// Four words held as int32 fields, initialised to numbers so V8 keeps them unboxed (a field
	// first defined as undefined is stored boxed).
	private s0 = 0;
	private s1 = 0;
	private s2 = 0;
	private s3 = 0;

	/** Starts from a saved state (see `saveState`). */
	constructor(state: RngState) {
		this.restoreState(state);
	}

	/** The next 32 random bits, as an unsigned integer in [0, 2^32). */
	nextUint32(): number {
		const s0 = this.s0;
		const s1 = this.s1;
		const s2 = this.s2 ^ s0;
		const s3 = this.s3 ^ s1;
		const m = Math.imul(s1, 5);
		const result = Math.imul((m << 7) | (m >>> 25), 9);
		this.s0 = s0 ^ s3;
		this.s1 = s1 ^ s2;
		this.s2 = s2 ^ (s1 << 9);
		this.s3 = (s3 << 11) | (s3 >>> 21);
		return result >>> 0;
	}

	/** A uniform double in [0, 1) with 53 random bits. */
	float(): number {
		const high = this.nextUint32() >>> 5;
		const low = this.nextUint32() >>> 6;
		return (high * 67108864 + low) / 9007199254740992;
	}

	/**
	 * A uniform integer in [0, n), unbiased, for an integer n in [1, 2^32]. Lemire's
	 * multiply-and-reject method (exact in doubles for n <= 2^21), plain modulo rejection above.
	 */
	int(n: number): number {
		if (n <= EXACT_PRODUCT_LIMIT) {
			let m = this.nextUint32() * n;
			let high = Math.floor(m * TWO_POW_MINUS_32);
			let low = m - high * TWO_POW_32;
			if (low < n) {
				// Reject the (2^32 mod n) low values that would over-represent some results.
				const threshold = (TWO_POW_32 - n) % n;
				while (low < threshold) {
					m = this.nextUint32() * n;
					high = Math.floor(m * TWO_POW_MINUS_32);
					low = m - high * TWO_POW_32;
				}
			}
			return high;
		}
		const limit = TWO_POW_32 - (TWO_POW_32 % n);
		let x = this.nextUint32();
		while (x >= limit) {
			x = this.nextUint32();
		}
		return x % n;
	}

	/** The complete state, as plain data. */
	saveState(): RngState {
		return [this.s0 >>> 0, this.s1 >>> 0, this.s2 >>> 0, this.s3 >>> 0];
	}

	/** Continues from a state returned by `saveState` (or `seedState`). */
	restoreState(state: RngState): void {
		if (state.length !== 4 || !state.every((word) => Number.isInteger(word) && word >= 0 && word < TWO_POW_32)) {
			throw new RangeError('generator state must be four unsigned 32-bit integers');
		}
		if ((state[0] | state[1] | state[2] | state[3]) === 0) {
			throw new RangeError('generator state must not be all zero');
		}
		this.s0 = state[0] | 0;
		this.s1 = state[1] | 0;
		this.s2 = state[2] | 0;
		this.s3 = state[3] | 0;
	}
}
