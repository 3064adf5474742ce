import {describe, expect, test} from 'vitest';
import {Race} from '../../src/engine/race.js';
import {DEFAULT_SPEED, MAX_SPEED, MAX_TICK_MS, MIN_SPEED, Scheduler, nextClock} from '../../src/engine/scheduler.js';
import {bookConfig} from './fixtures.js';

const NO_LIMIT = 60_000; // a budget no test comes near: work always completes

describe('Scheduler', () => {
	test('each tick raises the target by speed × dt and brings every racer to it', () => {
		const scheduler = new Scheduler(bookConfig());
		expect(scheduler.speed).toBe(DEFAULT_SPEED);
		expect(scheduler.tick(1000, NO_LIMIT)).toBe(true);
		expect(scheduler.race.position).toBe(256);
		expect(scheduler.race.racers.map((r) => r.iterations)).toEqual([256, 256, 256, 256]);
		// Fractional steps accumulate: 4 ms at 256/s is 1.024 units.
		const fine = new Scheduler(bookConfig());
		for (let i = 0; i < 4; i++) {
			fine.tick(1, NO_LIMIT);
		}
		expect(fine.race.position).toBeCloseTo(1.024, 12);
		expect(fine.race.racer('gd')!.updates).toBe(1);
		expect(fine.race.racer('mb-epoch')!.updates).toBe(17); // floor(1.024 × 17)
	});

	test('the book race takes 5000 / 256 ≈ 19.5 s of ticks at the default speed', () => {
		const scheduler = new Scheduler(bookConfig());
		let ms = 0;
		while (!scheduler.race.over && ms < 60_000) {
			scheduler.tick(1000 / 30, NO_LIMIT);
			ms += 1000 / 30;
		}
		expect(scheduler.race.over).toBe(true);
		expect(ms / 1000).toBeCloseTo(5000 / 256, 0);
	});

	test('pause freezes the target; step raises it by one unit, paused or not', () => {
		const scheduler = new Scheduler(bookConfig(), {paused: true});
		expect(scheduler.paused).toBe(true);
		scheduler.tick(1000, NO_LIMIT);
		expect(scheduler.race.position).toBe(0);
		scheduler.step();
		expect(scheduler.race.target).toBe(1);
		expect(scheduler.race.position).toBe(0);
		expect(scheduler.race.racer('gd')!.updates).toBe(0); // the work is the next tick's
		scheduler.tick(16, NO_LIMIT);
		expect(scheduler.race.position).toBe(1);
		expect(scheduler.race.racers.map((r) => r.iterations)).toEqual([1, 1, 1, 1]);
		scheduler.togglePause();
		expect(scheduler.paused).toBe(false);
		scheduler.tick(500, NO_LIMIT);
		expect(scheduler.race.position).toBe(129);
		scheduler.pause();
		scheduler.step();
		scheduler.tick(500, NO_LIMIT);
		expect(scheduler.race.position).toBe(130);
		scheduler.resume();
		expect(scheduler.paused).toBe(false);
	});

	test('faster and slower double and halve the speed within [1/16, 2^24]', () => {
		const scheduler = new Scheduler(bookConfig());
		scheduler.faster();
		expect(scheduler.speed).toBe(512);
		scheduler.slower();
		scheduler.slower();
		expect(scheduler.speed).toBe(128);
		for (let i = 0; i < 40; i++) {
			scheduler.slower();
		}
		expect(scheduler.speed).toBe(MIN_SPEED);
		for (let i = 0; i < 80; i++) {
			scheduler.faster();
		}
		expect(scheduler.speed).toBe(MAX_SPEED);
		scheduler.setSpeed(3);
		expect(scheduler.speed).toBe(3);
		expect(new Scheduler(bookConfig(), {speed: 1e12}).speed).toBe(MAX_SPEED);
		expect(() => new Scheduler(bookConfig(), {speed: Number.NaN})).toThrow(RangeError);
	});

	test('a slow machine builds no backlog: the target stays within one tick of where the racers are', () => {
		const scheduler = new Scheduler(bookConfig({epochs: 1e12}), {speed: MAX_SPEED});
		expect(scheduler.tick(1000, 0)).toBe(false); // 2^24 iterations are not done in one round
		expect(scheduler.race.target).toBe(MAX_SPEED);
		for (let i = 0; i < 5; i++) {
			scheduler.tick(1000, 0);
			expect(scheduler.race.target - scheduler.race.position).toBeLessThanOrEqual(MAX_SPEED);
		}
		expect(scheduler.caughtUpAtLastTick).toBe(false);
		// Work continues on every tick all the same.
		const before = scheduler.race.racer('gd')!.updates;
		scheduler.tick(16, 1);
		expect(scheduler.race.racer('gd')!.updates).toBeGreaterThan(before);
	});

	test('at the highest speed every racer stays level with the clock shown, tick after tick (issue 10 item 2)', () => {
		for (const clock of ['iteration', 'samples'] as const) {
			const scheduler = new Scheduler(bookConfig({clock, epochs: 1e8}), {speed: MAX_SPEED});
			for (let tick = 0; tick < 20; tick++) {
				// Budgets the work cannot meet: 2^24 units a second is beyond any machine.
				expect(scheduler.tick(1000 / 30, tick % 2 === 0 ? 0 : 2)).toBe(false);
				const {position, target, racers} = scheduler.race.snapshot();
				expect(position).toBeLessThan(target);
				for (const racer of scheduler.race.racers) {
					expect(racer.position(clock), `${clock} ${racer.id} at tick ${tick}`).toBeLessThanOrEqual(position);
					expect(racer.position(clock), `${clock} ${racer.id} at tick ${tick}`).toBeGreaterThan(position - 1);
				}
				expect(racers.map((r) => r.iterations)).toEqual(scheduler.race.racers.map((r) => r.position('iteration')));
			}
			// The very racers a race run straight to the same point has (what `--json` computes).
			const straight = new Race(bookConfig({clock, epochs: 1e8}));
			straight.advance(scheduler.race.position);
			expect(straight.racers.map((r) => [r.updates, r.samples, r.loss, r.bias])).toEqual(
				scheduler.race.racers.map((r) => [r.updates, r.samples, r.loss, r.bias]),
			);
		}
	});

	test('pause stops every racer where it is, even while they lag the target (issue 10 item 1)', () => {
		const scheduler = new Scheduler(bookConfig({epochs: 1e8}), {speed: MAX_SPEED});
		scheduler.tick(1000 / 30, 0);
		scheduler.tick(1000 / 30, 0);
		scheduler.pause();
		const updates = scheduler.race.racers.map((r) => r.updates);
		const position = scheduler.race.position;
		for (let i = 0; i < 5; i++) {
			expect(scheduler.tick(1000 / 30, NO_LIMIT)).toBe(true);
		}
		expect(scheduler.race.racers.map((r) => r.updates)).toEqual(updates);
		expect(scheduler.race.position).toBe(position);
		// A step is one unit from there, not from the old target.
		scheduler.step();
		scheduler.tick(1000 / 30, NO_LIMIT);
		expect(scheduler.race.position).toBe(position + 1);
	});

	test('a stall longer than MAX_TICK_MS does not jump the race ahead', () => {
		const scheduler = new Scheduler(bookConfig(), {speed: 1});
		scheduler.tick(3_600_000, NO_LIMIT);
		expect(scheduler.race.position).toBe(MAX_TICK_MS / 1000);
		scheduler.tick(Number.NaN, NO_LIMIT);
		scheduler.tick(-50, NO_LIMIT);
		expect(scheduler.race.position).toBe(1);
	});

	test('the clock is fixed for a race: `k` restarts under the next clock with the same seed, running (items 1, 11)', () => {
		const scheduler = new Scheduler(bookConfig(), {paused: true});
		scheduler.step();
		scheduler.tick(16, NO_LIMIT);
		expect(scheduler.clock).toBe('iteration');
		const clocks = [];
		for (let i = 0; i < 3; i++) {
			scheduler.restartWithNextClock();
			clocks.push(scheduler.clock);
			expect(scheduler.race.clock).toBe(scheduler.clock);
			expect(scheduler.seed).toBe(2023);
			expect(scheduler.paused).toBe(false);
			expect(scheduler.race.position).toBe(0);
			expect(scheduler.race.racers.every((r) => r.updates === 0)).toBe(true);
			scheduler.pause();
		}
		expect(clocks).toEqual(['samples', 'time', 'iteration']);
		expect(nextClock('time')).toBe('iteration');
		// Under its clock, the restarted race runs the budgets of that clock.
		const samples = new Scheduler(bookConfig());
		samples.restartWithNextClock();
		samples.tick(1000, NO_LIMIT); // 256 passes' worth of sample-gradients
		expect(samples.race.racers.map((r) => r.samples)).toEqual([256 * 506, 256 * 506, 4317 * 30, 256 * 506]);
	});

	test('restart makes a fresh running race with the next seed (or a given one), keeping the clock', () => {
		const scheduler = new Scheduler(bookConfig({clock: 'samples'}));
		scheduler.tick(1000, NO_LIMIT);
		scheduler.pause();
		const old = scheduler.race;
		scheduler.restart();
		expect(scheduler.race).not.toBe(old);
		expect(scheduler.seed).toBe(2024);
		expect(scheduler.paused).toBe(false); // a restart runs (issue 10 item 11)
		expect(scheduler.race.position).toBe(0);
		expect(scheduler.race.clock).toBe('samples');
		expect(scheduler.race.racers.every((r) => r.updates === 0)).toBe(true);
		scheduler.restart({seed: 7});
		expect(scheduler.race.config.seed).toBe(7);
		scheduler.tick(1000, NO_LIMIT);
		expect(scheduler.race.position).toBe(256);
		expect(scheduler.race.racer('sgd')!.weights).not.toEqual(old.racer('sgd')!.weights);
	});

	test('ticks after the end change nothing', () => {
		const scheduler = new Scheduler(bookConfig({epochs: 3}));
		scheduler.tick(1000, NO_LIMIT);
		expect(scheduler.race.over).toBe(true);
		const snapshot = scheduler.race.snapshot();
		scheduler.tick(1000, NO_LIMIT);
		scheduler.step();
		scheduler.tick(1000, NO_LIMIT);
		expect(scheduler.race.snapshot()).toEqual(snapshot);
	});
});
