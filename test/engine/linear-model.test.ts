import {describe, expect, test} from 'vitest';
import {applyStep, assertTrainingData, directLoss, gradientSums, gradientSumsAny} from '../../src/engine/linear-model.js';
import {Rng} from '../../src/engine/rng.js';
import {bostonData, dataOf, syntheticData} from './fixtures.js';

describe('the shared update rule', () => {
	test('one full-batch step on three rows, worked out by hand', () => {
		// x = 1, 2, 3; y = 3, 5, 7; θ = (w 0, b 1): ŷ = 1, diff = y − ŷ = 2, 4, 6.
		// Σ diff·x = 2 + 8 + 18 = 28, Σ diff = 12.
		// dL/dw = −2/n Σ x·(y − ŷ) = −2/3·28; w ← 0 + 0.01·(2/3)·28 = 0.18666…
		// dL/db = −2/n Σ (y − ŷ) = −2/3·12; b ← 1 + 0.01·(2/3)·12 = 1.08
		const data = dataOf([[1], [2], [3]], [3, 5, 7]);
		const theta = Float64Array.of(0, 1);
		const sums = new Float64Array(2);
		gradientSums(data, theta, null, 0, 3, sums);
		expect(Array.from(sums)).toEqual([28, 12]);
		const next = new Float64Array(2);
		applyStep(theta, sums, 0.01, 3, next);
		expect(next[0]).toBeCloseTo(0.56 / 3, 15);
		expect(next[1]).toBeCloseTo(1.08, 15);
	});

	test('a batch of chosen rows, two features, by hand', () => {
		// Rows 2 and 0 of x = (1, 0), (0, 1), (2, 2); y = 4, 1, 10; θ = (1, −1, 0.5).
		// Row 2: ŷ = 2 − 2 + 0.5 = 0.5, diff = 9.5; row 0: ŷ = 1 − 0 + 0.5 = 1.5, diff = 2.5.
		// Σ diff·x1 = 9.5·2 + 2.5·1 = 21.5; Σ diff·x2 = 9.5·2 + 0 = 19; Σ diff = 12.
		const data = dataOf([[1, 0], [0, 1], [2, 2]], [4, 1, 10]);
		const sums = new Float64Array(3);
		gradientSums(data, Float64Array.of(1, -1, 0.5), Int32Array.of(2, 0), 0, 2, sums);
		expect(Array.from(sums)).toEqual([21.5, 19, 12]);
		// The same rows, given at an offset inside a longer index array.
		gradientSums(data, Float64Array.of(1, -1, 0.5), Int32Array.of(1, 2, 0, 1), 1, 2, sums);
		expect(Array.from(sums)).toEqual([21.5, 19, 12]);
	});

	test('the unrolled loops for d = 1 and 2 are bit-identical to the general loop', () => {
		for (const dims of [1, 2]) {
			const data = syntheticData(97, dims, dims);
			const rng = Rng.fromSeed(dims, 'rows');
			const theta = Float64Array.from({length: dims + 1}, () => rng.float() * 10 - 5);
			const rows = Int32Array.from({length: 64}, () => rng.int(data.rows));
			const fast = new Float64Array(dims + 1);
			const reference = new Float64Array(dims + 1);
			for (const [start, count] of [[0, 64], [5, 1], [13, 30]] as const) {
				gradientSums(data, theta, rows, start, count, fast);
				gradientSumsAny(data, theta, rows, start, start + count, reference);
				expect(Array.from(fast)).toEqual(Array.from(reference));
				gradientSums(data, theta, null, start, count, fast);
				gradientSumsAny(data, theta, null, start, start + count, reference);
				expect(Array.from(fast)).toEqual(Array.from(reference));
			}
		}
	});

	test('directLoss is the plain mean of squared residuals', () => {
		// Residuals at w = 2, b = 1 on x = 1, 2, 3, y = 3, 5, 8: 0, 0, 1 → MSE 1/3.
		expect(directLoss(dataOf([[1], [2], [3]], [3, 5, 8]), [2], 1)).toBeCloseTo(1 / 3, 15);
		// Boston at the initial weights (0, bias 1): mean of (MEDV − 1)², computed independently.
		const boston = bostonData();
		let sum = 0;
		for (const y of boston.y) {
			sum += (y - 1) ** 2;
		}
		expect(directLoss(boston, [0, 0], 1)).toBeCloseTo(sum / boston.rows, 10);
	});

	test('assertTrainingData refuses malformed data', () => {
		const good = dataOf([[1], [2]], [1, 2]);
		expect(() => assertTrainingData(good)).not.toThrow();
		expect(() => assertTrainingData({...good, rows: 0, x: new Float64Array(0), y: new Float64Array(0)})).toThrow(RangeError);
		expect(() => assertTrainingData({...good, dims: 0})).toThrow(RangeError);
		expect(() => assertTrainingData({...good, rows: 3})).toThrow(RangeError);
		expect(() => assertTrainingData({...good, x: Float64Array.of(1, Number.NaN)})).toThrow(/row 1/);
		expect(() => assertTrainingData({...good, y: Float64Array.of(Infinity, 2)})).toThrow(/target at row 0/);
	});
});
