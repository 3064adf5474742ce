import {describe, expect, test} from 'vitest';
import {nextSmoothing, smooth, SMOOTHING_WEIGHTS} from '../../src/ui/smoothing.js';

describe('debiased EMA smoothing', () => {
	test('matches a hand-computed EMA at 0.6', () => {
		// last: 0.4·10 = 4 → /0.4 = 10; 0.6·4 + 0.4·20 = 10.4 → /(1 − 0.36) = 16.25;
		// 0.6·10.4 + 0.4·5 = 8.24 → /(1 − 0.216) = 10.510204…
		const out = smooth([10, 20, 5], 0.6);
		expect(out[0]).toBeCloseTo(10, 12);
		expect(out[1]).toBeCloseTo(16.25, 12);
		expect(out[2]).toBeCloseTo(8.24 / 0.784, 12);
	});

	test('a constant stays constant at every weight; weight 0 is a copy', () => {
		for (const weight of SMOOTHING_WEIGHTS) {
			for (const v of smooth([3, 3, 3, 3, 3], weight)) expect(v).toBeCloseTo(3, 12);
		}
		expect(Array.from(smooth([1, 5, 2], 0))).toEqual([1, 5, 2]);
	});

	test('non-finite values pass through and do not enter the average', () => {
		const out = smooth([2, Number.NaN, 4], 0.5);
		expect(out[0]).toBe(2);
		expect(out[1]).toBeNaN();
		// As if the NaN were not there: 0.5·1 + 0.5·4 = 2.5 → /0.75.
		expect(out[2]).toBeCloseTo(2.5 / 0.75, 12);
	});

	test('reuses a buffer that is long enough', () => {
		const buffer = new Float64Array(8);
		const out = smooth([1, 2], 0.9, buffer);
		expect(out.buffer).toBe(buffer.buffer);
		expect(out.length).toBe(2);
	});

	test('`e` cycles off → 0.6 → 0.9 → 0.99 → off', () => {
		expect([0, 0.6, 0.9, 0.99].map(nextSmoothing)).toEqual([0.6, 0.9, 0.99, 0]);
	});
});
