/**
 * Live sessions sharing a governor (as `gdrace serve`'s viewers do): at the top speed every
 * engine runs out of its time, so each tick's budget is split among them; a paused one takes
 * nothing from the others, and an unmounted one frees its part.
 */
import {afterEach, describe, expect, it, vi} from 'vitest';
import {EngineGovernor} from '../../../src/engine/governor.js';
import {MAX_SPEED, Scheduler} from '../../../src/engine/scheduler.js';
import {raceFromArgs, renderApp} from './render-app.js';
import type {RenderedApp, TestRace} from './render-app.js';

let apps: RenderedApp[] = [];
afterEach(() => {
	for (const app of apps) app.unmount();
	apps = [];
});

/** Records the budget of every tick of the race's scheduler. */
function budgets(race: TestRace): number[] {
	const seen: number[] = [];
	const tick = Scheduler.prototype.tick;
	race.scheduler.tick = function (this: Scheduler, dt: number, budgetMs: number) {
		seen.push(budgetMs);
		return tick.call(this, dt, budgetMs);
	};
	return seen;
}

/** Waits until `seen` has `count` more entries than now. */
async function more(seen: readonly number[], count: number): Promise<void> {
	const target = seen.length + count;
	await vi.waitFor(() => expect(seen.length).toBeGreaterThanOrEqual(target), {timeout: 20_000, interval: 5});
}

describe('sessions sharing a governor', () => {
	it('split the engine share while both race flat out; a paused one leaves the share to the other; unmounting frees it', async () => {
		const governor = new EngineGovernor();
		const one = raceFromArgs(['--epochs', '100000000'], {speed: MAX_SPEED});
		const two = raceFromArgs(['--epochs', '100000000'], {speed: MAX_SPEED});
		const [first, second] = [budgets(one), budgets(two)];
		apps = [renderApp(one, {governor}), renderApp(two, {governor})];
		await vi.waitFor(() => expect(governor.sessions).toBe(2), {timeout: 20_000, interval: 5});
		// Alone, a session's budget is the whole share (0.45 of a 1/60 s tick at 60 fps).
		await more(first, 3);
		const whole = Math.max(...first);
		expect(whole).toBeCloseTo((1000 / 60) * 0.45, 9);
		// Both busy (2^24 iterations a second cannot be kept up with): each gets half.
		await vi.waitFor(() => expect(governor.busy).toBe(2), {timeout: 20_000, interval: 5});
		await more(first, 3);
		await more(second, 3);
		expect(first.slice(-2)).toEqual([whole / 2, whole / 2]);
		expect(second.slice(-2)).toEqual([whole / 2, whole / 2]);
		// The second pauses: it catches up at once, is no longer busy, and the first has it all.
		apps[1]!.press(' ');
		await vi.waitFor(() => expect(governor.busy).toBe(1), {timeout: 20_000, interval: 5});
		await more(first, 3);
		expect(first.at(-1)).toBe(whole);
		// Unmounted, a session leaves its seat.
		apps[1]!.unmount();
		apps = [apps[0]!];
		await vi.waitFor(() => expect(governor.sessions).toBe(1), {timeout: 20_000, interval: 5});
	});
});
