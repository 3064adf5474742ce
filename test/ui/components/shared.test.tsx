/**
 * `gdrace serve --shared` in-process: a presenting App drives the race and publishes what it
 * shows; watching Apps (other sizes) show that race and view, and only `?` and `q` work for them.
 */
import {Text} from 'ink';
import {render} from 'ink-testing-library';
import {afterEach, describe, expect, it, vi} from 'vitest';
import {statusText} from '../../../src/ui/App.js';
import {WATCH_FOOTER} from '../../../src/ui/components/WatchHelp.js';
import useFollow from '../../../src/ui/hooks/use-follow.js';
import {SharedRace} from '../../../src/ui/shared-race.js';
import type {SharedView} from '../../../src/ui/shared-race.js';
import {advance, raceFromArgs, renderApp} from './render-app.js';
import type {RenderedApp} from './render-app.js';

const TABLE = /^optimum /m;
const WATCH_HELP = "Watching the presenter's race";

let apps: RenderedApp[] = [];
afterEach(() => {
	for (const app of apps) app.unmount();
	apps = [];
});

/** The header's iteration and state. */
const header = (app: RenderedApp) => ({
	state: /(running|paused|done|replay)\s*$/.exec(app.lines()[0] ?? '')?.[1],
	iteration: /iteration ([\d,]+) \//.exec(app.lines()[1] ?? '')?.[1],
});

describe('a shared race', () => {
	it('watchers show the presenter’s race and view at their own size; their keys steer nothing but their own help', async () => {
		const race = raceFromArgs();
		const shared = new SharedRace();
		const presenter = renderApp(race, {share: {race: shared, role: 'present'}});
		const wide = renderApp(race, {columns: 120, rows: 30, share: {race: shared, role: 'watch'}});
		const narrow = renderApp(race, {columns: 80, rows: 24, share: {race: shared, role: 'watch'}});
		apps = [presenter, wide, narrow];
		for (const app of apps) await app.until((frame) => expect(frame).toMatch(TABLE));

		// The race moves (the presenter's loop sees it): the watchers show the same moment.
		advance(race, 40);
		await presenter.until(() => expect(header(presenter)).toEqual({state: 'paused', iteration: '40'}));
		for (const app of [wide, narrow]) await app.until(() => expect(header(app)).toEqual({state: 'paused', iteration: '40'}));
		expect(wide.lines().some((line) => line.trimEnd().length > 100)).toBe(true);
		expect(narrow.lines().every((line) => line.trimEnd().length <= 80)).toBe(true);

		// The footers: the watchers' two keys; the presenter's keys and its audience.
		shared.setStatus('2 watching · ssh -p 2222 127.0.0.1');
		await presenter.until((frame) => expect(frame.split('\n').at(-1)).toMatch(/q quit +2 watching · ssh -p 2222 127\.0\.0\.1$/));
		for (const app of [wide, narrow]) expect(app.lines().at(-1)).toBe(WATCH_FOOTER);

		// A watcher's keys: nothing but its help (its help showing means the keys before it were read).
		const seed = race.scheduler.seed;
		const speed = race.scheduler.speed;
		wide.press(' +r]sgk');
		wide.press('?');
		await wide.until((frame) => expect(frame).toContain(WATCH_HELP));
		expect(race.scheduler.paused).toBe(true);
		expect(race.scheduler.seed).toBe(seed);
		expect(race.scheduler.speed).toBe(speed);
		expect(race.scheduler.race.snapshot().position).toBe(40);
		expect(shared.view?.ui.gap).toBe(false);
		expect(narrow.frame()).not.toContain(WATCH_HELP);
		expect(presenter.frame()).not.toContain(WATCH_HELP);
		wide.press('\u001B');
		await wide.until((frame) => expect(frame).toMatch(TABLE));

		// The presenter's keys: everyone follows (a watcher's ← did nothing; the presenter's replays).
		wide.press('\u001B[D');
		wide.press('?');
		await wide.until((frame) => expect(frame).toContain(WATCH_HELP));
		expect(shared.view?.ui.cursor).toBeNull();
		wide.press('?');
		await wide.until((frame) => expect(frame).toMatch(TABLE));
		presenter.press('\u001B[D');
		for (const app of apps) await app.until(() => expect(header(app).state).toBe('replay'));
		presenter.press('g');
		for (const app of apps) await app.until((frame) => expect(frame).toMatch(/loss − L\* \(log scale\)|gap \(log\)/));
		presenter.press('r');
		for (const app of apps) await app.until((frame) => expect(frame).toContain(`seed ${seed + 1}`));
		// The presenter's help is its own.
		presenter.press('?');
		await presenter.until((frame) => expect(frame).toContain('Keys (? or Esc closes this help)'));
		expect(shared.view?.ui.help).toBe(true);
		for (const app of [wide, narrow]) expect(app.frame()).toMatch(TABLE);
	});

	it('q and Ctrl+C end a watcher only', async () => {
		const race = raceFromArgs();
		const shared = new SharedRace();
		const exits: string[] = [];
		const presenter = renderApp(race, {share: {race: shared, role: 'present'}, onExit: (why) => exits.push(`presenter ${why}`)});
		const one = renderApp(race, {share: {race: shared, role: 'watch'}, onExit: (why) => exits.push(`one ${why}`)});
		const two = renderApp(race, {share: {race: shared, role: 'watch'}, onExit: (why) => exits.push(`two ${why}`)});
		apps = [presenter, one, two];
		for (const app of apps) await app.until((frame) => expect(frame).toMatch(TABLE));
		one.press('q');
		two.press('\u0003');
		await presenter.until(() => expect(exits).toEqual(['one quit', 'two quit']));
		advance(race, 10);
		await presenter.until(() => expect(header(presenter).iteration).toBe('10'));
	});

	it('publishes only what changed, and tells every listener', () => {
		const shared = new SharedRace();
		let told = 0;
		const unsubscribe = shared.subscribe(() => told++);
		const view = {frame: {}, ui: {}, race: {}} as unknown as SharedView;
		shared.publish(view);
		shared.publish({...view});
		expect(told).toBe(1);
		expect(shared.view).toBe(view);
		shared.setStatus('1 watching');
		shared.setStatus('1 watching');
		expect(told).toBe(2);
		unsubscribe();
		shared.setStatus('0 watching');
		expect(told).toBe(2);
		expect(shared.status).toBe('0 watching');
	});
});

describe('useFollow', () => {
	/** A clock a test moves by hand; `reads` counts `now()` calls (the hook reads it once it follows). */
	function manualClock() {
		const timers: {at: number; callback: () => void; cancelled: boolean}[] = [];
		const clock = {
			time: 0,
			reads: 0,
			virtual: false,
			now() {
				clock.reads++;
				return clock.time;
			},
			schedule(callback: () => void, ms: number) {
				const timer = {at: clock.time + ms, callback, cancelled: false};
				timers.push(timer);
				return () => {
					timer.cancelled = true;
				};
			},
			/** Moves time to `to`, running the timers due on the way. */
			advance(to: number) {
				clock.time = to;
				for (const timer of timers.splice(0)) {
					if (timer.cancelled) continue;
					if (timer.at <= to) timer.callback();
					else timers.push(timer);
				}
			},
			get pending() {
				return timers.filter((timer) => !timer.cancelled).length;
			},
		};
		return clock;
	}

	it('shows the newest publication at most fps times a second: the ones in between are skipped, not queued', async () => {
		const shared = new SharedRace();
		const clock = manualClock();
		const view = (frame: number) => ({frame: {frame}, ui: {}, race: {}}) as unknown as SharedView;
		shared.publish(view(1));
		const shown: number[] = [];
		function Probe() {
			const followed = useFollow(shared, {fps: 10, clock});
			shown.push(followed?.frame.frame ?? 0);
			return <Text>{`frame ${followed?.frame.frame ?? 0}`}</Text>;
		}
		const instance = render(<Probe />);
		try {
			await vi.waitFor(() => expect(clock.reads).toBeGreaterThan(0));
			expect(instance.lastFrame()).toBe('frame 1');
			// Four more within the same period: one frame is due, later, with the newest.
			for (const frame of [2, 3, 4, 5]) shared.publish(view(frame));
			expect(instance.lastFrame()).toBe('frame 1');
			expect(clock.pending).toBe(1);
			clock.advance(99);
			await vi.waitFor(() => expect(instance.lastFrame()).toBe('frame 5'));
			expect(new Set(shown)).toEqual(new Set([1, 5]));
			// Long after: at once.
			clock.advance(1000);
			shared.publish(view(6));
			expect(clock.pending).toBe(0);
			await vi.waitFor(() => expect(instance.lastFrame()).toBe('frame 6'));
			// A status change is no new frame.
			shared.setStatus('1 watching');
			expect(clock.pending).toBe(0);
		} finally {
			instance.unmount();
			instance.cleanup();
		}
	});
});

describe("the presenter's status", () => {
	it('keeps as many of its parts as leave the keys 30 cells', () => {
		const status = '2 watching · ssh -p 2222 127.0.0.1 · 1 log line held';
		expect(statusText(status, 100)).toBe(`  ${status}`);
		expect(statusText(status, 80)).toBe('  2 watching · ssh -p 2222 127.0.0.1');
		expect(statusText(status, 50)).toBe('  2 watching');
		expect(statusText(status, 40)).toBe('');
		expect(statusText('', 100)).toBe('');
	});
});
