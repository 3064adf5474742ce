/**
 * "Terminal resized rapidly (dozens of resizes per second, down to 1×1 and back) for 10 seconds:
 * no crash, and the final frame is correct."
 */
import {afterEach, describe, expect, it} from 'vitest';
import {disposeAll, spawnGdrace} from '../e2e/pty.js';
import type {TerminalSession} from '../e2e/pty.js';
import {expectTerminalRestored, sleep} from './helpers.js';

afterEach(disposeAll);

/** Resizes in the storm: about 10 s of them at one every 20 ms (a count, not a time, so that a loaded machine does the same storm, only slower). */
const RESIZES = 500;
const EVERY_MS = 20;

/** Sizes the storm picks from: the degenerate ones of the issue, tiny, odd, huge, and the usual. */
const SIZES: readonly (readonly [number, number])[] = [
	[1, 1],
	[2, 2],
	[10, 5],
	[200, 60],
	[1, 40],
	[250, 1],
	[40, 12],
	[80, 24],
	[63, 17],
	[120, 45],
	[100, 30],
];

/**
 * The rows of a 100×30 dashboard that do not change while the race runs, by what they start with.
 * (Trailing spaces are dropped: the frame writer may blank a cell by writing a space.)
 */
function layout(screen: readonly string[]): Record<string, number> {
	const find = (pattern: RegExp): number => screen.findIndex((line) => pattern.test(line.trimEnd()));
	return {
		header: find(/^gdrace {2}boston\.csv · 506 rows · RM, LSTAT → MEDV · minmax +(?:running|paused|done)$/),
		clock: find(/^clock iteration [\d,]+ \/ 1,000,000 · speed 256 it\/s · GD lr 0\.01 · seed 2023 · elapsed /),
		legend: find(/^1 ── GD {2}2 ── SGD {2}3 ── MB-random {2}4 ── MB-epoch +╌╌ L\* 30\.5125 +loss(?: \(log scale\))?$/),
		xAxis: find(/^ {10}└─+┬/),
		tableHeader: find(/^racer +iter +samples +RM +LSTAT +bias +loss +gap +status/),
		gd: find(/^GD +[\d,]+ /),
		optimum: find(/^optimum +26\.5897 +-23\.2791 +15\.6730 +30\.512469 +L\*$/),
		footer: find(/^space pause {2}s step {2}\+ faster/),
	};
}

/** Every row between the legend and the x-axis is the chart: a y label with ┤, or │. */
function chartRowsIntact(screen: readonly string[], legend: number, xAxis: number): boolean {
	for (let row = legend + 1; row < xAxis; row++) {
		if (!/^(?: {10}│| *\S+ ┤)/.test(screen[row] ?? '')) return false;
	}
	return true;
}

/** The whole dashboard for 100×30 is on screen, every part where it belongs. */
function fullDashboard(term: TerminalSession, expected: Record<string, number>): boolean {
	const screen = term.screen();
	const found = layout(screen);
	return (
		JSON.stringify(found) === JSON.stringify(expected) &&
		chartRowsIntact(screen, found['legend'] ?? 0, found['xAxis'] ?? 0) &&
		// One row is left free at the bottom (HEADROOM) and nothing stale is there.
		screen[29]?.trim() === '' &&
		!screen.some((line) => line.includes('too small'))
	);
}

describe('a resize storm', () => {
	it('dozens of resizes per second for 10 s, down to 1×1 and back: no crash, the final frame is right', async () => {
		const term = spawnGdrace(['--epochs', '1000000'], {cols: 100, rows: 30});
		await term.waitFor(/^GD +[\d,]+ /m, {timeout: 15_000});
		const expected = layout(term.screen());
		for (const [part, row] of Object.entries(expected)) expect(row, `${part} row in\n${term.text()}`).toBeGreaterThanOrEqual(0);
		expect(fullDashboard(term, expected)).toBe(true);

		// A fixed sequence (a small LCG), so that a failure can be replayed.
		let seed = 7;
		const pick = (): readonly [number, number] => {
			seed = (seed * 48271) % 2147483647;
			return SIZES[seed % SIZES.length] as readonly [number, number];
		};
		const smallest = {cols: Infinity, rows: Infinity};
		const start = Date.now();
		for (let resizes = 0; resizes < RESIZES; resizes++) {
			const [cols, rows] = pick();
			term.resize(cols, rows);
			smallest.cols = Math.min(smallest.cols, cols);
			smallest.rows = Math.min(smallest.rows, rows);
			expect(term.exit, `the program ended during the storm:\n${term.raw().slice(-2000)}`).toBeUndefined();
			await sleep(EVERY_MS);
		}
		const seconds = (Date.now() - start) / 1000;
		console.log(`resize storm: ${RESIZES} resizes in ${seconds.toFixed(1)} s (${(RESIZES / seconds).toFixed(0)}/s)`);
		expect(smallest).toEqual({cols: 1, rows: 1});

		// Too small to draw: the screen says so instead of a broken layout.
		term.resize(30, 6);
		// (Until gdrace redraws, the emulator may still show the notice for the storm's last size.)
		await term.waitFor((t) => t.screen()[2]?.trimEnd() === 'have 30×6', {timeout: 10_000});
		const small = term.screen().map((line) => line.trimEnd());
		expect(small[0]).toBe('terminal too small');
		expect(small[1]).toMatch(/^need \d+×\d+$/);
		expect(small.slice(3).join('')).toBe('');

		// Back to 100×30: the full dashboard, every part in place, drawn within the new size.
		const mark = term.mark();
		term.resize(100, 30);
		await term.waitFor((t) => fullDashboard(t, expected), {timeout: 10_000});
		expect(term.exit).toBeUndefined();
		// Every cursor move since the last resize stays inside 100×30.
		const moves = [...term.raw(mark).matchAll(/\u001B\[(\d+);(\d+)H/g)].map((m) => [Number(m[1]), Number(m[2])] as const);
		expect(moves.length).toBeGreaterThan(0);
		expect(moves.filter(([row, col]) => row > 30 || col > 100)).toEqual([]);
		// No error surfaced on the terminal at any time.
		expect(term.raw()).not.toMatch(/internal error|Error:|\n\s+at /);

		term.press('q');
		expect(await term.waitForExit(10_000)).toEqual({exitCode: 0, signal: null});
		expectTerminalRestored(term);
		expect(term.scrollback().join('\n')).toMatch(/^Results +gd +sgd +mb-random +mb-epoch +optimum$/m);
	}, 120_000);
});
