/**
 * The live App through ink-testing-library, keys typed on its stdin: help, pause, clock, speed,
 * restart, quit, the "too small" screen and resizes, and a diverged racer. The scheduler is real
 * and built from the bundled data as the CLI builds it.
 */
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterEach, describe, expect, it, vi} from 'vitest';
import {FINISH_HOLD_MS} from '../../../src/ui/App.js';
import type {ExitReason} from '../../../src/ui/App.js';
import {footerText, NO_KEYS_TEXT} from '../../../src/ui/components/Footer.js';
import {coordinateText} from '../../../src/ui/components/WeightsTable.js';
import {ACTIONS, KEYMAP} from '../../../src/ui/keymap.js';
import {calculateLayout} from '../../../src/ui/layout.js';
import {advance, fullLayout, raceFromArgs, renderApp, tableCells, ticks} from './render-app.js';
import type {AppOptions, RenderedApp, TestRace} from './render-app.js';

/** The optimum row of the table: the race is on screen (the help mentions "the optimum" too). */
const TABLE = /^optimum /m;

let app: RenderedApp | undefined;
afterEach(() => {
	app?.unmount();
	app = undefined;
});

/** Renders `race` and waits for the first full frame. */
async function show(race: TestRace, options: AppOptions = {}): Promise<RenderedApp> {
	app = renderApp(race, options);
	await app.until((frame) => expect(frame).toMatch(TABLE));
	return app;
}

/** The header's second line. */
function clockLine(app: RenderedApp): string {
	return app.lines()[1] ?? '';
}

describe('help', () => {
	it('`?` lists every key of the key map with its help line, Escape closes it', async () => {
		const race = raceFromArgs();
		await show(race);
		app!.press('?');
		await app!.until((frame) => expect(frame).toContain('Keys (? or Esc closes this help)'));
		const lines = app!.lines();
		for (const action of ACTIONS) {
			const {label, help} = KEYMAP[action];
			const line = lines.find((candidate) => candidate.trimStart().startsWith(`${label} `) && candidate.trimEnd().endsWith(help));
			expect(line, `help line for ${action}`).toBeDefined();
		}
		// The help takes the chart's and the table's place; header and footer stay.
		expect(app!.frame()).not.toMatch(/^optimum /m);
		expect(app!.frame()).not.toMatch(/^racer /m);
		expect(app!.frame()).not.toContain('L* 30.5125');
		expect(lines[0]).toMatch(/^gdrace {2}boston\.csv/);
		expect(lines.at(-1)).toBe(footerText(100));
		expect(lines).toHaveLength(23);

		app!.press('\u001B');
		await app!.until((frame) => expect(frame).toMatch(TABLE));
		expect(app!.frame()).not.toContain('Keys (?');
	});

	it('`?` toggles it, `h` opens it, and Escape without help does nothing', async () => {
		const race = raceFromArgs();
		await show(race);
		app!.press('\u001B');
		await ticks(race);
		expect(app!.frame()).toMatch(TABLE);
		app!.press('h');
		await app!.until((frame) => expect(frame).toContain('Keys (?'));
		app!.press('?');
		await app!.until((frame) => expect(frame).toMatch(TABLE));
		app!.press('?');
		await app!.until((frame) => expect(frame).toContain('Keys (?'));
	});
});

describe('keys', () => {
	it('space pauses and resumes the race; the header says so', async () => {
		const race = raceFromArgs(['--speed', '64'], {});
		await show(race);
		expect(app!.lines()[0]).toMatch(/ running$/);
		app!.press(' ');
		await app!.until((frame) => expect(frame.split('\n')[0]).toMatch(/ paused$/));
		expect(race.scheduler.paused).toBe(true);
		const position = race.scheduler.race.position;
		await ticks(race, 5);
		expect(race.scheduler.race.position).toBe(position);
		app!.press(' ');
		await app!.until((frame) => expect(frame.split('\n')[0]).toMatch(/ running$/));
		expect(race.scheduler.paused).toBe(false);
		await vi.waitFor(() => expect(race.scheduler.race.position).toBeGreaterThan(position), {timeout: 10_000});
	});

	it('`c` changes what the x-axis and the header measure, and nothing else: no racer moves (issue 10 item 1)', async () => {
		const race = raceFromArgs();
		advance(race, 100);
		await show(race);
		const unit = (): string => app!.lines()[fullLayout(100, 24).xAxis.y + 1]!.slice(0, 10).trim();
		const where = () => race.scheduler.race.racers.map((r) => [r.updates, r.samples, r.ms, r.loss]);
		const before = where();
		expect(clockLine(app!)).toMatch(/^clock iteration 100 \/ 5,000 · speed 256 it\/s/);
		expect(unit()).toBe('iter');
		app!.press('c');
		// SGD has used 100 rows (0.198 passes), GD and MB-epoch 100 passes.
		await app!.until(() => expect(clockLine(app!)).toMatch(/^clock iteration 100 \/ 5,000 · x-axis samples 0\.1976–100 passes · speed 256 it\/s/));
		expect(unit()).toBe('passes');
		app!.press('c');
		await app!.until(() => expect(clockLine(app!)).toMatch(/^clock iteration 100 \/ 5,000 · x-axis time \S+–\S+ ms · /));
		expect(unit()).toBe('ms');
		app!.press('c');
		await app!.until(() => expect(clockLine(app!)).toMatch(/^clock iteration 100 \/ 5,000 · speed /));
		expect(unit()).toBe('iter');
		expect(race.scheduler.race.clock).toBe('iteration');
		expect(race.scheduler.paused).toBe(true);
		expect(app!.lines()[0]).toMatch(/ paused$/);
		expect(where()).toEqual(before);
	});

	it('`k` restarts the race under the next clock with the same seed, running (issue 10 items 1, 11)', async () => {
		const race = raceFromArgs();
		advance(race, 100);
		await show(race);
		app!.press('c'); // measuring samples: a new race is measured in its own clock
		await app!.until(() => expect(clockLine(app!)).toContain('x-axis samples'));
		app!.press('k');
		await app!.until(() => expect(clockLine(app!)).toMatch(/^clock samples \S+ passes \/ 5,000 passes · speed 256 passes\/s · GD lr 0\.01 · seed 2023\b/));
		expect(race.scheduler.race.clock).toBe('samples');
		expect(race.scheduler.paused).toBe(false);
		await app!.until(() => expect(app!.lines()[0]).toMatch(/ running$/));
		app!.press('k');
		await app!.until(() => expect(clockLine(app!)).toMatch(/^clock time \S+ ms \/ 500 ms · speed 25\.6 ms\/s · GD lr 0\.01 · seed 2023\b/));
		app!.press('k');
		await app!.until(() => expect(clockLine(app!)).toMatch(/^clock iteration /));
		expect(race.scheduler.seed).toBe(2023);
	});

	it('`+` and `-` (and `=` and `_`) double and halve the speed in the header', async () => {
		const race = raceFromArgs();
		await show(race);
		expect(clockLine(app!)).toContain('speed 256 it/s');
		app!.press('+');
		await app!.until(() => expect(clockLine(app!)).toContain('speed 512 it/s'));
		app!.press('=');
		await app!.until(() => expect(clockLine(app!)).toContain('speed 1.02k it/s'));
		app!.press('-');
		app!.press('-');
		app!.press('_');
		await app!.until(() => expect(clockLine(app!)).toContain('speed 128 it/s'));
		expect(race.scheduler.speed).toBe(128);
		// A burst typed at once counts every key.
		app!.press('++');
		await app!.until(() => expect(clockLine(app!)).toContain('speed 512 it/s'));
	});

	it('`r` restarts the race with the next seed', async () => {
		const race = raceFromArgs();
		advance(race, 200);
		await show(race);
		expect(clockLine(app!)).toContain('seed 2023');
		expect(app!.lines()[0]).toMatch(/ paused$/);
		app!.press('r');
		await app!.until(() => expect(clockLine(app!)).toMatch(/^clock iteration [\d,]+ \/ 5,000 .* seed 2024 /));
		expect(race.scheduler.seed).toBe(2024);
		// A restart runs, even from a paused race (issue 10 item 11).
		expect(race.scheduler.paused).toBe(false);
		await app!.until(() => expect(app!.lines()[0]).toMatch(/ running$/));
	});

	it('`q` and Ctrl+C quit', async () => {
		for (const key of ['q', '\u0003']) {
			const onExit = vi.fn<(reason: ExitReason) => void>();
			await show(raceFromArgs(), {onExit});
			app!.press(key);
			await vi.waitFor(() => expect(onExit).toHaveBeenCalledWith('quit'), {timeout: 10_000});
			expect(onExit).toHaveBeenCalledTimes(1);
			app!.unmount();
			app = undefined;
		}
	});

	it('Ctrl+Z asks the entry layer to suspend, and changes nothing else; without the hook it does nothing', async () => {
		const onSuspend = vi.fn<() => void>();
		const onExit = vi.fn<(reason: ExitReason) => void>();
		const race = raceFromArgs();
		await show(race, {onSuspend, onExit});
		app!.press('\u001A');
		await vi.waitFor(() => expect(onSuspend).toHaveBeenCalledTimes(1), {timeout: 10_000});
		expect(onExit).not.toHaveBeenCalled();
		expect(race.scheduler.paused).toBe(true);
		app!.unmount();
		app = undefined;
		// Without a hook (an SSH viewer, a recording) it is no key at all: a later key still works.
		await show(raceFromArgs(), {onExit});
		app!.press('\u001A');
		app!.press('q');
		await vi.waitFor(() => expect(onExit).toHaveBeenCalledWith('quit'), {timeout: 10_000});
	});

	it('no key does anything when keys are off (no terminal to read them from)', async () => {
		const onExit = vi.fn<(reason: ExitReason) => void>();
		const race = raceFromArgs();
		await show(race, {keys: false, onExit});
		const before = app!.frame();
		app!.press('?1lc+q ');
		await ticks(race);
		expect(app!.frame()).toBe(before);
		expect(race.scheduler.speed).toBe(256);
		expect(onExit).not.toHaveBeenCalled();
		// The footer does not offer keys that do nothing.
		expect(app!.lines().some((line) => line.startsWith(NO_KEYS_TEXT))).toBe(true);
		expect(app!.frame()).not.toContain(footerText(100));
	});

	it('--exit-on-finish quits by itself once the race is over, after the last frame stayed up', async () => {
		const onExit = vi.fn<(reason: ExitReason) => void>();
		const race = raceFromArgs(['--epochs', '20']);
		advance(race, 20);
		expect(race.scheduler.race.over).toBe(true);
		const started = Date.now();
		await show(race, {exitOnFinish: true, onExit});
		expect(app!.lines()[0]).toMatch(/ done$/);
		await vi.waitFor(() => expect(onExit).toHaveBeenCalledWith('finished'), {timeout: FINISH_HOLD_MS + 10_000});
		expect(Date.now() - started).toBeGreaterThanOrEqual(FINISH_HOLD_MS - 50);
		expect(FINISH_HOLD_MS).toBe(2000);
	});

	it('--hold sets how long the finished race stays up (finishHoldMs)', async () => {
		const onExit = vi.fn<(reason: ExitReason) => void>();
		const race = raceFromArgs(['--epochs', '20']);
		advance(race, 20);
		const started = Date.now();
		await show(race, {exitOnFinish: true, finishHoldMs: 300, onExit});
		await vi.waitFor(() => expect(onExit).toHaveBeenCalledWith('finished'), {timeout: 10_000});
		expect(Date.now() - started).toBeGreaterThanOrEqual(250);
	});
});

describe('--view: what the chart area opens on', () => {
	it('gap opens the gap view (log of loss − L*), and `g` goes back to the loss', async () => {
		const race = raceFromArgs(['--view', 'gap']);
		advance(race, 150);
		await show(race, {columns: 100, rows: 30});
		const layout = fullLayout(100, 30);
		await app!.until(() => {
			expect(app!.lines()[layout.legend.y]).toMatch(/ loss − L\* \(log scale\)$/);
			// The gap view is always log: `l` is not offered.
			expect(app!.lines()[layout.footer.y]).toMatch(/ g gap .*\? help {2}q quit$/);
			expect(app!.lines()[layout.footer.y]).not.toContain('l log');
		});
		app!.press('g');
		await app!.until(() => expect(app!.lines()[layout.legend.y]).toMatch(/ loss \(log scale\)$/));
	});

	it('map opens the map in the chart\'s place, and `m` goes back to the chart', async () => {
		const race = raceFromArgs(['--view', 'map']);
		advance(race, 150);
		await show(race, {columns: 100, rows: 30});
		const layout = fullLayout(100, 30);
		await app!.until(() => {
			expect(app!.lines()[layout.legend.y]).toMatch(/^map RM → LSTAT ↑/);
			// `m` is offered; the chart's own keys, with no chart on screen, are not.
			expect(app!.lines()[layout.footer.y]).toMatch(/^space pause .* c clock {2}m map {2}1-9 show\/hide .*\? help {2}q quit$/);
		});
		app!.press('m');
		await app!.until(() => {
			expect(app!.lines()[layout.legend.y]).toMatch(/^1 /);
			expect(app!.lines()[layout.footer.y]).toMatch(/ c clock {2}l log {2}g gap {2}m map {2}/);
		});
	});

	it('--demo opens on the gap view, with the map beside it from 160 columns', async () => {
		const race = raceFromArgs(['--demo']);
		advance(race, 300);
		await show(race, {columns: 80, rows: 24});
		await app!.until(() => expect(app!.lines()[fullLayout(80, 24, 6).legend.y]).toMatch(/^1 .* gap \(log\)$/));
		app!.resize(160, 40);
		const wide = fullLayout(160, 40, 6);
		await app!.until(() => expect(app!.lines()[wide.legend.y]).toMatch(/^1 .* gap \(log\) +map RM → LSTAT ↑/));
	});
});

describe('the selected racer\'s lr', () => {
	it.each([
		[80, 24],
		[100, 30],
	])('at %i×%i (no lr column) the header says it, and `]`, `↓`, `[` change it there', async (columns, rows) => {
		const race = raceFromArgs(['--optimizers', 'gd,momentum,adam:lr=0.1']);
		await show(race, {columns, rows});
		expect(fullLayout(columns, rows, 3).columns.map((column) => column.id)).not.toContain('lr');
		await app!.until(() => expect(clockLine(app!)).toMatch(/^clock iteration 0 \/ 5,000 · speed 256 it\/s · GD lr 0\.01 · /));
		app!.press(']');
		await app!.until(() => expect(clockLine(app!)).toContain(' · GD lr 0.02 · '));
		expect(race.scheduler.race.racers[0]!.lr).toBe(0.02);
		app!.press('\u001B[B');
		await app!.until(() => expect(clockLine(app!)).toContain(' · momentum lr 0.01 · '));
		app!.press('[');
		await app!.until(() => expect(clockLine(app!)).toContain(' · momentum lr 0.005 · '));
		for (const line of app!.lines()) expect([...line].length).toBeLessThanOrEqual(columns);
	});

	it('at 80 columns under another clock (`c`) the lr outlives the x-axis range, which needs the room', async () => {
		const race = raceFromArgs(['--optimizers', 'gd,momentum,adam:lr=0.1']);
		advance(race, 1000);
		await show(race, {columns: 80, rows: 24});
		expect(clockLine(app!)).toMatch(/^clock iteration 1,000 \/ 5,000 · speed 256 it\/s · GD lr 0\.01 · /);
		app!.press('c');
		// The whole line, `clock iteration 1,000 / 5,000 · x-axis samples 1,000 passes · speed 256 it/s · GD lr 0.01`, is 89 columns.
		await app!.until(() => expect(clockLine(app!)).toMatch(/^clock iteration 1,000 \/ 5,000 · speed 256 it\/s · GD lr 0\.01$/));
		app!.press('\u001B[B');
		await app!.until(() => expect(clockLine(app!)).toMatch(/ · momentum lr 0\.01$/));
		// Wide enough, the range is back in its place, before the speed.
		app!.resize(100, 30);
		await app!.until(() => expect(clockLine(app!)).toMatch(/^clock iteration 1,000 \/ 5,000 · x-axis samples 1,000 passes · speed 256 it\/s · momentum lr 0\.01$/));
	});

	it('plain GD at or above 2/λmax: `!`, and the bound\'s warning right after it', async () => {
		const race = raceFromArgs(['--optimizers', 'gd,adam', '--lr.gd', '1']);
		await show(race, {columns: 100, rows: 30});
		await app!.until(() => expect(clockLine(app!)).toMatch(/ · GD lr 1! · lr < 2\/λmax = 0\.732: GD above! · seed 2023/));
	});

	it('with the lr column (from 115 columns) the header leaves it to the table', async () => {
		const race = raceFromArgs(['--optimizers', 'gd,momentum,adam:lr=0.1']);
		await show(race, {columns: 120, rows: 30});
		await app!.until(() => expect(app!.lines().find((line) => line.startsWith('racer '))).toMatch(/ lr +upd\/s$/));
		expect(clockLine(app!)).not.toContain('GD lr');
		expect(clockLine(app!)).toMatch(/ · lr < 2\/λmax = 0\.732$/);
	});
});

describe('the header', () => {
	it('quotes a feature name that holds a comma, as CSV does: `"x,y", b` is two features', async () => {
		const dir = mkdtempSync(join(tmpdir(), 'gdrace-header-'));
		try {
			const file = join(dir, 'quoted.csv');
			writeFileSync(file, '"x,y",b,t\n1,2,3\n2,1,4\n3,5,2\n4,4,6\n5,1,1\n');
			const race = raceFromArgs(['--data', file, '--features', '"x,y",b', '--target', 't']);
			await show(race);
			expect(app!.lines()[0]).toMatch(/^gdrace {2}quoted\.csv · 5 rows · "x,y", b → t · minmax +paused$/);
		} finally {
			rmSync(dir, {recursive: true, force: true});
		}
	});
});

describe('size', () => {
	it('shows "terminal too small" with the size it needs, and the race again once there is room', async () => {
		const race = raceFromArgs();
		advance(race, 50);
		await show(race);
		const need = calculateLayout(40, 10, 4, 2);
		expect(need.kind).toBe('too-small');
		if (need.kind !== 'too-small') return;
		expect(need.need).toEqual({columns: 53, rows: 17});

		app!.resize(40, 10);
		await app!.until((frame) => expect(frame).toContain('terminal too small'));
		expect(app!.lines()).toEqual(['terminal too small', 'need 53×17', 'have 40×10', ...Array<string>(6).fill('')].map((line) => expect.stringMatching(new RegExp(`^${line}\\s*$`))));

		// One column or one row short is too small; exactly the need fits.
		app!.resize(52, 17);
		await app!.until((frame) => expect(frame).toContain('have 52×17'));
		app!.resize(53, 16);
		await app!.until((frame) => expect(frame).toContain('have 53×16'));
		app!.resize(53, 17);
		await app!.until((frame) => expect(frame).toMatch(TABLE));
		expect(app!.frame()).not.toContain('too small');
		app!.resize(110, 24);
		await app!.until((frame) => expect(frame).toContain('upd/s'));
	});

	it.each([
		[53, 17],
		[60, 20],
		[80, 24],
		[100, 30],
		[160, 50],
	])('fits a %i×%i terminal and leaves its last row free', async (columns, rows) => {
		const race = raceFromArgs();
		advance(race, 150);
		await show(race, {columns, rows});
		const layout = fullLayout(columns, rows);
		// The first frame is ink-testing-library's 100 columns: wait for the one laid out for this size.
		await app!.until(() => {
			const lines = app!.lines();
			expect(lines).toHaveLength(rows - 1);
			expect(lines[layout.footer.y]).toBe(footerText(columns));
			for (const line of lines) expect([...line].length, line).toBeLessThanOrEqual(columns);
			expect(lines[0]).toMatch(/^gdrace /);
			expect(lines[1]).toMatch(/^clock iteration 150 /);
			expect(lines[layout.legend.y]).toMatch(/^1 /);
			expect(lines[layout.plot.y + layout.plot.height]).toMatch(/^ {10}└/);
			expect(lines[layout.table.y]).toMatch(/^racer +iter/);
			expect(lines[layout.table.y + 1]).toMatch(/^GD +150 /);
			expect(lines[layout.table.y + 5]).toMatch(/^optimum/);
		});
	});
});

describe('showing and hiding racers', () => {
	it('`v` shows or hides the picked racer, the tenth too, in one state with the digits', async () => {
		const race = raceFromArgs(['--optimizers', 'gd,sgd,mb-random,mb-epoch,momentum,nesterov,adagrad,rmsprop,adam,gd:lr=0.02']);
		advance(race, 50);
		await show(race, {columns: 240, rows: 40});
		const layout = fullLayout(240, 40, 10);
		const legend = (): string => app!.lines()[layout.legend.y]!;
		// From 160 columns the map stands beside the chart: `m` gives the legend the whole width.
		await app!.until(() => expect(legend()).toContain(' map RM → LSTAT'));
		app!.press('m');
		await app!.until(() => expect(legend()).toMatch(/ 10 \S\S? gd-2 /));
		expect(legend()).not.toContain('(hidden)');

		app!.press('\u001B[B'.repeat(9));
		await app!.until(() => expect(app!.lines()[layout.table.y + 10]).toMatch(/^gd-2 .*› *0\.02 /));
		app!.press('v');
		await app!.until(() => expect(legend()).toMatch(/ 10 \S\S? gd-2 \(hidden\)/));

		// ↑ picks racer 9; `v` hides it, and `9` shows it again.
		app!.press('\u001B[A');
		app!.press('v');
		await app!.until(() => expect(legend()).toMatch(/ 9 \S\S? adam \(hidden\)/));
		app!.press('9');
		await app!.until(() => expect(legend()).not.toMatch(/adam \(hidden\)/));
		expect(legend()).toMatch(/gd-2 \(hidden\)/);

		// Back down to the tenth: `v` shows it again.
		app!.press('\u001B[B');
		app!.press('v');
		await app!.until(() => expect(legend()).not.toContain('(hidden)'));
	});
});

describe('more racers than the table has rows for', () => {
	it('20 racers at 100×30: the race is drawn, the table shows the selected racer\'s page, ↑/↓ turn it', async () => {
		const specs = Array.from({length: 20}, (_, index) => `gd:lr=${(index + 1) / 100}`);
		const race = raceFromArgs(['--optimizers', specs.join(',')]);
		advance(race, 20);
		await show(race, {columns: 100, rows: 30});
		const layout = fullLayout(100, 30, 20);
		expect(layout.tableRacers).toBe(17);
		const rows = (): string[] => app!.lines().slice(layout.table.y, layout.table.y + layout.table.height);
		const names = (): string[] => rows().slice(1, -1).map((line) => line.split(' ')[0]!);
		await app!.until(() => expect(rows()[0]).toMatch(/^1–17\/20 +iter /));
		expect(names()).toEqual(['GD', ...Array.from({length: 16}, (_, index) => `gd-${index + 2}`)]);
		expect(rows().at(-1)).toMatch(/^optimum /);
		expect(app!.lines()[layout.footer.y]).toBe(footerText(100));

		// ↓ to the 17th: the same page; to the 18th: the last page, 4–20, the 18th picked.
		app!.press('\u001B[B'.repeat(16));
		await app!.until(() => expect(app!.lines()[1]).toContain('gd-17 lr 0.17'));
		expect(rows()[0]).toMatch(/^1–17\/20 /);
		app!.press('\u001B[B');
		await app!.until(() => expect(rows()[0]).toMatch(/^4–20\/20 +iter /));
		expect(names()).toEqual(Array.from({length: 17}, (_, index) => `gd-${index + 4}`));
		expect(app!.lines()[1]).toContain('gd-18 lr 0.18');
		// Each row is its racer's: gd-20's lr is 0.2, and its numbers are the engine's.
		const snapshot = race.scheduler.race.snapshot();
		const last = rows().at(-2)!;
		expect(last).toMatch(new RegExp(`^gd-20 +20 +${snapshot.racers[19]!.samples.toLocaleString('en-US')} `));
		// ↑ back to the 3rd: the first page again.
		app!.press('\u001B[A'.repeat(15));
		await app!.until(() => expect(rows()[0]).toMatch(/^1–17\/20 /));
	});
});

describe('a diverged racer', () => {
	const NOT_FINITE = /NaN|Infinity/;

	it.each([
		['GD at lr 50', ['--lr.gd', '50'], 300, ['GD']],
		['every racer at lr 5', ['--lr', '5'], 500, ['GD', 'SGD', 'MB-random', 'MB-epoch']],
		['every racer on unscaled features at the default lr', ['--scale', 'none'], 200, ['GD', 'SGD', 'MB-random', 'MB-epoch']],
	])('%s: the legend and the table say "diverged", no NaN or Infinity in any view', async (_name, argv, units, diverged) => {
		const race = raceFromArgs(argv);
		advance(race, units);
		const snapshot = race.scheduler.race.snapshot();
		const labels: Record<string, string> = {gd: 'GD', sgd: 'SGD', 'mb-random': 'MB-random', 'mb-epoch': 'MB-epoch'};
		expect(snapshot.racers.filter((racer) => racer.state === 'diverged').map((racer) => labels[racer.id])).toEqual(diverged);
		for (const color of [false, true]) {
			await show(race, {color});
			const layout = fullLayout(100, 24);
			for (const key of ['', 'l', 'g', '1']) {
				if (key !== '') {
					// The race is paused: only the key changes the frame.
					const before = app!.frame();
					app!.press(key);
					await app!.until((frame) => expect(frame).not.toBe(before));
				}
				const frame = app!.frame();
				expect(frame).not.toMatch(NOT_FINITE);
				const lines = app!.lines();
				const legend = lines[layout.legend.y]!;
				// (Once, not twice, when four "diverged" leave the line short of room.)
				for (const name of diverged) expect(legend).toMatch(new RegExp(`\\d ××? ${name} diverged`));
				if (key === '1') expect(legend).toMatch(/1 ××? GD diverged \(hidden\)/);
				snapshot.racers.forEach((racer, slot) => {
					const cells = tableCells(lines[layout.table.y + 1 + slot]!, layout.columns);
					const status = cells[layout.columns.findIndex((column) => column.id === 'status')]!.trim();
					if (racer.diverged === null) {
						expect(status).not.toContain('diverged');
					} else {
						expect(status).toBe(`diverged @${coordinateText(racer.diverged, 'iteration', 1)}`);
						// mb-epoch's fractional iterations show as such, never rounded to a misleading 0 (cut to hundredths, as the iterations column).
						const shown = Number(status.slice('diverged @'.length).replace(/,/g, ''));
						expect(racer.diverged.iteration - shown).toBeGreaterThanOrEqual(0);
						expect(racer.diverged.iteration - shown).toBeLessThan(0.01);
						// Its numbers are the last finite ones, as numbers.
						for (const id of ['iterations', 'weight', 'bias', 'loss'] as const) {
							const text = cells[layout.columns.findIndex((column) => column.id === id)]!.trim().replace(/,/g, '');
							expect(Number.isFinite(Number(text)), `${racer.id} ${id} ${text}`).toBe(true);
						}
					}
				});
			}
			app!.unmount();
			app = undefined;
		}
	});

	it('with every racer diverged the race is over: the header says "diverged" where they stopped (issue 10 item 4)', async () => {
		const race = raceFromArgs(['--lr', '5']);
		advance(race, 100);
		expect(race.scheduler.race.over).toBe(true);
		await show(race);
		expect(app!.lines()[0]).toMatch(/ diverged$/);
		// They stopped at 3, 3, 3 and 3/17 iterations (the next update exploded): not at 100.
		expect(race.scheduler.race.racers.map((r) => r.position('iteration'))).toEqual([3, 3, 3, 3 / 17]);
		expect(clockLine(app!)).toMatch(/^clock iteration 3 \/ 5,000 · /);
		expect(app!.lines()[2]!.match(/diverged/g)).toHaveLength(4);
		expect(app!.frame()).not.toMatch(/NaN|Infinity/);
		const lr50 = raceFromArgs(['--lr', '50']);
		advance(lr50, 100);
		app!.unmount();
		await show(lr50);
		expect(app!.lines()[0]).toMatch(/ diverged$/);
		expect(clockLine(app!)).toMatch(/^clock iteration 1 \/ 5,000 · /);
	});
});
