import {describe, expect, test} from 'vitest';
import {Race} from '../../src/engine/race.js';
import {niceCeiling, positionIn, positionRange, viewExtent} from '../../src/ui/clock-view.js';
import {bookConfig} from '../engine/fixtures.js';

describe('measuring a race in another clock', () => {
	test('positions in each clock come from the recorded coordinates', () => {
		const race = new Race(bookConfig());
		race.advance(2.5);
		const snapshot = race.snapshot();
		const [gd, sgd, mbRandom, mbEpoch] = snapshot.racers;
		expect([gd, sgd, mbRandom, mbEpoch].map((r) => positionIn(r!, 'iteration', 506))).toEqual([2, 2, 2, 42 / 17]);
		expect(positionIn(gd!, 'samples', 506)).toBe(2);
		expect(positionIn(sgd!, 'samples', 506)).toBe(2 / 506);
		expect(positionIn(mbEpoch!, 'time', 506)).toBe(mbEpoch!.ms / 0.1);
		expect(positionRange(snapshot.racers, 'samples', 506)).toEqual([2 / 506, (2 * 506 + 8 * 30) / 506]);
		expect(positionRange([], 'samples', 506)).toEqual([0, 0]);
	});

	test('round ceilings', () => {
		expect([1, 5000, 2_530_000, 0.0123, 7, 9.5].map(niceCeiling)).toEqual([1, 5000, 3_000_000, 0.015, 8, 10]);
	});

	test('the x-axis runs to where the furthest racer will be at the end of the race', () => {
		const race = new Race(bookConfig());
		expect(viewExtent(race.snapshot(), 'samples', 506)).toBe(5000); // nothing moved yet: the race's end
		race.advance(10);
		expect(viewExtent(race.snapshot(), 'iteration', 506)).toBe(5000); // the race's own clock
		expect(viewExtent(race.snapshot(), 'samples', 506)).toBe(5000); // gd: a pass an iteration
		const samples = new Race(bookConfig({clock: 'samples'}));
		samples.advance(3);
		expect(viewExtent(samples.snapshot(), 'iteration', 506)).toBe(3_000_000); // sgd: 506 × 5000 = 2.53M
		// Stopped racers are where they end.
		const short = new Race(bookConfig({epochs: 20}));
		short.advance(20);
		expect(viewExtent(short.snapshot(), 'samples', 506)).toBe(20);
	});
});
