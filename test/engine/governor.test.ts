/**
 * The engine-time governor (src/engine/governor.ts): sessions whose engine ran out of its time
 * split one session's share; a session that keeps up is not counted; leaving frees the share.
 */
import {describe, expect, it} from 'vitest';
import {EngineGovernor} from '../../src/engine/governor.js';

describe('EngineGovernor', () => {
	it('gives a lone session its whole share, busy or not', () => {
		const governor = new EngineGovernor();
		const seat = governor.join();
		expect(seat.share()).toBe(1);
		seat.report(true);
		expect(seat.share()).toBe(1);
		expect([governor.sessions, governor.busy]).toEqual([1, 1]);
	});

	it('splits the share among the busy sessions; one that keeps up counts itself in, as if it became busy', () => {
		const governor = new EngineGovernor();
		const [a, b, c, calm] = [governor.join(), governor.join(), governor.join(), governor.join()];
		for (const seat of [a, b, c]) seat.report(true);
		calm.report(false);
		expect([a.share(), b.share(), c.share()]).toEqual([1 / 3, 1 / 3, 1 / 3]);
		expect(calm.share()).toBe(1 / 4);
		// The busy ones' shares add up to one session's: the engines together never take more.
		expect(a.share() + b.share() + c.share()).toBeCloseTo(1, 12);
		// Reports that do not change a state change nothing.
		a.report(true);
		calm.report(false);
		expect(governor.busy).toBe(3);
		// One keeps up again, one leaves: the last busy one has the share alone.
		b.report(false);
		c.leave();
		c.leave();
		expect([governor.sessions, governor.busy]).toEqual([3, 1]);
		expect(a.share()).toBe(1);
		expect(b.share()).toBe(1 / 2);
		// A seat that left reports nothing any more.
		c.report(true);
		expect(governor.busy).toBe(1);
		a.leave();
		b.leave();
		calm.leave();
		expect([governor.sessions, governor.busy]).toEqual([0, 0]);
	});
});
