import {afterEach, describe, expect, test, vi} from 'vitest';
import {BUNDLED_DATA, loadDataset} from '../../src/data/dataset.js';
import {directLoss} from '../../src/engine/linear-model.js';
import {Objective} from '../../src/engine/optimum.js';
import {Race} from '../../src/engine/race.js';
import {Racer} from '../../src/engine/racer.js';
import type {SavedRacer} from '../../src/engine/racer.js';
import {Rng} from '../../src/engine/rng.js';
import type {OptimizerId, RacerSnapshot, TrainingData} from '../../src/engine/types.js';
import {bookConfig, bostonData, dataOf, normalEquations, spec} from './fixtures.js';

/** x = 1, 2, 3; y = 3, 5, 7. At the start (w 0, b 1): ŷ = 1, diff = y − ŷ = 2, 4, 6. */
const tiny = dataOf([[1], [2], [3]], [3, 5, 7]);
const diff = [2, 4, 6];
const xs = [1, 2, 3];

function racerOn(data: TrainingData, id: OptimizerId, overrides: Parameters<typeof spec>[1] = {}, seed = 2023): Racer {
	const objective = new Objective(data);
	const initialLoss = directLoss(data, new Array<number>(data.dims).fill(0), 1);
	return new Racer(spec(id, overrides), {objective, seed, epochs: 1000, tolerance: 0.01, initialLoss});
}

function isFiniteSnapshot(s: RacerSnapshot): boolean {
	return [...s.weights, s.bias, s.loss, s.gap, s.ms].every(Number.isFinite);
}

describe('the first update of each racer, worked out by hand', () => {
	test('gd: all three rows', () => {
		// dL/dw = −2/n Σ x·(y − ŷ) = −2/3·(2 + 8 + 18) → w = 0.01·(2/3)·28 = 0.186…
		// dL/db = −2/n Σ (y − ŷ) = −2/3·12 → b = 1 + 0.01·(2/3)·12 = 1.08
		const racer = racerOn(tiny, 'gd');
		racer.advanceTo(1, 'iteration');
		expect(racer.weights[0]).toBeCloseTo(0.56 / 3, 15);
		expect(racer.bias).toBeCloseTo(1.08, 15);
		expect([racer.updates, racer.samples, racer.iterations]).toEqual([1, 3, 1]);
	});

	test('sgd: the one row its generator draws', () => {
		// Row r alone (n = 1): w = 0.01·2·diff_r·x_r, b = 1 + 0.01·2·diff_r.
		// r = 0: (0.04, 1.04); r = 1: (0.16, 1.08); r = 2: (0.36, 1.12).
		const expected = [
			[0.04, 1.04],
			[0.16, 1.08],
			[0.36, 1.12],
		];
		for (const seed of [1, 2, 3, 4, 5]) {
			const r = Rng.fromSeed(seed, 'sgd').int(3);
			const racer = racerOn(tiny, 'sgd', {}, seed);
			racer.advanceTo(1, 'iteration');
			expect(racer.weights[0]).toBeCloseTo(expected[r]![0]!, 15);
			expect(racer.bias).toBeCloseTo(expected[r]![1]!, 15);
			expect(racer.samples).toBe(1);
		}
	});

	test('mb-random: two rows drawn with replacement', () => {
		// n = 2: w = 0.01·(2/2)·(diff_a·x_a + diff_b·x_b), b = 1 + 0.01·(diff_a + diff_b).
		const rng = Rng.fromSeed(2023, 'mb-random');
		const [a, b] = [rng.int(3), rng.int(3)];
		const racer = racerOn(tiny, 'mb-random', {batchSize: 2});
		racer.advanceTo(1, 'iteration');
		expect(racer.weights[0]).toBeCloseTo(0.01 * (diff[a]! * xs[a]! + diff[b]! * xs[b]!), 15);
		expect(racer.bias).toBeCloseTo(1 + 0.01 * (diff[a]! + diff[b]!), 15);
		expect(racer.samples).toBe(2);
	});

	test('mb-epoch: rows 0–1, then row 2 from the new weights', () => {
		// Slice 1, rows 0 and 1: Σ diff·x = 2 + 8 = 10, Σ diff = 6 → w = 0.01·(2/2)·10 = 0.1, b = 1.06.
		const racer = racerOn(tiny, 'mb-epoch', {batchSize: 2});
		expect(racer.updatesPerIteration).toBe(2);
		racer.advanceTo(0.5, 'iteration');
		expect(racer.weights[0]).toBeCloseTo(0.1, 15);
		expect(racer.bias).toBeCloseTo(1.06, 15);
		expect([racer.updates, racer.iterations, racer.position('iteration')]).toEqual([1, 0, 0.5]);
		// Slice 2, row 2 alone: ŷ = 0.1·3 + 1.06 = 1.36, diff = 5.64 → w = 0.1 + 0.02·5.64·3, b = 1.06 + 0.02·5.64.
		racer.advanceTo(1, 'iteration');
		expect(racer.weights[0]).toBeCloseTo(0.1 + 0.02 * 5.64 * 3, 14);
		expect(racer.bias).toBeCloseTo(1.06 + 0.02 * 5.64, 14);
		expect([racer.updates, racer.iterations, racer.samples]).toEqual([2, 1, 3]);
	});

	test('the history starts at the initial loss, at 0 in every coordinate', () => {
		const racer = racerOn(tiny, 'gd');
		// Initial loss: mean of diff² = (4 + 16 + 36) / 3.
		expect(racer.initialLoss).toBeCloseTo(56 / 3, 13);
		expect(racer.history.at(0).loss).toBeCloseTo(56 / 3, 13);
		expect(racer.history.at(0)).toMatchObject({iteration: 0, samples: 0, ms: 0});
		racer.advanceTo(2, 'iteration');
		expect(racer.history.length).toBe(3);
		expect(racer.history.last()?.loss).toBe(racer.loss);
	});

	test('gd on Boston: the first step from the data, summed independently', () => {
		const data = bostonData();
		let g1 = 0;
		let g2 = 0;
		let gb = 0;
		for (let i = 0; i < data.rows; i++) {
			const d = data.y[i]! - 1; // ŷ = 1 at the start
			g1 += d * data.x[2 * i]!;
			g2 += d * data.x[2 * i + 1]!;
			gb += d;
		}
		const racer = racerOn(data, 'gd');
		racer.advanceTo(1, 'iteration');
		expect(racer.weights[0]).toBeCloseTo((0.01 * 2 * g1) / 506, 13);
		expect(racer.weights[1]).toBeCloseTo((0.01 * 2 * g2) / 506, 13);
		expect(racer.bias).toBeCloseTo(1 + (0.01 * 2 * gb) / 506, 13);
	});
});

describe('finish and divergence', () => {
	test('gd finishes at the first iteration within 1 % of L* (independent GD loop and solve)', () => {
		const data = bostonData();
		const reference = normalEquations(data);
		const lossStar = directLoss(data, reference.weights, reference.bias);
		let w1 = 0;
		let w2 = 0;
		let b = 1;
		let finishedAt = 0;
		for (let it = 1; it <= 5000 && finishedAt === 0; it++) {
			let g1 = 0;
			let g2 = 0;
			let gb = 0;
			for (let i = 0; i < data.rows; i++) {
				const d = data.y[i]! - (w1 * data.x[2 * i]! + w2 * data.x[2 * i + 1]! + b);
				g1 += d * data.x[2 * i]!;
				g2 += d * data.x[2 * i + 1]!;
				gb += d;
			}
			w1 += 0.01 * (2 / 506) * g1;
			w2 += 0.01 * (2 / 506) * g2;
			b += 0.01 * (2 / 506) * gb;
			const margin = directLoss(data, [w1, w2], b) - lossStar - 0.01 * lossStar;
			if (margin <= 0) {
				// Not a photo finish: the engine's rounding cannot move it by an iteration.
				expect(Math.abs(margin)).toBeGreaterThan(1e-9);
				finishedAt = it;
			}
		}
		const race = new Race(bookConfig({racers: [spec('gd')], epochs: 3000}));
		race.advance(3000);
		const gd = race.racer('gd')!;
		expect(finishedAt).toBe(2748);
		expect(gd.finished?.iteration).toBe(finishedAt);
		expect(gd.finished?.samples).toBe(finishedAt * 506);
		expect(gd.finished!.ms).toBeGreaterThan(0);
		expect(gd.finished!.ms).toBeLessThanOrEqual(gd.ms);
		expect(race.snapshot().racers[0]!.finished).toEqual(gd.finished);
	});

	test('a perfect fit (L* = 0) can still finish, thanks to the floor', () => {
		// y = 2x + 1 exactly: L* = 0, so the tolerance applies to 1e-12 × the initial loss.
		const racer = racerOn(dataOf([[0], [0.5], [1]], [1, 2, 3]), 'gd', {lr: 0.5});
		racer.advanceTo(1000, 'iteration');
		expect(racer.finished).not.toBeNull();
		expect(racer.gap).toBeLessThanOrEqual(0.01 * 1e-12 * racer.initialLoss);
	});

	test('a racer that starts at the optimum has finished at 0', () => {
		const racer = racerOn(dataOf([[0], [1]], [1, 1]), 'sgd');
		expect(racer.finished).toEqual({iteration: 0, samples: 0, ms: 0});
	});

	test.each([5, 50])('lr %s on Boston: every racer diverges, stops, and stays finite', (lr) => {
		const race = new Race(bookConfig({racers: bookConfig().racers.map((s) => ({...s, lr})), epochs: 500}));
		expect(race.advance(500)).toBe(true);
		expect(race.over).toBe(true);
		for (const s of race.snapshot().racers) {
			expect(s.state).toBe('diverged');
			expect(s.diverged).not.toBeNull();
			expect(isFiniteSnapshot(s)).toBe(true);
			// The update that exploded was not applied: the racer stopped just before it.
			expect(s.diverged!.samples).toBeGreaterThan(s.samples);
			expect(s.diverged!.iteration).toBeCloseTo((s.updates + 1) / (s.id === 'mb-epoch' ? 17 : 1), 12);
			expect(s.loss).toBeLessThanOrEqual(1e8 * race.initialLoss);
		}
		for (const racer of race.racers) {
			expect(racer.history.toArray().every((p) => Number.isFinite(p.loss))).toBe(true);
		}
	});

	test('a diverging racer does not affect the others', () => {
		const calm = new Race(bookConfig({epochs: 300}));
		const wild = new Race(bookConfig({epochs: 300, racers: bookConfig().racers.map((s) => (s.id === 'gd' ? {...s, lr: 50} : s))}));
		calm.advance(300);
		wild.advance(300);
		expect(wild.racer('gd')!.state).toBe('diverged');
		for (const id of ['sgd', 'mb-random', 'mb-epoch'] as const) {
			expect(wild.racer(id)!.weights).toEqual(calm.racer(id)!.weights);
			expect(wild.racer(id)!.state).toBe('done');
		}
	});

	test('unscaled features diverge at the note\'s learning rate; the racer reports where', () => {
		// Raw RM (~6) and LSTAT (~13) instead of [0, 1]: lr 0.01 is far too large for GD.
		const raw = loadDataset({path: BUNDLED_DATA, features: ['RM', 'LSTAT'], target: 'MEDV', scale: 'none'});
		const race = new Race(bookConfig({data: raw, epochs: 200}));
		race.advance(200);
		const gd = race.snapshot().racers[0]!;
		expect(gd.state).toBe('diverged');
		expect(gd.diverged!.iteration).toBe(gd.iterations + 1);
		expect(isFiniteSnapshot(gd)).toBe(true);
	});
});

describe('the time of the first update', () => {
	afterEach(() => {
		vi.restoreAllMocks();
	});

	/** An injected clock on which every loss measurement (one per update) takes 1/16 ms. */
	function fakeClock(): void {
		let now = 0;
		vi.spyOn(performance, 'now').mockImplementation(() => now);
		const measure = Objective.prototype.measure;
		vi.spyOn(Objective.prototype, 'measure').mockImplementation(function (this: Objective, theta, out) {
			now += 1 / 16;
			measure.call(this, theta, out);
		});
	}

	test('is the time it took, not the racer\'s start (it has no measured cost to estimate it from)', () => {
		fakeClock();
		const racer = racerOn(tiny, 'gd');
		racer.advanceTo(3, 'iteration');
		// The first update is timed as it is made; the others are estimated from its cost, 1/16 ms each.
		expect([0, 1, 2, 3].map((k) => racer.history.at(k).ms)).toEqual([0, 1 / 16, 2 / 16, 3 / 16]);
		expect(racer.ms).toBe(3 / 16);
	});

	test('is where a racer that diverges (or finishes) on its first update did so', () => {
		const raw = loadDataset({path: BUNDLED_DATA, features: ['RM', 'LSTAT'], target: 'MEDV', scale: 'none'});
		fakeClock();
		const racer = racerOn(raw, 'gd', {lr: 1e9});
		racer.advanceTo(10, 'iteration');
		expect(racer.diverged).toEqual({iteration: 1, samples: 506, ms: 1 / 16});
		// One row, x = 1, y = 3, from w 0, b 1: one step of lr 0.25 lands on w 1, b 2, a perfect fit.
		const exact = racerOn(dataOf([[1]], [3]), 'gd', {lr: 0.25});
		exact.advanceTo(10, 'iteration');
		expect(exact.finished).toEqual({iteration: 1, samples: 1, ms: 1 / 16});
	});
});

describe('save and restore', () => {
	test.each([false, true])('a restored racer continues bit-identically (mb-epoch shuffle %s and the rest)', (shuffle) => {
		const config = bookConfig({epochs: 400, racers: bookConfig().racers.map((s) => ({...s, shuffle}))});
		const original = new Race(config);
		original.advance(123.4);
		const saved = original.racers.map((r) => JSON.parse(JSON.stringify(r.saveState())) as SavedRacer);
		const copy = new Race(config);
		copy.racers.forEach((r, i) => r.restoreState(saved[i]!));
		copy.extend(123.4);
		original.advance(200);
		copy.advance(200);
		original.racers.forEach((r, i) => {
			const c = copy.racers[i]!;
			expect(c.weights).toEqual(r.weights);
			expect(c.bias).toBe(r.bias);
			expect(c.loss).toBe(r.loss);
			expect([c.updates, c.samples, c.state]).toEqual([r.updates, r.samples, r.state]);
			expect(c.history.columns().loss).toEqual(r.history.columns().loss);
			expect(c.history.columns().iteration).toEqual(r.history.columns().iteration);
		});
	});

	test('restoring a state that does not fit is refused', () => {
		const race = new Race(bookConfig());
		const gd = race.racer('gd')!;
		const saved = gd.saveState();
		expect(() => race.racer('sgd')!.restoreState(saved)).toThrow(RangeError);
		expect(() => gd.restoreState({...saved, weights: [1]})).toThrow(RangeError);
		expect(() => gd.restoreState({...saved, bias: Number.NaN})).toThrow(RangeError);
		expect(() => gd.restoreState({...saved, updates: -1})).toThrow(RangeError);
	});
});

describe('observers', () => {
	test('onUpdate after every update, onIteration after every completed iteration', () => {
		const race = new Race(bookConfig({epochs: 10}));
		const counts = new Map<string, {updates: number; iterations: number; lastLoss: number}>();
		for (const racer of race.racers) {
			const c = {updates: 0, iterations: 0, lastLoss: 0};
			counts.set(racer.id, c);
			racer.observe({
				onUpdate: () => c.updates++,
				onIteration: (r) => {
					c.iterations++;
					c.lastLoss = r.loss;
					expect(r.iterations).toBe(c.iterations);
				},
			});
		}
		race.advance(3);
		expect(counts.get('gd')).toMatchObject({updates: 3, iterations: 3});
		expect(counts.get('mb-epoch')).toMatchObject({updates: 51, iterations: 3});
		expect(counts.get('mb-epoch')!.lastLoss).toBe(race.racer('mb-epoch')!.loss);
	});

	test('a removed listener is not called again', () => {
		const race = new Race(bookConfig({racers: [spec('gd')]}));
		let calls = 0;
		const stop = race.racers[0]!.observe({onUpdate: () => calls++});
		race.advance(2);
		stop();
		race.advance(2);
		expect(calls).toBe(2);
	});
});

describe('the history keeps θ', () => {
	test('every kept point: its loss is the loss of its θ; the first is the start, the newest the current weights', () => {
		const race = new Race({...bookConfig(), historyCapacity: 16});
		race.advance(300);
		for (const racer of race.racers) {
			const {loss, theta} = racer.history.columns();
			expect(theta).toHaveLength(3);
			expect([theta[0]![0], theta[1]![0], theta[2]![0]]).toEqual([0, 0, 1]);
			for (let k = 0; k < loss.length; k++) {
				expect(race.objective.loss(Float64Array.of(theta[0]![k]!, theta[1]![k]!, theta[2]![k]!))).toBe(loss[k]);
			}
			expect(racer.history.lastTheta()).toEqual([...racer.weights, racer.bias]);
		}
	});
});

describe('warm-up racers (Race runs one per spec before racing)', () => {
	test('cross their finish line on the first update, not at the start, and race the same numbers', () => {
		const objective = new Objective(tiny);
		const initialLoss = directLoss(tiny, [0], 1);
		const options = {objective, seed: 7, epochs: 10, tolerance: 0.01, initialLoss};
		const warm = new Racer(spec('gd'), {...options, warmUp: true});
		const real = new Racer(spec('gd'), options);
		expect(warm.finished).toBeNull();
		warm.advanceTo(3, 'iteration');
		real.advanceTo(3, 'iteration');
		// The finish branch ran (its first update), so optimized code has seen it before a real racer finishes.
		expect(warm.finished).toMatchObject({iteration: 1, samples: 3});
		expect(real.finished).toBeNull();
		expect(warm.weights).toEqual(real.weights);
		expect(warm.loss).toBe(real.loss);
	});
});
