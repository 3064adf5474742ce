import {describe, expect, test} from 'vitest';
import {directLoss} from '../../src/engine/linear-model.js';
import {Objective, solveOptimum} from '../../src/engine/optimum.js';
import {Race} from '../../src/engine/race.js';
import type {TrainingData} from '../../src/engine/types.js';
import {TestRandom, exactLeastSquares} from './exact.js';
import {bookConfig, bostonData, dataOf, normalEquations, relativeError, spec, syntheticData} from './fixtures.js';

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
		// Sanity: below the loss GD reaches after 5000 iterations (README, "The race": the study note's settings).
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

/** Training data from feature columns (as `--scale none` passes them on) and a target. */
function dataOfColumns(columns: readonly (readonly number[])[], y: readonly number[]): TrainingData {
	return dataOf(
		y.map((_, i) => columns.map((column) => column[i]!)),
		y,
	);
}

/** The optimum's weights, bias and L* each within `tolerance` (relative) of the exact fit. */
function expectExact(data: TrainingData, columns: readonly (readonly number[])[], y: readonly number[], tolerance: number): void {
	const exact = exactLeastSquares(columns, y);
	const optimum = solveOptimum(data);
	optimum.weights.forEach((w, j) => expect(relativeError(w, exact.weights[j]!), `weight ${j}`).toBeLessThan(tolerance));
	expect(relativeError(optimum.bias, exact.bias), 'bias').toBeLessThan(tolerance);
	expect(relativeError(optimum.loss, exact.loss), "L*").toBeLessThan(tolerance);
}

// The reference is the exact least-squares solution of the very doubles the engine gets, computed in
// BigInt integers and rounded once (test/engine/exact.ts): any digit the engine gets wrong shows.
describe('numbers at the edges (--scale none), against an exact reference', () => {
	/** 1000 rows: t = 1.7e18 + an integer < 8.64e13 (nanosecond timestamps of one day), b ~ N(0, 1). */
	function timestamps(): {t: number[]; b: number[]; a: number[]; y: number[]} {
		const random = new TestRandom(16);
		const t: number[] = [];
		const b: number[] = [];
		const a: number[] = [];
		const y: number[] = [];
		for (let i = 0; i < 1000; i++) {
			t.push(1.7e18 + random.integer(8.64e13));
			b.push(random.normal());
			a.push(1e15 + random.normal());
			y.push(3 * b[i]! + 1e-13 * (t[i]! - 1.7e18) + 0.1 * random.normal());
		}
		return {t, b, a, y};
	}

	test('a timestamp feature (1.7e18, spread 8.6e13) beside one of spread 1: rank 2, the exact L*', () => {
		const {t, b, y} = timestamps();
		const data = dataOfColumns([t, b], y);
		const optimum = solveOptimum(data);
		expect(optimum.rank).toBe(2);
		expect(optimum.unique).toBe(true);
		// The noise has σ 0.1: L* is near 0.01 (it was 8.4–9.3 when the timestamp's units hid b).
		expect(optimum.loss).toBeGreaterThan(0.009);
		expect(optimum.loss).toBeLessThan(0.011);
		expectExact(data, [t, b], y, 1e-13);
	});

	test('a feature 1e15 + N(0, 1) alone: rank 1 (not 0), the exact fit', () => {
		const {a, y} = timestamps();
		const data = dataOfColumns([a], y);
		expect(solveOptimum(data).rank).toBe(1);
		expectExact(data, [a], y, 1e-13);
	});

	test('a feature near 1e-300 beside an ordinary one: rank 2, the exact fit, and GD converges', () => {
		const random = new TestRandom(17);
		const u: number[] = [];
		const v: number[] = [];
		const y: number[] = [];
		for (let i = 0; i < 1000; i++) {
			u.push(1e-300 * random.normal());
			v.push(random.normal());
			y.push(2 * v[i]! + 1.84 * random.normal());
		}
		const data = dataOfColumns([u, v], y);
		const optimum = solveOptimum(data);
		expect(optimum.rank).toBe(2);
		// The weight of u is of order 1e299: exact arithmetic needs it, and it is a double.
		expect(Math.abs(optimum.weights[0]!)).toBeGreaterThan(1e290);
		expectExact(data, [u, v], y, 1e-13);

		const race = new Race(bookConfig({data, racers: [spec('gd')], epochs: 2000}));
		race.advance(2000);
		const [gd] = race.racers;
		expect(gd!.state).toBe('done');
		expect(gd!.finished).not.toBeNull();
		// GD cannot move u's weight (its gradient is 1e-300 small); it converges on v's, within 1 % of L*.
		expect(relativeError(gd!.loss, optimum.loss)).toBeLessThan(0.01);
		expect(gd!.weights[1]).toBeCloseTo(optimum.weights[1]!, 2);
	});

	test('values near the top of the double range (past 2^1023) give finite weights, not a scale of Infinity', () => {
		const random = new TestRandom(18);
		const x: number[] = [];
		const y: number[] = [];
		for (let i = 0; i < 200; i++) {
			x.push((random.uniform() * 2 - 1) * 1.7e308);
			y.push(random.normal());
		}
		const data = dataOfColumns([x], y);
		expect(solveOptimum(data).rank).toBe(1);
		expectExact(data, [x], y, 1e-13);
	});

	test('ill-conditioned columns (condition number 1e8): the weights within κ·ε·|w|·10 of the exact ones', () => {
		// x2 = x1 + 1e-8·noise: numpy's lstsq has an error of about κ·ε relative here.
		const random = new TestRandom(19);
		const x1: number[] = [];
		const x2: number[] = [];
		const y: number[] = [];
		for (let i = 0; i < 500; i++) {
			x1.push(random.uniform());
			x2.push(x1[i]! + 1e-8 * random.normal());
			y.push(3 * x1[i]! - 2 * x2[i]! + 0.1 * random.normal());
		}
		const data = dataOfColumns([x1, x2], y);
		const exact = exactLeastSquares([x1, x2], y);
		const optimum = solveOptimum(data);
		expect(optimum.rank).toBe(2);
		const size = Math.hypot(...exact.weights);
		optimum.weights.forEach((w, j) => expect(Math.abs(w - exact.weights[j]!) / size).toBeLessThan(1e8 * Number.EPSILON * 10));
		expect(relativeError(optimum.loss, exact.loss)).toBeLessThan(1e-12);
	});

	test('ordinary data (Boston, 13 synthetic features): weights and L* within 1e-13 of exact', () => {
		const boston = bostonData();
		const columnsOf = (data: TrainingData) =>
			Array.from({length: data.dims}, (_, j) => Array.from({length: data.rows}, (_, i) => data.x[i * data.dims + j]!));
		expectExact(boston, columnsOf(boston), Array.from(boston.y), 1e-13);
		const synthetic = syntheticData(300, 13, 5);
		expectExact(synthetic, columnsOf(synthetic), Array.from(synthetic.y), 1e-13);
	});
});
