import {describe, expect, test} from 'vitest';
import {Rng, seedState} from '../../src/engine/rng.js';

describe('Rng (xoshiro128**)', () => {
	test('matches the reference C implementation (Blackman & Vigna) word for word', () => {
		// Outputs of the authors' xoshiro128starstar.c from the states below (compiled with gcc).
		const rng = new Rng([1, 2, 3, 4]);
		expect(Array.from({length: 6}, () => rng.nextUint32())).toEqual([11520, 0, 5927040, 70819200, 2031721883, 1637235492]);
		const other = new Rng([0x9e3779b9, 0xdeadbeef, 0x12345678, 0xfffffffe]);
		for (let i = 0; i < 1000; i++) {
			other.nextUint32();
		}
		expect([other.nextUint32(), other.nextUint32(), other.nextUint32()]).toEqual([3541308452, 2494768869, 3846813010]);
	});

	test('the same seed and stream give the same numbers; other streams and seeds do not', () => {
		const draw = (seed: number, stream: string) => {
			const rng = Rng.fromSeed(seed, stream);
			return Array.from({length: 8}, () => rng.nextUint32());
		};
		expect(draw(2023, 'sgd')).toEqual(draw(2023, 'sgd'));
		expect(draw(2023, 'sgd')).not.toEqual(draw(2023, 'mb-random'));
		expect(draw(2023, 'sgd')).not.toEqual(draw(2024, 'sgd'));
		// The seed is hashed as text joined to the stream with a separator: no (seed, stream) aliasing.
		expect(seedState(1, '2x')).not.toEqual(seedState(12, 'x'));
	});

	test('saveState/restoreState continue the stream exactly, as plain data', () => {
		const rng = Rng.fromSeed(7, 'stream');
		rng.nextUint32();
		const saved = JSON.parse(JSON.stringify(rng.saveState())) as [number, number, number, number];
		const expected = [rng.nextUint32(), rng.int(506), rng.float()];
		const restored = new Rng(saved);
		expect([restored.nextUint32(), restored.int(506), restored.float()]).toEqual(expected);
	});

	test('refuses a malformed or all-zero state', () => {
		expect(() => new Rng([0, 0, 0, 0])).toThrow(RangeError);
		expect(() => new Rng([1, 2, 3, -1])).toThrow(RangeError);
		expect(() => new Rng([1, 2, 3, 2 ** 32])).toThrow(RangeError);
		expect(() => new Rng([1, 2, 3] as unknown as [number, number, number, number])).toThrow(RangeError);
	});

	test('int(n) stays in [0, n) and is uniform (chi-square over 506 cells)', () => {
		const rng = Rng.fromSeed(2023, 'uniformity');
		const n = 506;
		const draws = 506_000;
		const counts = new Float64Array(n);
		let outside = 0;
		for (let i = 0; i < draws; i++) {
			const k = rng.int(n);
			if (!(Number.isInteger(k) && k >= 0 && k < n)) {
				outside++;
			}
			counts[k]!++;
		}
		expect(outside).toBe(0);
		const expected = draws / n;
		let chi2 = 0;
		for (const c of counts) {
			chi2 += (c - expected) ** 2 / expected;
		}
		// 505 degrees of freedom: mean 505, sd ~31.8; 650 is beyond 4.5 sd.
		expect(chi2).toBeLessThan(650);
		expect(chi2).toBeGreaterThan(360);
	});

	test('int(n) rejects instead of reducing modulo n (n = 2^31 + 1, where modulo would be biased 2:1)', () => {
		// For n = 2^31 + 1, plain `x mod n` would return 0 … 2^31 − 2 twice as often as the rest
		// (2^32 = n + (n − 2)). Lemire's rejection must give each value the same chance: the share of
		// results below 2^30 must be near 2^30 / n ≈ 0.5, not ≈ 0.75 as with modulo.
		const rng = Rng.fromSeed(1, 'modulo bias');
		const n = 2 ** 31 + 1;
		let low = 0;
		const draws = 200_000;
		for (let i = 0; i < draws; i++) {
			if (rng.int(n) < 2 ** 30) {
				low++;
			}
		}
		expect(low / draws).toBeGreaterThan(0.49);
		expect(low / draws).toBeLessThan(0.51);
	});

	test('int handles the edges: n = 1 and n = 2^32', () => {
		const rng = Rng.fromSeed(3, 'edges');
		for (let i = 0; i < 100; i++) {
			expect(rng.int(1)).toBe(0);
			const k = rng.int(2 ** 32);
			expect(k >= 0 && k < 2 ** 32 && Number.isInteger(k)).toBe(true);
		}
	});

	test('float() is in [0, 1) with mean near 1/2', () => {
		const rng = Rng.fromSeed(5, 'float');
		let sum = 0;
		let outside = 0;
		for (let i = 0; i < 100_000; i++) {
			const f = rng.float();
			if (!(f >= 0 && f < 1)) {
				outside++;
			}
			sum += f;
		}
		expect(outside).toBe(0);
		expect(Math.abs(sum / 100_000 - 0.5)).toBeLessThan(0.005);
	});
});
