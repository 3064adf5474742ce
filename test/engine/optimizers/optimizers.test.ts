import {describe, expect, test} from 'vitest';
import {GradientDescent} from '../../../src/engine/optimizers/gd.js';
import {EpochMiniBatch, RandomMiniBatch} from '../../../src/engine/optimizers/mini-batch.js';
import type {Batch, Optimizer} from '../../../src/engine/optimizers/optimizer.js';
import {OPTIMIZER_NAMES, createOptimizer, defaultRacerSpec} from '../../../src/engine/optimizers/registry.js';
import {StochasticGradientDescent} from '../../../src/engine/optimizers/sgd.js';
import {Rng} from '../../../src/engine/rng.js';
import {OPTIMIZER_IDS} from '../../../src/engine/types.js';

/** The rows of the next batch, as a plain array. */
function take(optimizer: Optimizer, rng: Rng): number[] {
	const batch: Batch = {rows: null, start: 0, count: 0};
	optimizer.select(rng, batch);
	const rows = batch.rows;
	return Array.from({length: batch.count}, (_, k) => (rows === null ? batch.start + k : rows[batch.start + k]!));
}

describe('optimizers: batch selection', () => {
	test('gd: every row, in order, every time; draws nothing', () => {
		const gd = new GradientDescent(5, 0.01);
		const rng = Rng.fromSeed(1, 'gd');
		const before = rng.saveState();
		expect(take(gd, rng)).toEqual([0, 1, 2, 3, 4]);
		expect(take(gd, rng)).toEqual([0, 1, 2, 3, 4]);
		expect(rng.saveState()).toEqual(before);
		expect([gd.batchSize, gd.updatesPerIteration, gd.nextCount()]).toEqual([5, 1, 5]);
	});

	test('sgd: one row, the generator\'s next int(N)', () => {
		const sgd = new StochasticGradientDescent(506, 0.01);
		const rng = Rng.fromSeed(2023, 'sgd');
		const twin = Rng.fromSeed(2023, 'sgd');
		for (let i = 0; i < 20; i++) {
			expect(take(sgd, rng)).toEqual([twin.int(506)]);
		}
		expect([sgd.batchSize, sgd.updatesPerIteration, sgd.nextCount()]).toEqual([1, 1, 1]);
	});

	test('mb-random: batchSize rows drawn with replacement (repeats happen)', () => {
		const mb = new RandomMiniBatch(5, 0.01, 30);
		expect(mb.batchSize).toBe(5); // capped at N
		const big = new RandomMiniBatch(10, 0.01, 8);
		const rng = Rng.fromSeed(9, 'mb-random');
		const twin = Rng.fromSeed(9, 'mb-random');
		let repeats = 0;
		for (let i = 0; i < 50; i++) {
			const rows = take(big, rng);
			expect(rows).toEqual(Array.from({length: 8}, () => twin.int(10)));
			repeats += rows.length - new Set(rows).size;
		}
		// Drawing 8 of 10 without replacement would never repeat; with replacement it nearly always does.
		expect(repeats).toBeGreaterThan(0);
	});

	test('mb-epoch: 506 rows in slices of 30 → 16 × 30 + 26 = 17 updates per pass, in order', () => {
		const mb = new EpochMiniBatch(506, 0.01, 30, false);
		const rng = Rng.fromSeed(1, 'mb-epoch');
		expect(mb.updatesPerIteration).toBe(17);
		for (let pass = 0; pass < 2; pass++) {
			const seen: number[] = [];
			for (let k = 0; k < 17; k++) {
				expect(mb.nextCount()).toBe(k < 16 ? 30 : 26);
				seen.push(...take(mb, rng));
			}
			expect(seen).toEqual(Array.from({length: 506}, (_, i) => i));
		}
		expect(new EpochMiniBatch(20, 0.01, 30, false).updatesPerIteration).toBe(1); // batch > N: whole data
	});

	test('mb-epoch with shuffle: each pass is a new permutation, covering every row once', () => {
		const mb = new EpochMiniBatch(50, 0.01, 7, true);
		const rng = Rng.fromSeed(3, 'mb-epoch');
		const passes: number[][] = [];
		for (let pass = 0; pass < 3; pass++) {
			const seen: number[] = [];
			for (let k = 0; k < mb.updatesPerIteration; k++) {
				seen.push(...take(mb, rng));
			}
			expect([...seen].sort((a, b) => a - b)).toEqual(Array.from({length: 50}, (_, i) => i));
			passes.push(seen);
		}
		expect(passes[0]).not.toEqual(passes[1]);
		expect(passes[1]).not.toEqual(passes[2]);
	});

	test('mb-epoch with shuffle: Fisher–Yates driven by the generator (an independent replay)', () => {
		const mb = new EpochMiniBatch(6, 0.01, 6, true);
		const replay = Rng.fromSeed(4, 's');
		const order = [0, 1, 2, 3, 4, 5];
		for (let i = 5; i > 0; i--) {
			const j = replay.int(i + 1);
			[order[i], order[j]] = [order[j]!, order[i]!];
		}
		expect(take(mb, Rng.fromSeed(4, 's'))).toEqual(order);
	});

	test('state save/restore continues mid-pass, including the shuffled order', () => {
		const a = new EpochMiniBatch(40, 0.01, 7, true);
		const rng = Rng.fromSeed(8, 'x');
		take(a, rng);
		take(a, rng);
		const saved = JSON.parse(JSON.stringify(a.saveState())) as ReturnType<typeof a.saveState>;
		const rngSaved = rng.saveState();
		const expected = [take(a, rng), take(a, rng), take(a, rng), take(a, rng), take(a, rng), take(a, rng), take(a, rng)];
		const b = new EpochMiniBatch(40, 0.01, 7, true);
		b.restoreState(saved);
		const rng2 = new Rng(rngSaved);
		expect([take(b, rng2), take(b, rng2), take(b, rng2), take(b, rng2), take(b, rng2), take(b, rng2), take(b, rng2)]).toEqual(expected);
		expect(() => b.restoreState({id: 'mb-epoch', cursor: 40})).toThrow(RangeError);
		expect(() => b.restoreState({id: 'mb-epoch', cursor: 0, order: [0, 0, 1]})).toThrow(RangeError);
		expect(() => b.restoreState({id: 'gd'})).toThrow(RangeError);
	});
});

describe('optimizers: hyperparameters are validated when made', () => {
	test.each([0, -0.01, Number.NaN, Infinity])('learning rate %s is refused', (lr) => {
		for (const id of OPTIMIZER_IDS) {
			expect(() => createOptimizer({...defaultRacerSpec(id), lr}, 10)).toThrow(/learning rate must be a finite number > 0/);
		}
	});

	test.each([0, -1, 2.5, Number.NaN])('batch size %s is refused by the mini-batches', (batchSize) => {
		expect(() => createOptimizer({...defaultRacerSpec('mb-random'), batchSize}, 10)).toThrow(/batch size must be an integer >= 1/);
		expect(() => createOptimizer({...defaultRacerSpec('mb-epoch'), batchSize}, 10)).toThrow(RangeError);
		// gd and sgd ignore it.
		expect(() => createOptimizer({...defaultRacerSpec('gd'), batchSize}, 10)).not.toThrow();
	});

	test('an unknown id and an empty data set are refused', () => {
		expect(() => createOptimizer({...defaultRacerSpec('gd'), id: 'adam' as 'gd'}, 10)).toThrow(/unknown optimizer id: adam/);
		expect(() => createOptimizer(defaultRacerSpec('sgd'), 0)).toThrow(RangeError);
	});

	test('registry: names and the study note\'s defaults', () => {
		expect(OPTIMIZER_NAMES).toEqual({
			gd: 'Gradient descent',
			sgd: 'Stochastic GD',
			'mb-random': 'Mini-batch (random)',
			'mb-epoch': 'Mini-batch (epoch)',
		});
		expect(defaultRacerSpec('mb-epoch')).toEqual({id: 'mb-epoch', lr: 0.01, batchSize: 30, shuffle: false});
		for (const id of OPTIMIZER_IDS) {
			const optimizer = createOptimizer(defaultRacerSpec(id), 506);
			expect(optimizer.id).toBe(id);
			expect(optimizer.name).toBe(OPTIMIZER_NAMES[id]);
		}
	});
});
