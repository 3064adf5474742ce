import {afterEach, describe, expect, test, vi} from 'vitest';
import {Objective} from '../../src/engine/optimum.js';
import {Race, finalStatus} from '../../src/engine/race.js';
import {FINISH_FLOOR, gapReference, relativeGap} from '../../src/engine/racer.js';
import type {RaceSnapshot} from '../../src/engine/types.js';
import {bookConfig, dataOf, relativeError, spec, syntheticData} from './fixtures.js';

/** A snapshot without its timing (CPU time differs between runs, nothing else may). */
function timeless(snapshot: RaceSnapshot): unknown {
	return snapshot.racers.map(({ms: _ms, finished, diverged, ...rest}) => ({
		...rest,
		finished: finished && {iteration: finished.iteration, samples: finished.samples},
		diverged: diverged && {iteration: diverged.iteration, samples: diverged.samples},
	}));
}

describe('the study note reproduced', () => {
	test('GD after 5000 iterations: the note\'s weights, and both losses', () => {
		const race = new Race(bookConfig());
		const gd = race.racer('gd')!;
		race.advance(4999);
		expect(relativeError(gd.loss, 30.52907816250871)).toBeLessThan(1e-10);
		race.advance(1);
		expect(Math.abs(gd.weights[0]! - 25.41862187049113)).toBeLessThan(1e-8);
		expect(Math.abs(gd.weights[1]! - -23.6004638382976)).toBeLessThan(1e-8);
		expect(Math.abs(gd.bias - 16.3856832090912)).toBeLessThan(1e-8);
		expect(relativeError(gd.loss, 30.52906741441797)).toBeLessThan(1e-10);
		// the study note's printed digits (README, "The race").
		expect(gd.weights[0]!.toFixed(8)).toBe('25.41862187');
		expect(gd.weights[1]!.toFixed(8)).toBe('-23.60046384');
		expect(gd.bias.toFixed(8)).toBe('16.38568321');
		expect(race.over).toBe(true);
		expect(race.snapshot().racers.map(finalStatus)).toEqual(['finished', 'finished', 'finished', 'finished']);
	});

	test('every racer approaches L* on a long run with a small learning rate', () => {
		const config = bookConfig({
			epochs: 40_000,
			racers: [spec('gd', {lr: 0.05}), spec('sgd', {lr: 0.002}), spec('mb-random', {lr: 0.01}), spec('mb-epoch', {lr: 0.005})],
		});
		const race = new Race(config);
		race.advance(40_000);
		const lossStar = race.optimum.loss;
		for (const s of race.snapshot().racers) {
			expect(s.finished, s.id).not.toBeNull();
			expect(finalStatus(s)).toBe('finished');
			// GD converges to L* itself; mb-epoch (fixed slice order, fixed lr) to a cycle O(lr) away;
			// the stochastic racers hover within their noise floor.
			const bound = s.id === 'gd' ? 1e-6 : s.id === 'mb-epoch' ? 1e-3 : 0.01;
			expect(s.gap / lossStar, s.id).toBeLessThan(bound);
		}
	});
});

describe('clocks and sample accounting', () => {
	test('samples clock: one unit is N = 506 sample-gradients, budgets exact', () => {
		const race = new Race(bookConfig({clock: 'samples'}));
		race.advance(1);
		const by = (id: string) => race.snapshot().racers.find((s) => s.id === id)!;
		expect([by('gd').updates, by('gd').samples]).toEqual([1, 506]);
		expect([by('sgd').updates, by('sgd').samples]).toEqual([506, 506]);
		expect([by('mb-random').updates, by('mb-random').samples]).toEqual([16, 480]); // mid-race: no partial batch
		expect([by('mb-epoch').updates, by('mb-epoch').samples]).toEqual([17, 506]);
		race.advance(2);
		for (const racer of race.racers) {
			expect(racer.position('samples')).toBeLessThanOrEqual(3);
		}
	});

	test('iteration clock: every racer at the same iteration; samples per iteration as the README’s clocks say', () => {
		const race = new Race(bookConfig());
		race.advance(3);
		const snapshot = race.snapshot();
		expect(snapshot.racers.map((s) => s.iterations)).toEqual([3, 3, 3, 3]);
		expect(race.racers.map((r) => r.position('iteration'))).toEqual([3, 3, 3, 3]);
		expect(snapshot.racers.map((s) => s.samples)).toEqual([3 * 506, 3, 3 * 30, 3 * 506]);
		expect(snapshot.racers.map((s) => s.updates)).toEqual([3, 3, 3, 51]);
		expect(snapshot.racers.map((s) => s.batchSize)).toEqual([506, 1, 30, 30]);
	});

	test('a fractional target: mb-epoch advances slice by slice, the others wait for a whole update', () => {
		const race = new Race(bookConfig());
		race.advance(0.5);
		expect(race.racers.map((r) => r.updates)).toEqual([0, 0, 0, 8]); // 8/17 <= 0.5 < 9/17
		expect(race.racer('mb-epoch')!.position('iteration')).toBe(8 / 17);
		expect(race.position).toBe(0.5);
	});

	test('time clock: each racer runs until its own CPU time reaches the target', () => {
		const race = new Race(bookConfig({clock: 'time', epochs: 20}));
		race.advance(5);
		for (const racer of race.racers) {
			expect(racer.position('time')).toBeGreaterThanOrEqual(5);
			expect(racer.ms).toBeGreaterThanOrEqual(0.5);
			expect(racer.updates).toBeGreaterThan(0);
		}
		race.advance(100);
		expect(race.position).toBe(20);
		expect(race.over).toBe(true);
		// History ms is monotone and ends at most at the racer's total.
		for (const racer of race.racers) {
			const ms = racer.history.columns().ms;
			expect(ms.every((v, i) => i === 0 || v >= ms[i - 1]!)).toBe(true);
			expect(ms.at(-1)!).toBeLessThanOrEqual(racer.ms);
		}
	});

	test('the end: caught up at epochs, racers are done and the race is over', () => {
		const race = new Race(bookConfig({epochs: 7}));
		expect(race.advance(100)).toBe(true);
		expect(race.position).toBe(7);
		expect(race.over).toBe(true);
		expect(race.racers.every((r) => r.state === 'done' && r.iterations === 7)).toBe(true);
		race.advance(1);
		expect(race.racers.every((r) => r.iterations === 7)).toBe(true);
	});
});

describe('chunking, determinism and stream independence', () => {
	test('a race that records no history (the headless summaries) races exactly the same', () => {
		const config = bookConfig({epochs: 300});
		const recorded = new Race(config);
		recorded.advance(300);
		const unrecorded = new Race({...config, recordHistory: false});
		unrecorded.advance(300);
		expect(timeless(unrecorded.snapshot())).toEqual(timeless(recorded.snapshot()));
		for (const [i, racer] of unrecorded.racers.entries()) {
			// Only the starting point is kept, in the smallest history.
			expect(racer.history.length).toBe(1);
			expect(racer.history.at(0).iteration).toBe(0);
			expect(racer.history.capacity).toBe(4);
			expect(recorded.racers[i]!.history.length).toBeGreaterThan(300);
		}
	});

	test('one call or 1000 small ticks (and deadline-cut work) give bit-identical results', () => {
		for (const clock of ['iteration', 'samples'] as const) {
			const config = bookConfig({clock, epochs: 200, racers: bookConfig().racers.map((s) => ({...s, shuffle: true}))});
			const once = new Race(config);
			once.advance(200);
			const ticked = new Race(config);
			for (let i = 0; i < 1000; i++) {
				ticked.advance(0.2);
			}
			// 1000 × 0.2 sums to 199.99999999999716 in doubles; the end caps the last step at 200.
			ticked.advance(1);
			const cut = new Race(config);
			cut.extend(200);
			let calls = 0;
			// A deadline already past: every call does one chunk per racer and returns.
			while (!cut.catchUp(performance.now() - 1)) {
				calls++;
			}
			expect(calls).toBeGreaterThan(3);
			expect(timeless(ticked.snapshot())).toEqual(timeless(once.snapshot()));
			expect(timeless(cut.snapshot())).toEqual(timeless(once.snapshot()));
		}
	});

	test('the same seed gives identical runs; another seed a different one', () => {
		const a = new Race(bookConfig({epochs: 300}));
		const b = new Race(bookConfig({epochs: 300}));
		const c = new Race(bookConfig({epochs: 300, seed: 2024}));
		for (const race of [a, b, c]) {
			race.advance(300);
		}
		expect(timeless(b.snapshot())).toEqual(timeless(a.snapshot()));
		expect(c.racer('sgd')!.weights).not.toEqual(a.racer('sgd')!.weights);
		expect(c.racer('gd')!.weights).toEqual(a.racer('gd')!.weights); // gd draws nothing
	});

	test('removing or reordering racers never changes another racer\'s draws', () => {
		const all = new Race(bookConfig({epochs: 300}));
		const some = new Race(bookConfig({epochs: 300, racers: [spec('mb-random'), spec('sgd')]}));
		all.advance(300);
		some.advance(300);
		for (const id of ['sgd', 'mb-random'] as const) {
			expect(some.racer(id)!.weights).toEqual(all.racer(id)!.weights);
			expect(some.racer(id)!.bias).toBe(all.racer(id)!.bias);
		}
	});
});

describe('level racers (issue 10 items 2, 4, 20)', () => {
	/** Every racer's position in the race's clock. */
	const positions = (race: Race): number[] => race.racers.map((r) => r.position(race.clock));

	test('deadline-cut work leaves every racer level with the race position, as a run straight to it would', () => {
		for (const clock of ['iteration', 'samples'] as const) {
			const race = new Race(bookConfig({clock, epochs: 1e9}));
			race.extend(1e6);
			// A deadline already past: each call does one round, whatever the machine's speed.
			for (let call = 0; call < 12; call++) {
				expect(race.catchUp(performance.now() - 1)).toBe(false);
				const level = race.position;
				expect(level).toBeGreaterThan(0);
				expect(level).toBeLessThan(race.target);
				for (const [index, position] of positions(race).entries()) {
					// Never past the level, and within one update of it (less than a clock unit).
					expect(position, `${clock} racer ${index}`).toBeLessThanOrEqual(level);
					expect(position, `${clock} racer ${index}`).toBeGreaterThan(level - 1);
				}
			}
			// The same point as a race run straight to it: bit-identical racers.
			const straight = new Race(bookConfig({clock, epochs: 1e9}));
			straight.advance(race.position);
			expect(timeless(straight.snapshot())).toEqual(timeless(race.snapshot()));
		}
	});

	test('rounds grow with the measured cost: a generous deadline does many units per call, still level', () => {
		const race = new Race(bookConfig({epochs: 1e9}));
		race.extend(1e9);
		// 100 ms a call: even a machine that takes most of it away leaves time for more than one unit.
		for (let call = 0; call < 5; call++) {
			race.catchUp(performance.now() + 100);
		}
		const level = race.position;
		expect(level).toBeGreaterThan(5); // more than one unit per call once the cost is known
		const whole = Math.floor(level);
		expect(race.racers.map((r) => r.updates)).toEqual([whole, whole, whole, Math.floor(17 * level)]);
	});

	test('the time clock: every racer has spent at least the level', () => {
		const race = new Race(bookConfig({clock: 'time', epochs: 1e6}));
		race.extend(1e6);
		for (let call = 0; call < 5; call++) {
			race.catchUp(performance.now() - 1);
			for (const position of positions(race)) {
				expect(position).toBeGreaterThanOrEqual(race.position);
			}
		}
	});

	test('when every racer diverges the position is the furthest any got, not the level raised past them', () => {
		const all = bookConfig().racers.map((s) => ({...s, lr: 5}));
		const race = new Race(bookConfig({racers: all}));
		race.extend(5000);
		while (!race.catchUp(performance.now() - 1)) {
			// one round per call: the level passes the point where the racers blew up
		}
		expect(race.over).toBe(true);
		expect(race.racers.every((r) => r.state === 'diverged')).toBe(true);
		expect(race.racers.map((r) => r.position('iteration'))).toEqual([3, 3, 3, 3 / 17]);
		expect(race.position).toBe(3);
		expect(race.snapshot().position).toBe(3);
		// One racer still going: the level is where it is.
		const mixed = new Race(bookConfig({racers: [...all.slice(0, 3), {...all[3]!, lr: 0.01}]}));
		mixed.advance(10);
		expect(mixed.position).toBe(10);
		expect(mixed.racer('mb-epoch')!.position('iteration')).toBe(10);
	});

	test('hold drops what is left of the target: nothing moves after it', () => {
		const race = new Race(bookConfig({epochs: 1e9}));
		race.extend(1e6);
		race.catchUp(performance.now() - 1);
		race.hold();
		const before = race.snapshot();
		expect(race.target).toBe(before.position);
		expect(race.catchUp()).toBe(true);
		expect(timeless(race.snapshot())).toEqual(timeless(before));
	});

	test('the clock is the config\'s, fixed for the race', () => {
		const race = new Race(bookConfig({clock: 'samples'}));
		expect(race.clock).toBe('samples');
		expect('setClock' in race).toBe(false);
	});
});

describe('the time clock is fair for small budgets (issue 10 item 5)', () => {
	afterEach(() => {
		vi.restoreAllMocks();
	});

	test('with a cold start and a known cost per update, no racer is charged much beyond the budget', () => {
		// An injected clock: every update (one loss measurement) takes 1/16 ms, and the process's
		// first three take 1 ms each (code not yet compiled), whoever runs them.
		let now = 0;
		let calls = 0;
		vi.spyOn(performance, 'now').mockImplementation(() => now);
		const measure = Objective.prototype.measure;
		vi.spyOn(Objective.prototype, 'measure').mockImplementation(function (this: Objective, theta, out) {
			now += ++calls <= 3 ? 1 : 1 / 16; // binary fractions: the fake times add exactly
			measure.call(this, theta, out);
		});
		const race = new Race(bookConfig({clock: 'time', epochs: 1})); // 0.1 ms each
		race.advance(1);
		for (const racer of race.racers) {
			// At least the budget, at most one update beyond it (not 8 updates, not the cold start).
			expect(racer.ms, racer.id).toBeGreaterThanOrEqual(0.1 - 1e-12);
			expect(racer.ms, racer.id).toBeLessThanOrEqual(0.1 + 1 / 16);
			expect(racer.updates, racer.id).toBe(2);
		}
	});

	/** An injected clock on which every loss measurement (one per update) takes 1/16 ms; returns what it read. */
	function fakeClock(): {readonly now: () => number; readonly updates: () => number} {
		let now = 0;
		let updates = 0;
		vi.spyOn(performance, 'now').mockImplementation(() => now);
		const measure = Objective.prototype.measure;
		vi.spyOn(Objective.prototype, 'measure').mockImplementation(function (this: Objective, theta, out) {
			now += 1 / 16;
			updates++;
			measure.call(this, theta, out);
		});
		return {now: () => now, updates: () => updates};
	}

	test('before a time-clock race the throwaway racers run in turns for 20 ms of CPU, so the racers start on optimized code', () => {
		const clock = fakeClock();
		const race = new Race(bookConfig({clock: 'time', epochs: 1}));
		race.advance(1);
		const racing = race.racers.reduce((sum, racer) => sum + racer.updates, 0);
		// 20 ms at 1/16 ms an update, and at most a round beyond (each throwaway at most 1 ms a turn).
		const warmUp = clock.updates() - racing;
		expect(warmUp).toBeGreaterThanOrEqual(20 * 16);
		expect(warmUp).toBeLessThanOrEqual((20 + 4) * 16 + 4);
		// The racers themselves start where a race starts.
		for (const racer of race.racers) expect(racer.ms, racer.id).toBeLessThanOrEqual(0.1 + 1 / 16);
	});

	test('the time-clock warm-up waits for the code to get faster (the JIT), up to 100 ms', () => {
		// Updates get 15 % cheaper every 3 ms (code being compiled, function by function) until
		// 60 ms, then cost the same: the warm-up goes on past 60 ms, for 3 calm turns of at most
		// 1 ms per throwaway each, after the turns that still saw the last speed-up (at most two:
		// the one under way at 60 ms and the one it makes look faster).
		let now = 0;
		vi.spyOn(performance, 'now').mockImplementation(() => now);
		const measure = Objective.prototype.measure;
		vi.spyOn(Objective.prototype, 'measure').mockImplementation(function (this: Objective, theta, out) {
			now += (1 / 16) * 0.85 ** Math.floor(Math.min(now, 60) / 3);
			measure.call(this, theta, out);
		});
		const race = new Race(bookConfig({clock: 'time', epochs: 1}));
		race.advance(1);
		const racingMs = race.racers.reduce((sum, racer) => sum + racer.ms, 0);
		expect(now - racingMs).toBeGreaterThan(60);
		expect(now - racingMs).toBeLessThan(60 + 5 * 4 + 1);

		// Code that keeps getting faster: at most 100 ms.
		vi.restoreAllMocks();
		now = 0;
		vi.spyOn(performance, 'now').mockImplementation(() => now);
		vi.spyOn(Objective.prototype, 'measure').mockImplementation(function (this: Objective, theta, out) {
			now += (1 / 16) * 0.85 ** Math.floor(now / 3);
			measure.call(this, theta, out);
		});
		const endless = new Race(bookConfig({clock: 'time', epochs: 1}));
		endless.advance(1);
		expect(now).toBeGreaterThanOrEqual(100);
		expect(now).toBeLessThan(100 + 4 + 1);
	});

	test('under the iteration clock the warm-up is one short turn (its results do not depend on time)', () => {
		const clock = fakeClock();
		const race = new Race(bookConfig({epochs: 1}));
		race.advance(1);
		const racing = race.racers.reduce((sum, racer) => sum + racer.updates, 0);
		// One turn each, of at most 16 iterations or about 1 ms (16 updates here, and the chunk that passes it).
		const warmUp = clock.updates() - racing;
		expect(warmUp).toBeGreaterThanOrEqual(4);
		expect(warmUp).toBeLessThanOrEqual(4 * 2 * 16);
		expect(clock.now()).toBeLessThan(10);
	});

	test('the time-clock warm-up ends early when every throwaway racer has diverged', () => {
		const clock = fakeClock();
		const race = new Race(bookConfig({clock: 'time', epochs: 1, racers: [spec('gd', {lr: 50}), spec('sgd', {lr: 50})]}));
		race.advance(1);
		expect(clock.now()).toBeLessThan(20);
		expect(race.racers.map((racer) => racer.state)).toEqual(['diverged', 'diverged']);
	});
});

describe('the samples clock is exact at the end (issue 10 item 19)', () => {
	test('every racer spends the same sample-gradients: mb-random\'s last batch is cut to the rows left', () => {
		for (const epochs of [1, 3]) {
			const race = new Race(bookConfig({clock: 'samples', epochs}));
			race.advance(epochs);
			expect(race.racers.map((r) => r.samples)).toEqual([506, 506, 506, 506].map((n) => n * epochs));
		}
		// Epochs 1: 16 batches of 30 and one of 26.
		const race = new Race(bookConfig({clock: 'samples', epochs: 1}));
		race.advance(1);
		expect(race.racer('mb-random')!.updates).toBe(17);
		const history = race.racer('mb-random')!.history.columns().samples;
		expect(history.at(-1)! - history.at(-2)!).toBe(26);
	});

	test('the cut batch is the first rows of the full one: the run up to it is unchanged', () => {
		const config = bookConfig({clock: 'samples', epochs: 1, racers: [spec('mb-random')]});
		const cut = new Race(config);
		cut.advance(1);
		const whole = new Race({...config, clock: 'iteration', epochs: 17});
		whole.advance(16);
		const a = cut.racer('mb-random')!.history.columns();
		const b = whole.racer('mb-random')!.history.columns();
		expect(Array.from(a.loss.subarray(0, 17))).toEqual(Array.from(b.loss.subarray(0, 17)));
	});

	test('only at the end: mid-race budgets stop before a batch that does not fit; full batches never split', () => {
		const race = new Race(bookConfig({clock: 'samples', epochs: 2.5}));
		race.advance(1.5);
		expect(race.racer('mb-random')!.samples).toBe(750); // 25 × 30 <= 759
		race.advance(1);
		const samples = race.racers.map((r) => r.samples);
		expect(samples).toEqual([1012, 1265, 1265, 1265]); // gd spends whole passes: 2 × 506
	});
});

describe('config validation', () => {
	test.each([
		['no racers', {racers: []}, /at least one racer/],
		['a repeated racer', {racers: [spec('gd'), spec('gd')]}, /appears twice/],
		['an unknown rule', {racers: [{...spec('gd'), rule: {kind: 'adamw'} as unknown as {kind: 'sgd'}}]}, /unknown update rule: adamw/],
		['an unknown batch', {racers: [{...spec('gd'), batch: {kind: 'most'} as unknown as {kind: 'full'}}]}, /unknown batch kind: most/],
		['an empty id', {racers: [{...spec('gd'), id: ''}]}, /non-empty string/],
		['a bad hyperparameter', {racers: [{...spec('gd'), rule: {kind: 'adam' as const, beta1: 1, beta2: 0.999, eps: 1e-8}}]}, /adam beta1 must be in \[0, 1\)/],
		['epochs 0', {epochs: 0}, /epochs must be/],
		['tolerance 1', {tolerance: 1}, /tolerance must be in \(0, 1\)/],
		['a NaN seed', {seed: Number.NaN}, /seed must be/],
		['an odd history capacity', {historyCapacity: 7}, /history capacity/],
		['a bad learning rate', {racers: [spec('sgd', {lr: -1})]}, /learning rate/],
		['empty data', {data: dataOf([[1]], [1]) && {rows: 0, dims: 1, x: new Float64Array(0), y: new Float64Array(0)}}, /at least one row/],
		['overflowing data', {data: dataOf([[1], [2]], [1e200, -1e200])}, /too large/],
	])('%s is refused with a RangeError', (_name, overrides, message) => {
		expect(() => new Race(bookConfig(overrides))).toThrow(message);
	});

	test('extreme learning rates and 50 features race without a non-finite number', () => {
		const tiny = new Race(bookConfig({epochs: 100, racers: bookConfig().racers.map((s) => ({...s, lr: 1e-300}))}));
		tiny.advance(100);
		for (const s of tiny.snapshot().racers) {
			expect(s.state).toBe('done');
			expect(relativeError(s.loss, tiny.initialLoss)).toBeLessThan(1e-12); // steps of ~1e-300 change nothing visible
			expect([...s.weights, s.bias, s.loss, s.gap].every(Number.isFinite)).toBe(true);
		}
		const wide = new Race(bookConfig({data: syntheticData(500, 50), epochs: 50}));
		wide.advance(50);
		for (const s of wide.snapshot().racers) {
			expect(s.weights).toHaveLength(50);
			expect(s.loss).toBeLessThan(wide.initialLoss);
		}
	});

	test('a single row and a single feature race fine', () => {
		const race = new Race(bookConfig({data: dataOf([[2]], [5]), epochs: 50, racers: bookConfig().racers.map((s) => ({...s, lr: 0.1}))}));
		race.advance(50);
		expect(race.optimum).toMatchObject({loss: 0, unique: false, rank: 0});
		for (const s of race.snapshot().racers) {
			expect(s.batchSize).toBe(1);
			expect(Number.isFinite(s.loss)).toBe(true);
		}
	});
});

describe('relative gaps (issue 10: a perfect fit showed 26174% for finished racers)', () => {
	test('are shares of max(L*, FINISH_FLOOR × initial loss), the finish line’s own reference', () => {
		// y = 2x + 1 exactly: L* is rounding noise.
		const xs = Array.from({length: 50}, (_, i) => i / 49);
		const data = dataOf(
			xs.map((x) => [x]),
			xs.map((x) => 2 * x + 1),
		);
		const race = new Race(bookConfig({data, racers: [spec('gd', {lr: 0.5})], epochs: 3000}));
		expect(race.optimum.loss).toBeLessThan(1e-25);
		const initialLoss = race.racers[0]!.initialLoss;
		const reference = gapReference(race.optimum.loss, initialLoss);
		expect(reference).toBe(FINISH_FLOOR * initialLoss);
		// The moment GD finishes: within 1 % of the reference, far above L* itself.
		while (race.racers[0]!.finished === null) race.advance(1);
		const [gd] = race.snapshot().racers;
		expect(gd!.relativeGap).toBe(relativeGap(gd!.gap, reference));
		expect(gd!.relativeGap).toBeLessThanOrEqual(0.01);
		expect(gd!.relativeGap).toBeGreaterThan(0.001);
		expect(gd!.gap / race.optimum.loss, 'the gap over L* alone: the misleading number').toBeGreaterThan(1e6);
	});

	test('on an ordinary fit are the gap over L*', () => {
		const race = new Race(bookConfig());
		race.advance(100);
		for (const racer of race.snapshot().racers) expect(racer.relativeGap).toBe(racer.gap / race.optimum.loss);
		expect(relativeGap(0, 0)).toBe(0);
	});
});
