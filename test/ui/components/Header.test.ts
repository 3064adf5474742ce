import {describe, expect, it} from 'vitest';
import {rangeText, speedPart, stateText} from '../../../src/ui/components/Header.js';

describe('the header\'s clock line', () => {
	it('gives the racers\' range in a measured clock, one value when they agree', () => {
		expect(rangeText('samples', [100 / 506, 100])).toBe('samples 0.1976–100 passes');
		expect(rangeText('samples', [9.881, 5000])).toBe('samples 9.881–5,000 passes');
		expect(rangeText('iteration', [5, 2_530_000])).toBe('iteration 5–2,530,000');
		expect(rangeText('time', [3, 4.5])).toBe('time 0.3–0.45 ms');
		expect(rangeText('samples', [2, 2])).toBe('samples 2 passes');
	});

	it('shows the speed achieved beside the one asked for when the machine does not keep up', () => {
		expect(speedPart('iteration', 256, null)).toBe('speed 256 it/s');
		expect(speedPart('iteration', 2 ** 24, 140_000)).toBe('speed 140k it/s (set 16.8M)');
		expect(speedPart('time', 256, 100)).toBe('speed 10 ms/s (set 25.6)');
	});

	it('says "diverged" when the race is over because every racer diverged', () => {
		expect(stateText(false, true, true)).toBe('diverged');
		expect(stateText(false, true)).toBe('done');
		expect(stateText(true, false)).toBe('paused');
	});
});
