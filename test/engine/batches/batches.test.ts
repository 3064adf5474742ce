import {describe, expect, test} from 'vitest';
import type {Batch, BatchPolicy} from '../../../src/engine/batches/batch.js';
import {FullBatch} from '../../../src/engine/batches/full.js';
import {EpochMiniBatch, RandomMiniBatch} from '../../../src/engine/batches/mini-batch.js';
import {OneRowBatch} from '../../../src/engine/batches/one.js';
import {OPTIMIZER_NAMES, createBatchPolicy, defaultRacerSpec, racerSpec} from '../../../src/engine/catalog.js';
import {Rng} from '../../../src/engine/rng.js';
import {OPTIMIZER_IDS} from '../../../src/engine/types.js';

/** The rows of the next batch, as a plain array. */
function take(optimizer: BatchPolicy, rng: Rng): number[] {
	const batch: Batch = {rows: null, start: 0, count: 0};
	optimizer.select(rng, batch);
	const rows = batch.rows;
	return Array.from({length: batch.count}, (_, k) => (rows === null ? batch.start + k : rows[batch.start + k]!));
}

describe('batch policies: batch selection', () => {
	test('gd: every row, in order, every time; draws nothing', () => {
		const gd = new FullBatch(5);
		const rng = Rng.fromSeed(1, 'gd');
		const before = rng.saveState();
		expect(take(gd, rng)).toEqual([0, 1, 2, 3, 4]);
		expect(take(gd, rng)).toEqual([0, 1, 2, 3, 4]);
		expect(rng.saveState()).toEqual(before);
		expect([gd.batchSize, gd.updatesPerIteration, gd.nextCount()]).toEqual([5, 1, 5]);
	});

	test('sgd: one row, the generator\'s next int(N)', () => {
		const sgd = new OneRowBatch(506);
		const rng = Rng.fromSeed(2023, 'sgd');
		const twin = Rng.fromSeed(2023, 'sgd');
		for (let i = 0; i < 20; i++) {
			expect(take(sgd, rng)).toEqual([twin.int(506)]);
		}
		expect([sgd.batchSize, sgd.updatesPerIteration, sgd.nextCount()]).toEqual([1, 1, 1]);
	});

	test('mb-random: batchSize rows drawn with replacement (repeats happen)', () => {
		const mb = new RandomMiniBatch(5, 30);
		expect(mb.batchSize).toBe(5); // capped at N
		const big = new RandomMiniBatch(10, 8);
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
		const mb = new EpochMiniBatch(506, 30, false);
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
		expect(new EpochMiniBatch(20, 30, false).updatesPerIteration).toBe(1); // batch > N: whole data
	});

	test('mb-epoch with shuffle: each pass is a new permutation, covering every row once', () => {
		const mb = new EpochMiniBatch(50, 7, true);
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
		const mb = new EpochMiniBatch(6, 6, true);
		const replay = Rng.fromSeed(4, 's');
		const order = [0, 1, 2, 3, 4, 5];
		for (let i = 5; i > 0; i--) {
			const j = replay.int(i + 1);
			[order[i], order[j]] = [order[j]!, order[i]!];
		}
		expect(take(mb, Rng.fromSeed(4, 's'))).toEqual(order);
	});

	test('state save/restore continues mid-pass, including the shuffled order', () => {
		const a = new EpochMiniBatch(40, 7, true);
		const rng = Rng.fromSeed(8, 'x');
		take(a, rng);
		take(a, rng);
		const saved = JSON.parse(JSON.stringify(a.saveState())) as ReturnType<typeof a.saveState>;
		const rngSaved = rng.saveState();
		const expected = [take(a, rng), take(a, rng), take(a, rng), take(a, rng), take(a, rng), take(a, rng), take(a, rng)];
		const b = new EpochMiniBatch(40, 7, true);
		b.restoreState(saved);
		const rng2 = new Rng(rngSaved);
		expect([take(b, rng2), take(b, rng2), take(b, rng2), take(b, rng2), take(b, rng2), take(b, rng2), take(b, rng2)]).toEqual(expected);
		expect(() => b.restoreState({kind: 'epoch', cursor: 40})).toThrow(RangeError);
		expect(() => b.restoreState({kind: 'epoch', cursor: 0, order: [0, 0, 1]})).toThrow(RangeError);
		expect(() => b.restoreState({kind: 'full'})).toThrow(RangeError);
	});
});

describe('batch policies: settings are validated when made', () => {
	test.each([0, -1, 2.5, Number.NaN])('batch size %s is refused by random and epoch', (size) => {
		expect(() => createBatchPolicy({kind: 'random', size}, 10)).toThrow(/batch size must be an integer >= 1/);
		expect(() => createBatchPolicy({kind: 'epoch', size, shuffle: false}, 10)).toThrow(RangeError);
	});

	test('an unknown kind and an empty data set are refused', () => {
		expect(() => createBatchPolicy({kind: 'most'} as unknown as {kind: 'full'}, 10)).toThrow(/unknown batch kind: most/);
		expect(() => createBatchPolicy({kind: 'one'}, 0)).toThrow(RangeError);
	});

	test('catalog: the note\'s names and defaults, each the plain rule on its batch policy', () => {
		expect(OPTIMIZER_NAMES).toEqual({
			gd: 'Gradient descent',
			sgd: 'Stochastic GD',
			'mb-random': 'Mini-batch (random)',
			'mb-epoch': 'Mini-batch (epoch)',
		});
		expect(defaultRacerSpec('mb-epoch')).toEqual({
			id: 'mb-epoch',
			name: 'Mini-batch (epoch)',
			rule: {kind: 'sgd'},
			batch: {kind: 'epoch', size: 30, shuffle: false},
			lr: 0.01,
		});
		expect(OPTIMIZER_IDS.map((id) => defaultRacerSpec(id).batch.kind)).toEqual(['full', 'one', 'random', 'epoch']);
		for (const id of OPTIMIZER_IDS) {
			expect(defaultRacerSpec(id).name).toBe(OPTIMIZER_NAMES[id]);
			expect(createBatchPolicy(defaultRacerSpec(id).batch, 506).kind).toBe(defaultRacerSpec(id).batch.kind);
		}
	});

	test('catalog: rule names default to the full batch and PyTorch\'s hyperparameters', () => {
		expect(racerSpec('adam')).toEqual({id: 'adam', name: 'Adam', rule: {kind: 'adam', beta1: 0.9, beta2: 0.999, eps: 1e-8}, batch: {kind: 'full'}, lr: 0.01});
		expect(racerSpec('rmsprop').rule).toEqual({kind: 'rmsprop', alpha: 0.99, eps: 1e-8});
		expect(racerSpec('adagrad').rule).toEqual({kind: 'adagrad', eps: 1e-10});
		expect(racerSpec('momentum').rule).toEqual({kind: 'momentum', momentum: 0.9});
		expect(racerSpec('nesterov').rule).toEqual({kind: 'nesterov', momentum: 0.9});
		expect(racerSpec('adam', {batch: {kind: 'epoch', size: 30, shuffle: true}}).name).toBe('Adam (epoch 30, shuffled)');
		expect(racerSpec('sgd', {batch: {kind: 'full'}}).name).toBe('SGD (full batch)');
	});
});
