import {describe, expect, test} from 'vitest';
import {DEFAULT_SPEED, MAX_SPEED, MAX_TICK_MS, MIN_SPEED, Scheduler} from '../../src/engine/scheduler.js';
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
		expect(scheduler.race.position).toBe(1);
		expect(scheduler.race.racer('gd')!.updates).toBe(0); // the work is the next tick's
		scheduler.tick(16, NO_LIMIT);
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

	test('a slow machine builds no backlog: the target waits while the racers lag', () => {
		const scheduler = new Scheduler(bookConfig({epochs: 1e12}), {speed: MAX_SPEED});
		expect(scheduler.tick(1000, 0)).toBe(false); // 2^24 iterations are not done in one chunk
		const target = scheduler.race.position;
		expect(target).toBe(MAX_SPEED);
		for (let i = 0; i < 5; i++) {
			scheduler.tick(1000, 0);
			expect(scheduler.race.position).toBe(target);
		}
		expect(scheduler.caughtUpAtLastTick).toBe(false);
		// Work continues on every tick all the same: wait for the racers to catch up (bounded).
		const before = scheduler.race.racer('gd')!.updates;
		scheduler.tick(16, 1);
		expect(scheduler.race.racer('gd')!.updates).toBeGreaterThan(before);
	});

	test('a stall longer than MAX_TICK_MS does not jump the race ahead', () => {
		const scheduler = new Scheduler(bookConfig(), {speed: 1});
		scheduler.tick(3_600_000, NO_LIMIT);
		expect(scheduler.race.position).toBe(MAX_TICK_MS / 1000);
		scheduler.tick(Number.NaN, NO_LIMIT);
		scheduler.tick(-50, NO_LIMIT);
		expect(scheduler.race.position).toBe(1);
	});

	test('the clock cycles iteration → samples → time → iteration, mid-race', () => {
		const scheduler = new Scheduler(bookConfig());
		scheduler.tick(100, NO_LIMIT);
		scheduler.cycleClock();
		expect(scheduler.race.clock).toBe('samples');
		scheduler.tick(100, NO_LIMIT);
		scheduler.cycleClock();
		expect(scheduler.race.clock).toBe('time');
		scheduler.cycleClock();
		expect(scheduler.race.clock).toBe('iteration');
		scheduler.setClock('samples');
		expect(scheduler.race.clock).toBe('samples');
	});

	test('restart makes a fresh race with the next seed (or a given one), keeping the clock', () => {
		const scheduler = new Scheduler(bookConfig());
		scheduler.tick(1000, NO_LIMIT);
		scheduler.setClock('samples');
		const old = scheduler.race;
		scheduler.restart();
		expect(scheduler.race).not.toBe(old);
		expect(scheduler.seed).toBe(2024);
		expect(scheduler.race.position).toBe(0);
		expect(scheduler.race.clock).toBe('samples');
		expect(scheduler.race.racers.every((r) => r.updates === 0)).toBe(true);
		scheduler.restart(7);
		expect(scheduler.race.config.seed).toBe(7);
		scheduler.tick(1000, NO_LIMIT);
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
