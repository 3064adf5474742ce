import {describe, expect, test} from 'vitest';
import {directLoss} from '../../src/engine/linear-model.js';
import {Objective, solveOptimum} from '../../src/engine/optimum.js';
import {Race} from '../../src/engine/race.js';
import type {TrainingData} from '../../src/engine/types.js';
import {bookConfig, bostonData, dataOf, normalEquations, relativeError, syntheticData} from './fixtures.js';

/** Loss − L* evaluated the slow way: ‖Xc·δw‖²/N + (δb + x̄·δw)², straight from the data. */
function directGap(data: TrainingData, objective: Objective, weights: readonly number[], bias: number): number {
	const {rows, dims, x} = data;
	const means = new Array<number>(dims).fill(0);
	for (let i = 0; i < rows; i++) {
		for (let j = 0; j < dims; j++) {
			means[j]! += x[i * dims + j]! / rows;
		}
	}
	const delta = weights.map((w, j) => w - objective.optimum.weights[j]!);
	let quadratic = 0;
	for (let i = 0; i < rows; i++) {
		let s = 0;
		for (let j = 0; j < dims; j++) {
			s += (x[i * dims + j]! - means[j]!) * delta[j]!;
		}
		quadratic += s * s;
	}
	const shift = bias - objective.optimum.bias + means.reduce((sum, m, j) => sum + m * delta[j]!, 0);
	return quadratic / rows + shift * shift;
}

function theta(weights: readonly number[], bias: number): Float64Array {
	return Float64Array.from([...weights, bias]);
}

describe('the closed-form optimum', () => {
	test('Boston: agrees with the normal equations, L* is the direct MSE there', () => {
		const data = bostonData();
		const optimum = solveOptimum(data);
		const reference = normalEquations(data);
		expect(optimum.unique).toBe(true);
		expect(optimum.rank).toBe(2);
		optimum.weights.forEach((w, j) => expect(relativeError(w, reference.weights[j]!)).toBeLessThan(1e-11));
		expect(relativeError(optimum.bias, reference.bias)).toBeLessThan(1e-11);
		expect(relativeError(optimum.loss, directLoss(data, reference.weights, reference.bias))).toBeLessThan(1e-13);
		// Sanity: below the loss GD reaches after 5000 iterations (SPEC §1).
		expect(optimum.loss).toBeLessThan(30.529067414418);
	});

	test('13 synthetic features: agrees with the normal equations', () => {
		const data = syntheticData(2000, 13, 4);
		const optimum = solveOptimum(data);
		const reference = normalEquations(data);
		expect(optimum.rank).toBe(13);
		optimum.weights.forEach((w, j) => expect(Math.abs(w - reference.weights[j]!)).toBeLessThan(1e-9));
		expect(Math.abs(optimum.bias - reference.bias)).toBeLessThan(1e-9);
	});

	test('50 synthetic features: agrees with the normal equations', () => {
		const data = syntheticData(3000, 50, 6);
		const optimum = solveOptimum(data);
		const reference = normalEquations(data);
		expect(optimum.rank).toBe(50);
		optimum.weights.forEach((w, j) => expect(Math.abs(w - reference.weights[j]!)).toBeLessThan(1e-8));
		expect(relativeError(optimum.loss, directLoss(data, reference.weights, reference.bias))).toBeLessThan(1e-12);
	});

	test('an exact line: y = 2x + 1 gives w 2, b 1, L* 0', () => {
		const optimum = solveOptimum(dataOf([[0], [1], [2], [5]], [1, 3, 5, 11]));
		expect(optimum.weights[0]).toBeCloseTo(2, 14);
		expect(optimum.bias).toBeCloseTo(1, 14);
		expect(optimum.loss).toBeLessThan(1e-28);
		expect(optimum.unique).toBe(true);
	});

	test('a hand-solvable fit: x = 0, 1, 2, 3 and y = 1, 3, 2, 5', () => {
		// x̄ = 1.5, ȳ = 2.75; Σ(x−x̄)(y−ȳ) = 2.625 − 0.125 − 0.375 + 3.375 = 5.5, Σ(x−x̄)² = 5
		// → w = 1.1, b = 2.75 − 1.65 = 1.1. Residuals −0.1, 0.8, −1.3, 0.6 (they sum to 0 and are
		// orthogonal to x, as they must) → L* = (0.01 + 0.64 + 1.69 + 0.36) / 4 = 0.675.
		const optimum = solveOptimum(dataOf([[0], [1], [2], [3]], [1, 3, 2, 5]));
		expect(optimum.weights[0]).toBeCloseTo(1.1, 14);
		expect(optimum.bias).toBeCloseTo(1.1, 14);
		expect(optimum.loss).toBeCloseTo(0.675, 14);
	});

	describe('rank-deficient data: a finite L*, the minimum-norm weights, unique false', () => {
		const xs = [0, 1, 2, 3];
		const ys = [1, 3, 2, 5];
		// From the hand-solved fit above: slope 1.1, intercept 1.1, L* 0.675.

		test('a duplicated column shares the slope equally', () => {
			const optimum = solveOptimum(dataOf(xs.map((x) => [x, x]), ys));
			expect(optimum.unique).toBe(false);
			expect(optimum.rank).toBe(1);
			expect(optimum.weights[0]).toBeCloseTo(0.55, 13);
			expect(optimum.weights[1]).toBeCloseTo(0.55, 13);
			expect(optimum.bias).toBeCloseTo(1.1, 13);
			expect(optimum.loss).toBeCloseTo(0.675, 13);
		});

		test('x2 = 2·x1: min-norm weights lie along (1, 2), w1 + 2·w2 = 1.1', () => {
			// min ‖w‖ subject to w1 + 2 w2 = 1.1 → w = 1.1·(1, 2)/5 = (0.22, 0.44).
			const optimum = solveOptimum(dataOf(xs.map((x) => [x, 2 * x]), ys));
			expect(optimum.unique).toBe(false);
			expect(optimum.weights[0]).toBeCloseTo(0.22, 13);
			expect(optimum.weights[1]).toBeCloseTo(0.44, 13);
			expect(optimum.loss).toBeCloseTo(0.675, 13);
		});

		test('a constant column (possible with --scale none) gets weight 0; the bias absorbs it', () => {
			const optimum = solveOptimum(dataOf(xs.map((x) => [x, 0.1]), ys));
			expect(optimum.unique).toBe(false);
			expect(optimum.rank).toBe(1);
			expect(optimum.weights[0]).toBeCloseTo(1.1, 13);
			expect(Math.abs(optimum.weights[1]!)).toBeLessThan(1e-12);
			expect(optimum.bias).toBeCloseTo(1.1, 13);
			expect(optimum.loss).toBeCloseTo(0.675, 13);
		});

		test('N <= d: two rows and three features fit exactly', () => {
			const data = dataOf([[1, 2, 3], [4, 0, -1]], [10, -2]);
			const optimum = solveOptimum(data);
			expect(optimum.unique).toBe(false);
			expect(optimum.rank).toBe(1);
			expect(optimum.loss).toBeLessThan(1e-25);
			// Min-norm: w is along the centred row difference (3, −2, −4), scaled to fit Δy = −12.
			const direction = [3, -2, -4];
			const scale = -12 / 29;
			optimum.weights.forEach((w, j) => expect(w).toBeCloseTo(scale * direction[j]!, 13));
		});

		test('N = d = 3 (three points, three features): exact fit, rank 2', () => {
			const optimum = solveOptimum(dataOf([[1, 0, 0], [0, 1, 0], [0, 0, 1]], [1, 2, 3]));
			expect(optimum.rank).toBe(2);
			expect(optimum.unique).toBe(false);
			expect(optimum.loss).toBeLessThan(1e-25);
		});

		test('a single row: weights 0, bias y, L* 0', () => {
			const optimum = solveOptimum(dataOf([[3, 4]], [7]));
			expect(optimum).toEqual({weights: [0, 0], bias: 7, loss: 0, rank: 0, unique: false});
		});

		test('every feature constant: rank 0, bias = mean of y, L* = variance of y', () => {
			const optimum = solveOptimum(dataOf(xs.map(() => [1e-3, 5e4]), ys));
			expect(optimum.rank).toBe(0);
			expect(optimum.weights).toEqual([0, 0]);
			expect(optimum.bias).toBeCloseTo(2.75, 13);
			// Σ(y − 2.75)² / 4 = (3.0625 + 0.0625 + 0.5625 + 5.0625) / 4 = 2.1875
			expect(optimum.loss).toBeCloseTo(2.1875, 13);
		});

		test('huge values do not overflow the solve', () => {
			const optimum = solveOptimum(dataOf(xs.map((x) => [x * 1e150]), ys));
			expect(optimum.weights[0]! * 1e150).toBeCloseTo(1.1, 12);
			expect(optimum.loss).toBeCloseTo(0.675, 12);
		});
	});
});

describe('the loss from the optimum in O(d²)', () => {
	test('equals the direct O(N·d) sum to 1e-12 along every racer\'s trajectory (d = 1, 2, 13, collinear)', () => {
		const cases: TrainingData[] = [
			bostonData(),
			syntheticData(300, 1, 2),
			syntheticData(400, 13, 3),
			dataOf([0, 1, 2, 3, 4, 5].map((x) => [x / 5, x / 5]), [1, 3, 2, 5, 4, 6]),
		];
		for (const data of cases) {
			const race = new Race(bookConfig({data, epochs: 300, racers: bookConfig().racers.map((s) => ({...s, lr: 0.05}))}));
			let worst = 0;
			let checked = 0;
			for (const racer of race.racers) {
				racer.observe({
					onUpdate: (r) => {
						worst = Math.max(worst, relativeError(r.loss, directLoss(data, r.weights, r.bias)));
						checked++;
					},
				});
			}
			race.advance(300);
			expect(checked).toBeGreaterThan(1000);
			expect(worst).toBeLessThan(1e-12);
		}
	});

	test('the gap stays accurate when tiny, where loss − L* would cancel', () => {
		const data = bostonData();
		const objective = new Objective(data);
		const {weights, bias} = objective.optimum;
		for (const step of [1e-3, 1e-6, 1e-9]) {
			const w = [weights[0]! + step, weights[1]! - 2 * step];
			const b = bias + step;
			const expected = directGap(data, objective, w, b);
			expect(relativeError(objective.gap(theta(w, b)), expected)).toBeLessThan(1e-9);
		}
		expect(objective.gap(theta(weights, bias))).toBe(0);
	});

	test('never NaN, never negative: absurd weights give an Infinity gap', () => {
		const objective = new Objective(bostonData());
		expect(objective.gap(theta([1e200, -1e200], 0))).toBe(Infinity);
		expect(objective.gap(theta([Infinity, -Infinity], 0))).toBe(Infinity);
		expect(objective.gap(theta([Number.NaN, 0], 0))).toBe(Infinity);
		const out = new Float64Array(2);
		objective.measure(theta([1, 2], 3), out);
		expect(out[0]).toBeGreaterThan(0);
		expect(out[1]).toBe(objective.lossStar + out[0]!);
		expect(objective.loss(theta([1, 2], 3))).toBe(out[1]);
	});
});
