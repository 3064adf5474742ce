/**
 * The optimizer zoo (issue 7; the table in the README's "The race"): each rule's first two updates worked out by hand, on the
 * full batch and on an epoch batch; mixing racers leaves the note's four bit-identical; rule state
 * is saved and restored bit-identically and rolled back with θ on divergence; every rule × batch
 * pair runs; a changed learning rate applies from the next update on.
 */
import {describe, expect, test} from 'vitest';
import {defaultRacerSpec, racerSpec} from '../../src/engine/catalog.js';
import {directLoss} from '../../src/engine/linear-model.js';
import {Objective} from '../../src/engine/optimum.js';
import {Race} from '../../src/engine/race.js';
import {Racer} from '../../src/engine/racer.js';
import type {SavedRacer} from '../../src/engine/racer.js';
import {BATCH_KINDS, OPTIMIZER_IDS, RULES} from '../../src/engine/types.js';
import type {BatchSpec, RacerSpec, RuleName, TrainingData} from '../../src/engine/types.js';
import {bookConfig, bostonData, dataOf} from './fixtures.js';

/** x = 1, 2, 3; y = 3, 5, 7. At the start (w 0, b 1): ŷ = 1, diff = y − ŷ = 2, 4, 6. */
const tiny = dataOf([[1], [2], [3]], [3, 5, 7]);

function racerOn(data: TrainingData, spec: RacerSpec, seed = 2023): Racer {
	const objective = new Objective(data);
	const initialLoss = directLoss(data, new Array<number>(data.dims).fill(0), 1);
	return new Racer(spec, {objective, seed, epochs: 1e9, tolerance: 0.01, initialLoss});
}

/** Relative agreement to 13 digits (the engine follows torch's order of operations; the hand form is the textbook one). */
function expectClose(actual: number | undefined, expected: number): void {
	expect(actual).toBeDefined();
	expect(Math.abs(actual! - expected)).toBeLessThanOrEqual(1e-13 * Math.max(1, Math.abs(expected)));
}

/**
 * The README's table ("The race"), written as it states it, on one-feature data: θ = [w, b],
 * g = −(2/n) Σ (y − θ·x̃) x̃ over the batch's rows, t from 1.
 */
function bySpec(rule: RuleName, lr: number, batches: readonly (readonly number[])[], data: TrainingData): [number, number][] {
	const mu = 0.9;
	let theta = [0, 1];
	let buf = [0, 0];
	let s = [0, 0];
	let m = [0, 0];
	let v = [0, 0];
	const out: [number, number][] = [];
	batches.forEach((rows, index) => {
		const t = index + 1;
		const g = [0, 0];
		for (const i of rows) {
			const x = [data.x[i]!, 1];
			const diff = data.y[i]! - (theta[0]! * x[0]! + theta[1]!);
			g[0]! += (-2 / rows.length) * diff * x[0]!;
			g[1]! += (-2 / rows.length) * diff;
		}
		const each = (f: (j: number) => number) => [f(0), f(1)];
		switch (rule) {
			case 'sgd':
				theta = each((j) => theta[j]! - lr * g[j]!);
				break;
			case 'momentum':
				buf = t === 1 ? g : each((j) => mu * buf[j]! + g[j]!);
				theta = each((j) => theta[j]! - lr * buf[j]!);
				break;
			case 'nesterov':
				buf = t === 1 ? g : each((j) => mu * buf[j]! + g[j]!);
				theta = each((j) => theta[j]! - lr * (g[j]! + mu * buf[j]!));
				break;
			case 'adagrad':
				s = each((j) => s[j]! + g[j]! ** 2);
				theta = each((j) => theta[j]! - (lr * g[j]!) / (Math.sqrt(s[j]!) + 1e-10));
				break;
			case 'rmsprop':
				v = each((j) => 0.99 * v[j]! + 0.01 * g[j]! ** 2);
				theta = each((j) => theta[j]! - (lr * g[j]!) / (Math.sqrt(v[j]!) + 1e-8));
				break;
			case 'adam':
				m = each((j) => 0.9 * m[j]! + 0.1 * g[j]!);
				v = each((j) => 0.999 * v[j]! + 0.001 * g[j]! ** 2);
				theta = each((j) => theta[j]! - ((lr / (1 - 0.9 ** t)) * m[j]!) / (Math.sqrt(v[j]!) / Math.sqrt(1 - 0.999 ** t) + 1e-8));
				break;
		}
		out.push([theta[0]!, theta[1]!]);
	});
	return out;
}

describe('the first two updates of each rule, by hand from the README’s table', () => {
	// Full batch, update 1 at θ = (0, 1): Σ diff·x = 2 + 8 + 18 = 28, Σ diff = 12, so
	// g = −(2/3)·(28, 12) = (−56/3, −8). Update 1 of each rule, in closed form:
	const g = [-56 / 3, -8];
	const lr = 0.1;
	const first: Record<RuleName, [number, number]> = {
		// θ − lr·g
		sgd: [lr * (56 / 3), 1 + lr * 8],
		// buf = g at t = 1: the same step as sgd
		momentum: [lr * (56 / 3), 1 + lr * 8],
		// buf = g: θ − lr·(g + 0.9·g) = θ − 1.9·lr·g
		nesterov: [1.9 * lr * (56 / 3), 1 + 1.9 * lr * 8],
		// s = g²: θ − lr·g/(|g| + 1e-10) ≈ θ + lr (a step of lr per coordinate)
		adagrad: [(lr * (56 / 3)) / (56 / 3 + 1e-10), 1 + (lr * 8) / (8 + 1e-10)],
		// v = 0.01·g²: θ − lr·g/(0.1·|g| + 1e-8) ≈ θ + 10·lr
		rmsprop: [(lr * (56 / 3)) / (0.1 * (56 / 3) + 1e-8), 1 + (lr * 8) / (0.1 * 8 + 1e-8)],
		// m = 0.1·g, v = 0.001·g²: m̂ = g, √v̂ = |g|, θ − lr·g/(|g| + 1e-8) ≈ θ + lr
		adam: [(lr * (56 / 3)) / (56 / 3 + 1e-8), 1 + (lr * 8) / (8 + 1e-8)],
	};
	expect(g[0]).toBeCloseTo(-18.666666666666668, 14);

	test.each(RULES)('%s, full batch: update 1 in closed form, update 2 from the formulas', (rule) => {
		const racer = racerOn(tiny, racerSpec(rule === 'sgd' ? 'gd' : rule, {lr}));
		racer.advanceTo(1, 'iteration');
		expectClose(racer.weights[0], first[rule][0]);
		expectClose(racer.bias, first[rule][1]);
		racer.advanceTo(2, 'iteration');
		const [, second] = bySpec(rule, lr, [[0, 1, 2], [0, 1, 2]], tiny);
		expectClose(racer.weights[0], second![0]);
		expectClose(racer.bias, second![1]);
		expect([racer.updates, racer.samples]).toEqual([2, 6]);
	});

	test.each(RULES)('%s, epoch batch of 2: rows 0–1, then row 2 from the new weights', (rule) => {
		const batch: BatchSpec = {kind: 'epoch', size: 2, shuffle: false};
		const racer = racerOn(tiny, racerSpec(rule === 'sgd' ? 'gd' : rule, {lr, batch}));
		expect(racer.updatesPerIteration).toBe(2);
		const [one, two] = bySpec(rule, lr, [[0, 1], [2]], tiny);
		racer.advanceTo(0.5, 'iteration');
		expectClose(racer.weights[0], one![0]);
		expectClose(racer.bias, one![1]);
		racer.advanceTo(1, 'iteration');
		expectClose(racer.weights[0], two![0]);
		expectClose(racer.bias, two![1]);
		expect([racer.updates, racer.samples, racer.iterations]).toEqual([2, 3, 1]);
	});

	test('the SPEC formulas and the engine agree over 300 Boston updates of every rule (full batch)', () => {
		const data = bostonData();
		const all = Array.from({length: data.rows}, (_, i) => i);
		for (const rule of RULES) {
			const racer = racerOn(data, racerSpec(rule === 'sgd' ? 'gd' : rule, {lr: 0.05}));
			racer.advanceTo(300, 'iteration');
			// Two weights: bySpec handles one feature, so compare through a one-feature copy (RM only).
			expect(racer.state).toBe('running');
		}
		const rm: TrainingData = {rows: data.rows, dims: 1, x: Float64Array.from(all, (i) => data.x[2 * i]!), y: data.y};
		for (const rule of RULES) {
			const racer = racerOn(rm, racerSpec(rule === 'sgd' ? 'gd' : rule, {lr: 0.05}));
			racer.advanceTo(300, 'iteration');
			const expected = bySpec(rule, 0.05, Array.from({length: 300}, () => all), rm).at(-1)!;
			expect(Math.abs(racer.weights[0]! - expected[0])).toBeLessThan(1e-9 * Math.max(1, Math.abs(expected[0])));
			expect(Math.abs(racer.bias - expected[1])).toBeLessThan(1e-9 * Math.max(1, Math.abs(expected[1])));
		}
	});
});

describe('mixing racers', () => {
	const zoo = ['momentum', 'nesterov', 'adagrad', 'rmsprop', 'adam'] as const;
	const everything = (race: Race) => race.racers.map((r) => [r.id, r.weights, r.bias, r.loss, r.updates, r.samples, Array.from(r.history.columns().loss)]);

	test('the note\'s four stay bit-identical whatever joins them, before or after', () => {
		const alone = new Race(bookConfig({epochs: 300}));
		alone.advance(300);
		const zooSpecs = [...zoo.map((name) => racerSpec(name, {lr: 0.05})), racerSpec('adam', {id: 'adam-2', batch: {kind: 'one'}})];
		const mixed = new Race(bookConfig({epochs: 300, racers: [zooSpecs[0]!, ...OPTIMIZER_IDS.map((id) => defaultRacerSpec(id)), ...zooSpecs.slice(1)]}));
		mixed.advance(300);
		const four = everything(mixed).filter(([id]) => (OPTIMIZER_IDS as readonly unknown[]).includes(id));
		expect(four).toEqual(everything(alone));
	});

	test('sgd:batch=full is bit-identical to gd', () => {
		const race = new Race(bookConfig({epochs: 500, racers: [defaultRacerSpec('gd'), racerSpec('sgd', {batch: {kind: 'full'}})]}));
		race.advance(500);
		const [gd, sgdFull] = race.racers;
		expect(sgdFull?.name).toBe('SGD (full batch)');
		expect([sgdFull?.weights, sgdFull?.bias, sgdFull?.loss]).toEqual([gd?.weights, gd?.bias, gd?.loss]);
	});

	test('the same rule twice with other ids draws from other streams; the same id gives the same draws', () => {
		const specs = [racerSpec('adam', {batch: {kind: 'one'}}), racerSpec('adam', {id: 'adam-2', batch: {kind: 'one'}})];
		const race = new Race(bookConfig({epochs: 50, racers: specs}));
		race.advance(50);
		expect(race.racers[0]?.weights).not.toEqual(race.racers[1]?.weights);
		const again = new Race(bookConfig({epochs: 50, racers: [specs[0]!]}));
		again.advance(50);
		expect(again.racers[0]?.weights).toEqual(race.racers[0]?.weights);
	});
});

describe('every rule × batch policy', () => {
	const batches: Record<(typeof BATCH_KINDS)[number], BatchSpec> = {
		full: {kind: 'full'},
		one: {kind: 'one'},
		random: {kind: 'random', size: 30},
		epoch: {kind: 'epoch', size: 30, shuffle: true},
	};
	const pairs = RULES.flatMap((rule) => BATCH_KINDS.map((kind) => [rule, kind] as const));

	test.each(pairs)('%s × %s races on Boston, finite, below its starting loss', (rule, kind) => {
		const racer = racerOn(bostonData(), racerSpec(rule === 'sgd' ? 'gd' : rule, {lr: 0.01, batch: batches[kind]}));
		racer.advanceTo(200, 'iteration');
		expect(racer.state).toBe('running');
		expect(racer.iterations).toBe(200);
		expect([...racer.weights, racer.bias, racer.loss].every(Number.isFinite)).toBe(true);
		expect(racer.loss).toBeLessThan(racer.initialLoss);
		expect(racer.snapshot()).toMatchObject({rule, batch: {kind}});
	});
});

describe('rule state as plain data', () => {
	const specsToTry = RULES.flatMap((rule) => [
		racerSpec(rule === 'sgd' ? 'gd' : rule, {lr: 0.02}),
		racerSpec(rule === 'sgd' ? 'gd' : rule, {id: `${rule}-epoch`, lr: 0.02, batch: {kind: 'epoch', size: 30, shuffle: true}}),
	]);

	test.each(specsToTry.map((spec) => [`${spec.rule.kind} × ${spec.batch.kind}`, spec] as const))(
		'%s: save mid-race (after an lr change), restore into a new racer, continue bit-identically',
		(_name, spec) => {
			const a = racerOn(bostonData(), spec, 7);
			a.advanceTo(3.5, 'iteration');
			a.setLr(0.04);
			a.advanceTo(7.25, 'iteration');
			const saved = JSON.parse(JSON.stringify(a.saveState())) as SavedRacer;
			expect(saved.lr).toBe(0.04);
			expect(saved.lrChanges).toHaveLength(1);
			const b = racerOn(bostonData(), spec, 7);
			b.restoreState(saved);
			for (const racer of [a, b]) {
				racer.advanceTo(12, 'iteration');
				racer.setLr(0.01);
				racer.advanceTo(40, 'iteration');
			}
			// Everything but CPU times (wall clock) must match.
			const timeless = (racer: Racer) => {
				const {ms: _ms, lrChanges, finished, diverged, ...rest} = racer.snapshot();
				const at = (c: {ms: number} | null) => (c === null ? null : {...c, ms: 0});
				return {...rest, lrChanges: lrChanges.map(at), finished: at(finished), diverged: at(diverged)};
			};
			expect(timeless(b)).toEqual(timeless(a));
			expect(b.saveState().rule).toEqual(a.saveState().rule);
			expect(Array.from(b.history.columns().loss)).toEqual(Array.from(a.history.columns().loss));
		},
	);

	test('a state of another rule or length is refused', () => {
		const adam = racerOn(tiny, racerSpec('adam'));
		const momentum = racerOn(tiny, racerSpec('momentum', {id: 'adam'}));
		expect(() => momentum.restoreState(adam.saveState())).toThrow(/does not fit/);
		expect(() => adam.restoreState({...adam.saveState(), rule: {kind: 'adam', values: [0, 0]}})).toThrow(/does not fit/);
		expect(() => adam.restoreState({...adam.saveState(), lr: 0})).toThrow(/learning rate/);
	});

	test.each(['momentum', 'adam', 'rmsprop'] as const)('%s: a diverging update rolls back θ and the rule state together', (rule) => {
		// Unscaled Boston features at lr 1 blow up within a few updates.
		const data: TrainingData = {...bostonData(), x: bostonData().x.map((v) => v * 1e4)};
		const spec = racerSpec(rule, {lr: rule === 'momentum' ? 0.01 : 1e6});
		const diverging = racerOn(data, spec);
		diverging.advanceTo(1000, 'iteration');
		expect(diverging.state).toBe('diverged');
		const at = diverging.diverged!.iteration;
		const lastGood = racerOn(data, spec);
		lastGood.advanceTo(at - 1, 'iteration');
		expect(diverging.updates).toBe(at - 1);
		expect(diverging.saveState().rule).toEqual(lastGood.saveState().rule);
		expect([diverging.weights, diverging.bias]).toEqual([lastGood.weights, lastGood.bias]);
	});
});

describe('the learning rate as a racer field', () => {
	test('setLr applies from the next update on and is recorded where it happened', () => {
		const racer = racerOn(tiny, racerSpec('gd', {lr: 0.01}));
		racer.advanceTo(1, 'iteration');
		racer.setLr(0.02);
		racer.advanceTo(2, 'iteration');
		// Update 1 at lr 0.01 (README, "The race": the study note's settings), update 2 at lr 0.02 from there.
		const [one] = bySpec('sgd', 0.01, [[0, 1, 2]], tiny);
		const diff = tiny.y.map((y, i) => y - (one![0] * tiny.x[i]! + one![1]));
		const w = one![0] + 0.02 * (2 / 3) * (diff[0]! * 1 + diff[1]! * 2 + diff[2]! * 3);
		expectClose(racer.weights[0], w);
		expect(racer.lr).toBe(0.02);
		expect(racer.lrChanges).toEqual([{updates: 1, iteration: 1, samples: 3, ms: racer.lrChanges[0]!.ms, from: 0.01, lr: 0.02}]);
		expect(racer.snapshot()).toMatchObject({lr: 0.02, lrChanges: racer.lrChanges});
		racer.setLr(0.02);
		expect(racer.lrChanges).toHaveLength(1);
		expect(() => racer.setLr(0)).toThrow(RangeError);
		expect(() => racer.setLr(Number.POSITIVE_INFINITY)).toThrow(RangeError);
	});

	test('inside an epoch pass the change is at a fractional iteration', () => {
		const racer = racerOn(bostonData(), defaultRacerSpec('mb-epoch'));
		racer.advanceTo(1 + 5 / 17, 'iteration');
		racer.setLr(0.005);
		expect(racer.lrChanges[0]).toMatchObject({updates: 22, iteration: 22 / 17, samples: 506 + 150, from: 0.01, lr: 0.005});
	});
});
