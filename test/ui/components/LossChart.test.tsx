/**
 * The chart on the live screen, rendered as text (no frame writer): the legend names every racer
 * and L*, `l` and `g` change the y-axis (linear, log, gap), and `1`–`4` hide and show racers.
 */
import {afterEach, describe, expect, it} from 'vitest';
import {planLegend, sharedChart, Y_CAPTIONS} from '../../../src/ui/components/LossChart.js';
import {buildChart, GLYPH_SETS, LOSS_STAR_GLYPH} from '../../../src/ui/chart.js';
import {formatSignificant} from '../../../src/ui/format.js';
import type {FullLayout} from '../../../src/ui/layout.js';
import {advance, fullLayout, raceFromArgs, renderApp} from './render-app.js';
import type {RenderedApp, TestRace} from './render-app.js';

let app: RenderedApp | undefined;
afterEach(() => {
	app?.unmount();
	app = undefined;
});

const LAYOUT = fullLayout(100, 24);

/**
 * The book race 300 iterations in, paused, on screen at 100×24. Its losses span more than a
 * decade (600 down to L* = 30.5), so it opens in log scale; with `linear`, `l` makes it linear.
 */
async function bookRace(linear = false): Promise<{race: TestRace; app: RenderedApp}> {
	const race = raceFromArgs();
	advance(race, 300);
	app = renderApp(race, {columns: 100, rows: 24});
	await app.until((frame) => expect(frame).toContain('optimum'));
	if (linear) {
		expect(app.lines()[LAYOUT.legend.y]).toMatch(/ loss \(log scale\)$/);
		app.press('l');
		await app.until((frame) => expect(frame.split('\n')[LAYOUT.legend.y]).toMatch(/ loss$/));
	}
	return {race, app};
}

type Label = {readonly row: number; readonly text: string};

/** The y labels beside the plot, top to bottom, with their plot rows. */
function yLabels(lines: readonly string[], layout: FullLayout = LAYOUT): Label[] {
	const labels: Label[] = [];
	for (let row = 0; row < layout.plot.height; row++) {
		const text = (lines[layout.plot.y + row] ?? '').slice(0, layout.labels.width).trim();
		if (text !== '') labels.push({row, text});
	}
	return labels;
}

/** The plot's rows right of the axis column (curves and the L* line). */
function plotRows(lines: readonly string[], layout: FullLayout = LAYOUT): string[] {
	return lines.slice(layout.plot.y, layout.plot.y + layout.plot.height).map((line) => line.slice(layout.plot.x + 1));
}

/** The plot row of the L* line, or -1. */
function lossStarRow(lines: readonly string[]): number {
	return plotRows(lines).findIndex((row) => row.includes(LOSS_STAR_GLYPH.repeat(10)));
}

/** Where `value` falls between the first and the last label, in rows, on a linear or log10 axis. */
function rowOf(value: number, labels: readonly Label[], map: (value: number) => number): number {
	const first = labels[0]!;
	const last = labels.at(-1)!;
	const top = map(Number(first.text));
	const bottom = map(Number(last.text.replace(/^≤/, '')));
	return first.row + ((top - map(value)) / (top - bottom)) * (last.row - first.row);
}

/** Glyphs only racer `slot`'s curve uses when colors are off (its corners and lines, not the shared '│'). */
function curveGlyphs(slot: number): string[] {
	return [...GLYPH_SETS[slot]!].filter((glyph) => glyph !== '│' && glyph !== '|');
}

describe('the legend', () => {
	it('names every racer in order with its number, then L*', async () => {
		const {race, app} = await bookRace();
		const legend = app.lines()[LAYOUT.legend.y]!;
		const names = ['GD', 'SGD', 'MB-random', 'MB-epoch'];
		let from = 0;
		names.forEach((name, slot) => {
			const at = legend.indexOf(`${slot + 1} `, from);
			expect(at).toBeGreaterThanOrEqual(from);
			expect(legend.slice(at)).toMatch(new RegExp(`^${slot + 1} \\S\\S ${name}(?= |$)`));
			from = at + name.length;
		});
		const lossStar = race.scheduler.race.snapshot().optimum.loss;
		expect(legend).toContain(`${LOSS_STAR_GLYPH}${LOSS_STAR_GLYPH} L* ${formatSignificant(lossStar, 12, 6).trim()}`);
		expect(legend).toContain('L* 30.5125');
		expect(legend.indexOf('L*')).toBeGreaterThan(legend.indexOf('MB-epoch'));
		expect(legend).not.toContain('diverged');
		expect(legend).not.toContain('hidden');
	});
});

describe('planLegend', () => {
	const names = ['GD', 'SGD', 'MB-random', 'MB-epoch'];
	const entry = (slot: number, glyphs: 1 | 2): string => `${slot + 1} ${'─'.repeat(glyphs)} ${names[slot]}`;
	const star = '   ╌╌ L* 30.5125';
	const line = (plan: ReturnType<typeof planLegend>, width: number): string => {
		const left = plan.entries.join(plan.separator) + (plan.star ? star : '');
		return left + plan.caption.padStart(width - left.length);
	};

	it('always says what the y-axis shows, from the minimum width up, whole', () => {
		for (const view of ['linear', 'log', 'gap'] as const) {
			for (let width = 53; width <= 140; width++) {
				const plan = planLegend(width, entry, 4, view, star);
				expect(Y_CAPTIONS[view]).toContain(plan.caption);
				const text = line(plan, width);
				expect(text.length, `${view} ${width}: ${text}`).toBe(width);
				expect(text).toMatch(/^1 ──? GD {1,2}2 ──? SGD {1,2}3 ──? MB-random {1,2}4 ──? MB-epoch/);
			}
		}
	});

	it('tells the gap view from the loss view at 60 columns', () => {
		expect(line(planLegend(60, entry, 4, 'gap', star), 60)).toBe('1 ── GD  2 ── SGD  3 ── MB-random  4 ── MB-epoch   gap (log)');
		expect(line(planLegend(56, entry, 4, 'log', star), 56)).toBe('1 ─ GD  2 ─ SGD  3 ─ MB-random  4 ─ MB-epoch  loss (log)');
		expect(line(planLegend(60, entry, 4, 'log', star), 60)).toBe('1 ── GD  2 ── SGD  3 ── MB-random  4 ── MB-epoch  loss (log)');
		expect(line(planLegend(100, entry, 4, 'gap', star), 100)).toBe(
			'1 ── GD  2 ── SGD  3 ── MB-random  4 ── MB-epoch   ╌╌ L* 30.5125               loss − L* (log scale)',
		);
	});
});

describe('the y-axis', () => {
	it('opens in log scale (losses over a decade); `l` makes it linear: evenly spaced labels, the L* line where L* falls', async () => {
		const {race, app} = await bookRace(true);
		const lines = app.lines();
		const labels = yLabels(lines);
		expect(labels.length).toBeGreaterThanOrEqual(3);
		const values = labels.map((label) => Number(label.text));
		for (const value of values) expect(Number.isFinite(value)).toBe(true);
		// Top to bottom, falling by the same step.
		const step = values[0]! - values[1]!;
		expect(step).toBeGreaterThan(0);
		values.forEach((value, index) => expect(value).toBeCloseTo(values[0]! - index * step, 9));
		const lossStar = race.scheduler.race.snapshot().optimum.loss;
		expect(values.at(-1)).toBeLessThanOrEqual(lossStar);
		// The losses so far (600 down to 30) are within the labels.
		expect(values[0]).toBeGreaterThanOrEqual(Math.max(...race.scheduler.race.racers.map((racer) => racer.initialLoss)) - step);
		expect(Math.abs(lossStarRow(lines) - rowOf(lossStar, labels, (v) => v))).toBeLessThanOrEqual(1);
		expect(lines[LAYOUT.legend.y]).toMatch(/ loss$/);
	});

	it('`l` switches to a log scale: labels a power of ten apart, L* placed on it; `l` again switches back', async () => {
		const {race, app} = await bookRace(true);
		const linear = yLabels(app.lines());
		app.press('l');
		await app.until((frame) => expect(frame).toContain('loss (log scale)'));
		const lines = app.lines();
		const labels = yLabels(lines);
		expect(labels).not.toEqual(linear);
		expect(labels.length).toBeGreaterThanOrEqual(2);
		const decades = labels.map((label) => Math.log10(Number(label.text)));
		for (const decade of decades) expect(decade).toBeCloseTo(Math.round(decade), 9);
		const step = decades[0]! - decades[1]!;
		expect(step).toBeGreaterThanOrEqual(1);
		decades.forEach((decade, index) => expect(decade).toBeCloseTo(decades[0]! - index * step, 9));
		const lossStar = race.scheduler.race.snapshot().optimum.loss;
		const row = lossStarRow(lines);
		expect(row).toBeGreaterThanOrEqual(0);
		expect(Math.abs(row - rowOf(lossStar, labels, Math.log10))).toBeLessThanOrEqual(1);

		app.press('l');
		await app.until((frame) => expect(frame).not.toContain('log scale'));
		expect(yLabels(app.lines())).toEqual(linear);
	});

	it('`g` plots the gap to L* on a log scale: no L* line, the bottom label is "≤"; `g` again goes back', async () => {
		const {app} = await bookRace(true);
		const linear = yLabels(app.lines());
		app.press('g');
		await app.until((frame) => expect(frame).toContain('loss − L* (log scale)'));
		const lines = app.lines();
		const labels = yLabels(lines);
		expect(labels.at(-1)!.text.startsWith('≤')).toBe(true);
		expect(labels.at(-1)!.row).toBe(LAYOUT.plot.height - 1);
		for (const label of labels) {
			const decade = Math.log10(Number(label.text.replace(/^≤/, '')));
			expect(decade).toBeCloseTo(Math.round(decade), 9);
		}
		expect(lossStarRow(lines)).toBe(-1);
		expect(plotRows(lines).join('')).not.toContain(LOSS_STAR_GLYPH);
		// The gap view is always log: `l` there flips nothing, so leaving it shows the linear loss again.
		app.press('l');
		app.press('g');
		await app.until((frame) => expect(frame).not.toContain('log scale'));
		expect(app.lines()[LAYOUT.legend.y]).toMatch(/ loss$/);
		expect(yLabels(app.lines())).toEqual(linear);
	});
});

describe('`1`–`4`', () => {
	it('hide and show racers in the chart; the legend says "(hidden)" and the table keeps every racer', async () => {
		const {app} = await bookRace();
		const plot = (): string => plotRows(app.lines()).join('\n');
		const legend = (): string => app.lines()[LAYOUT.legend.y]!;
		// GD is drawn on top of the others: its curve shows.
		expect(curveGlyphs(0).some((glyph) => plot().includes(glyph))).toBe(true);

		app.press('1');
		await app.until(() => expect(legend()).toContain('1 ── GD (hidden)'));
		expect(curveGlyphs(0).some((glyph) => plot().includes(glyph))).toBe(false);
		// SGD is on top now.
		expect(curveGlyphs(1).some((glyph) => plot().includes(glyph))).toBe(true);

		app.press('2');
		await app.until(() => expect(legend()).toContain('2 ━━ SGD (hidden)'));
		app.press('3');
		await app.until(() => expect(legend()).toContain('3 ══ MB-random (hidden)'));
		app.press('4');
		await app.until(() => expect(legend()).toContain('4 -- MB-epoch (hidden)'));
		// Nothing left but the axis and the L* line.
		expect(plot().replace(new RegExp(`[ \\n${LOSS_STAR_GLYPH}]`, 'g'), '')).toBe('');
		expect(legend().match(/\(hidden\)/g)).toHaveLength(4);
		for (const name of ['GD ', 'SGD ', 'MB-random ', 'MB-epoch ']) {
			expect(app.lines().some((line) => line.startsWith(name))).toBe(true);
		}

		app.press('1');
		await app.until(() => expect(legend()).not.toContain('1 ── GD (hidden)'));
		expect(legend()).toMatch(/^1 ── GD {2}2/);
		expect(curveGlyphs(0).some((glyph) => plot().includes(glyph))).toBe(true);
		expect(legend().match(/\(hidden\)/g)).toHaveLength(3);
		// A key with no racer behind it changes nothing: once `1` (typed after it) hid GD again, all four are hidden.
		app.press('9');
		app.press('1');
		await app.until(() => expect(legend()).toContain('1 ── GD (hidden)'));
		expect(legend().match(/\(hidden\)/g)).toHaveLength(4);
	});
});

describe('sharedChart (the viewers of one shared race build each chart once)', () => {
	const chart = (tag: number) => buildChart({series: [], lossStar: tag, view: 'linear', clock: 'iteration', dataRows: 506, epochs: 100, width: 30, height: 5});

	it('gives every screen with the same inputs (by identity) the one chart, and builds again for any other input', () => {
		const racers: unknown[] = [];
		const hidden = new Set<number>();
		let builds = 0;
		const get = (inputs: readonly unknown[]) =>
			sharedChart(inputs, () => {
				builds++;
				return chart(builds);
			});
		const first = get([racers, hidden, 100, 7]);
		expect(get([racers, hidden, 100, 7])).toBe(first);
		expect(builds).toBe(1);
		// Another frame, size, set of hidden racers (an equal one included) or race: another chart.
		expect(get([racers, hidden, 100, 8])).not.toBe(first);
		expect(get([racers, hidden, 80, 7])).not.toBe(first);
		expect(get([racers, new Set<number>(), 100, 7])).not.toBe(first);
		expect(get([[], hidden, 100, 7])).not.toBe(first);
		expect(builds).toBe(5);
		// A few are kept: the oldest goes.
		expect(get([racers, hidden, 100, 8])).toBe(get([racers, hidden, 100, 8]));
		expect(builds).toBe(5);
		expect(get([racers, hidden, 100, 7])).not.toBe(first);
		expect(builds).toBe(6);
	});
});
