import {beforeEach, describe, expect, it, vi} from 'vitest';
import {Race} from '../../src/engine/race.js';
import {TIME_UNIT_MS} from '../../src/engine/types.js';
import {buildChart, DIVERGED_GLYPH, GLYPH_SETS, legendGlyph, LOSS_STAR_GLYPH, SERIES_COLORS, seriesColor} from '../../src/ui/chart.js';
import type {ChartHistory, ChartModel, ChartOptions, ChartSeries} from '../../src/ui/chart.js';
import {codePointWidth} from '../../src/ui/terminal/cells.js';
import {bookConfig} from '../engine/fixtures.js';

// Every call to asciichart is recorded (and still drawn), so the tests can check what it received.
const recorded = vi.hoisted(() => ({calls: [] as unknown[][]}));
vi.mock('asciichart', async (importOriginal) => {
	const original = await importOriginal<typeof import('asciichart')>();
	return {
		...original,
		plot: (series: number[], config: object) => {
			recorded.calls.push([series.slice(), config]);
			return original.plot(series, config);
		},
	};
});

beforeEach(() => {
	recorded.calls.length = 0;
});

/** A history from losses at iterations 0, 1, 2, … (samples = iteration × 10, ms = iteration × TIME_UNIT_MS). */
function historyOf(losses: ArrayLike<number>, iterations?: ArrayLike<number>): ChartHistory {
	const n = losses.length;
	const iteration = Float64Array.from({length: n}, (_, i) => iterations?.[i] ?? i);
	return {
		iteration,
		samples: iteration.map((v) => v * 10),
		ms: iteration.map((v) => v * TIME_UNIT_MS),
		loss: Float64Array.from(losses),
	};
}

function chart(series: readonly ChartSeries[], overrides: Partial<ChartOptions> = {}): ChartModel {
	return buildChart({series, lossStar: 1, view: 'linear', clock: 'iteration', dataRows: 10, epochs: 100, width: 41, height: 11, ...overrides});
}

function rowText(model: ChartModel, row: number): string {
	const {width, chars} = model.canvas;
	return String.fromCharCode(...chars.subarray(row * width, (row + 1) * width));
}

/** Cells drawn in a palette entry. */
function cellsIn(model: ChartModel, paletteIndex: number): number {
	return model.canvas.styles.filter((style, i) => style === paletteIndex && model.canvas.chars[i] !== 0x20).length;
}

/** Checks every asciichart call so far: a non-empty array of finite numbers within the plot's rows. */
function expectSafeCalls(): void {
	for (const [series, config] of recorded.calls) {
		expect(Array.isArray(series)).toBe(true);
		const values = series as unknown[];
		expect(values.length).toBeGreaterThan(0);
		for (const value of values) {
			expect(typeof value).toBe('number');
			expect(Number.isFinite(value)).toBe(true);
		}
		const {min, max} = config as {min: number; max: number};
		expect(Math.min(...(values as number[]))).toBeGreaterThanOrEqual(min);
		expect(Math.max(...(values as number[]))).toBeLessThanOrEqual(max);
	}
}

const decreasing = Array.from({length: 101}, (_, i) => 1 + 9 * Math.exp(-i / 10));

describe('buildChart: what reaches asciichart', () => {
	it('never passes NaN, ±Infinity, undefined or an empty series, whatever the history holds', () => {
		const bad = [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY];
		const histories: ChartHistory[] = [
			historyOf([]),
			historyOf([Number.NaN]),
			historyOf([5]),
			historyOf([3, Number.NaN, 2, Number.POSITIVE_INFINITY, 1, Number.NEGATIVE_INFINITY, 0.5]),
			historyOf([0, 0, 0]),
			historyOf([-1, 2, 1e308, 1.7e308]),
			historyOf([4, 3, 2], [0, Number.NaN, 1e9]),
			{iteration: [0, 1], samples: [], ms: [], loss: [2, 1]},
		];
		for (const view of ['linear', 'log', 'gap'] as const) {
			for (const clock of ['iteration', 'samples', 'time'] as const) {
				for (const lossStar of [1, 0, ...bad]) {
					for (const [width, height] of [
						[41, 11],
						[2, 1],
						[1, 1],
						[0, 0],
						[3, 2],
					] as const) {
						for (const epochs of [100, 0, Number.NaN]) {
							const series = histories.map((history, slot) => ({id: `r${slot}`, slot, history}));
							const model = chart(series, {view, clock, lossStar, width, height, epochs, dataRows: 0});
							expect(model.yLabels).toHaveLength(height);
							expect(model.canvas.chars).toHaveLength(width * height);
							for (const label of model.yLabels) expect(label).not.toMatch(/NaN|Infinity|undefined/);
							expect(model.caption).not.toMatch(/NaN|Infinity|undefined/);
						}
					}
				}
			}
		}
		expect(recorded.calls.length).toBeGreaterThan(100);
		expectSafeCalls();
	});

	it('draws each series with one call, all at the same height', () => {
		const series = [0, 1, 2].map((slot) => ({id: `r${slot}`, slot, history: historyOf(decreasing.map((v) => v + slot))}));
		chart(series);
		expect(recorded.calls).toHaveLength(3);
		const heights = recorded.calls.map(([, config]) => (config as {height: number}).height);
		expect(new Set(heights)).toEqual(new Set([10]));
		expectSafeCalls();
	});

	it('draws a hidden series not at all', () => {
		const model = chart([
			{id: 'a', slot: 0, history: historyOf(decreasing)},
			{id: 'b', slot: 1, history: historyOf(decreasing.map((v) => v * 2)), hidden: true},
		]);
		expect(recorded.calls).toHaveLength(1);
		expect(cellsIn(model, 2 + 0)).toBeGreaterThan(0);
		expect(cellsIn(model, 2 + 1)).toBe(0);
		// Nor does it stretch the y range: the visible series tops out at 10.
		expect(model.yMax).toBe(10);
	});
});

describe('buildChart: fitting a history to the columns', () => {
	it('keeps a single spike among 100,000 points (also on the careful path taken when a value is not finite)', () => {
		for (const careful of [false, true]) {
			const losses = new Float64Array(100_000).fill(1);
			losses[50_000] = 100;
			if (careful) losses[10] = Number.NaN;
			const model = chart([{id: 'sgd', slot: 0, history: historyOf(losses)}], {epochs: 100_000, lossStar: 1});
			expect(model.yMax).toBe(100);
			// The top row holds the spike, near the middle column.
			const top = rowText(model, 0);
			const drawn = [...top].map((c, x) => (c !== ' ' && x > 0 ? x : -1)).filter((x) => x > 0);
			expect(drawn.length).toBeGreaterThan(0);
			for (const x of drawn) expect(Math.abs(x - 20)).toBeLessThanOrEqual(1);
		}
	});

	it('keeps a single dip among 100,000 points', () => {
		const losses = new Float64Array(100_000).fill(100);
		losses[70_000] = 1;
		const model = chart([{id: 'sgd', slot: 0, history: historyOf(losses)}], {epochs: 100_000, lossStar: 50});
		expect(model.yMin).toBe(0);
		// 1 is 0.1 of a 10-row range above 0: the curve reaches row 10 − round(1) = 9, near column 28.
		const row = rowText(model, 9);
		expect([...row].some((c, x) => x > 0 && c !== ' ' && c !== LOSS_STAR_GLYPH && Math.abs(x - 28) <= 1)).toBe(true);
	});

	it('maps x by the clock onto a fixed axis: half the race fills half the columns', () => {
		const losses = Array.from({length: 51}, () => 5);
		for (const clock of ['iteration', 'samples', 'time'] as const) {
			// historyOf gives samples = 10 × iteration and ms = iteration × TIME_UNIT_MS: with N = 10 every clock reads 0 … 50.
			const model = chart([{id: 'gd', slot: 0, history: historyOf(losses)}], {clock, dataRows: 10, epochs: 100});
			const row = rowText(model, model.canvas.height - 1 - Math.round(((5 - model.yMin) / (model.yMax - model.yMin)) * 10));
			expect(row.slice(1, 21)).toBe('─'.repeat(20));
			expect(row.slice(21).trim()).toBe('');
		}
	});

	it('leaves out points past the axis’s end (after a clock change)', () => {
		const model = chart([{id: 'gd', slot: 0, history: historyOf([9, 8, 7, 1000], [0, 50, 100, 150])}]);
		expect(model.yMax).toBe(10);
	});

	it('ends a diverged racer’s curve with a ×', () => {
		const model = chart([{id: 'gd', slot: 0, history: historyOf([2, 3, 5, 9], [0, 10, 20, 30]), diverged: true}]);
		// x = 30 of 100 over 40 columns: column 12; 9 of [0, 10] over 10 rows: row 1.
		expect(rowText(model, 1)[12]).toBe(DIVERGED_GLYPH);
	});

	it('scales to the racers still in the race: a diverged curve leaves through the top', () => {
		for (const view of ['linear', 'log'] as const) {
			const model = chart(
				[
					{id: 'gd', slot: 0, history: historyOf([5, 4, 3, 2, 1])},
					{id: 'sgd', slot: 1, history: historyOf([5, 50, 1e6, 1e12], [0, 10, 20, 30]), diverged: true},
				],
				{view},
			);
			// The range is the live racer's (and L*'s), not the diverged one's 1e12.
			expect(view === 'linear' ? model.yMax : 10 ** model.yMax).toBeLessThanOrEqual(10);
			// Its × sits on the top row (x = 30 of 100: column 12), clamped; asciichart got rows in range.
			expect(rowText(model, 0)[12]).toBe(DIVERGED_GLYPH);
			expectSafeCalls();
		}
		// When every visible racer diverged, the range is theirs.
		const alone = chart([{id: 'sgd', slot: 1, history: historyOf([8, 50, 1e6, 1e12], [0, 1, 2, 3]), diverged: true}]);
		expect(alone.yMax).toBeGreaterThanOrEqual(1e12);
	});

	it('draws the first series on top where curves overlap', () => {
		const model = chart([
			{id: 'a', slot: 0, history: historyOf(decreasing)},
			{id: 'b', slot: 1, history: historyOf(decreasing)},
		]);
		expect(cellsIn(model, 2 + 0)).toBeGreaterThan(0);
		expect(cellsIn(model, 2 + 1)).toBe(0);
	});
});

describe('buildChart: the y-axis', () => {
	const race = new Race(bookConfig());
	race.advance(1000);
	const snapshot = race.snapshot();
	const series = (): ChartSeries[] => race.racers.map((racer, slot) => ({id: racer.id, slot, history: racer.history.columns()}));
	const book = (view: ChartOptions['view']) =>
		buildChart({series: series(), lossStar: snapshot.optimum.loss, view, clock: 'iteration', dataRows: 506, epochs: 5000, width: 90, height: 17});

	it('labels every plot row, in the label width, with the ends labelled', () => {
		const model = book('linear');
		expect(model.yLabels).toHaveLength(17);
		for (const label of model.yLabels) expect(label).toHaveLength(10);
		expect(model.yLabels[0]!.trim()).not.toBe('');
		expect(model.yLabels[16]!.trim()).not.toBe('');
		// The axis column marks labelled rows with ┤.
		model.yLabels.forEach((label, row) => expect(rowText(model, row)[0]).toBe(label.trim() === '' ? '│' : '┤'));
	});

	it('rounds the linear range out to nice ticks that include L* and the first loss', () => {
		const model = book('linear');
		// The book race starts at a loss of about 592 (all weights 0, bias 1): 0 … 600 by 100.
		expect([model.yMin, model.yMax]).toEqual([0, 600]);
		expect(model.yLabels.map((label) => label.trim()).filter((label) => label !== '')).toEqual(['600', '500', '400', '300', '200', '100', '0']);
	});

	it('shows other labels in the log and gap views of the same data', () => {
		const labels = (['linear', 'log', 'gap'] as const).map((view) => book(view).yLabels.join('|'));
		expect(new Set(labels).size).toBe(3);
		const log = book('log');
		// Whole decades around 30.5 … 592: 10 … 1000.
		expect([log.yMin, log.yMax]).toEqual([1, 3]);
		expect(log.yLabels[0]!.trim()).toBe('1000');
		expect(log.yLabels[16]!.trim()).toBe('10');
		const gap = book('gap');
		expect(Number.isInteger(gap.yMin) && Number.isInteger(gap.yMax)).toBe(true);
		expect(gap.yLabels[16]!.trim().startsWith('≤')).toBe(true);
	});

	it('keeps the same y range and labels across small changes of the data', () => {
		const before = book('linear');
		const beforeLog = book('log');
		race.advance(10);
		const after = book('linear');
		expect(after.yLabels).toEqual(before.yLabels);
		expect(book('log').yLabels).toEqual(beforeLog.yLabels);
	});

	it('draws L* as a dim dashed line on its row where no curve is, and not in the gap view', () => {
		// Losses 10 → 1 over a range of 0 … 10 in 11 rows: L* = 5 is row 5.
		const model = chart([{id: 'gd', slot: 0, history: historyOf(decreasing)}], {lossStar: 5});
		expect(model.lossStarRow).toBe(5);
		const row = rowText(model, 5);
		// The curve crosses the line in a few cells (╰─╮); the line fills the rest.
		expect(row.slice(1).replaceAll(LOSS_STAR_GLYPH, '').length).toBeLessThanOrEqual(4);
		expect(row.slice(1).replaceAll(LOSS_STAR_GLYPH, '')).toMatch(/^[╰─╮╯╭│]+$/);
		expect(model.canvas.palette[model.canvas.styles[5 * 41 + 30]!]).toEqual({dim: true});
		const gap = chart([{id: 'gd', slot: 0, history: historyOf(decreasing)}], {lossStar: 0.5, view: 'gap'});
		expect(gap.lossStarRow).toBe(-1);
		expect([...gap.canvas.chars].includes(LOSS_STAR_GLYPH.charCodeAt(0))).toBe(false);
	});

	it('plots a gap of zero at the floor, the bottom row', () => {
		const model = chart([{id: 'gd', slot: 0, history: historyOf([11, 3, 1.5, 1, 1, 1])}], {lossStar: 1, view: 'gap', epochs: 5});
		// The smallest positive gap is 0.5: the range starts at its decade, 0.1, and gaps of 0 plot there.
		expect(model.yMin).toBe(-1);
		expect(rowText(model, 10).slice(30).trim()).not.toBe('');
		expect(model.caption).toContain('L*');
	});
});

describe('buildChart: the x-axis', () => {
	const losses = historyOf(decreasing);
	const axis = (clock: ChartOptions['clock'], epochs: number) =>
		chart([{id: 'gd', slot: 0, history: losses}], {clock, epochs, width: 61, dataRows: 506});

	it('labels the axis in the clock’s unit, from 0 to the race’s end', () => {
		const iterations = axis('iteration', 5000);
		expect(iterations.xUnit).toBe('iterations');
		expect(iterations.xLabels).toHaveLength(61);
		expect(iterations.xLabels.startsWith('0 ')).toBe(true);
		expect(iterations.xLabels.trimEnd().endsWith(' 5k')).toBe(true);
		expect(iterations.xLabels).toContain(' 1k ');
		expect(axis('samples', 5000).xUnit).toBe('passes');
		const time = axis('time', 5000);
		expect(time.xUnit).toBe('ms');
		// 5000 units of 0.1 ms.
		expect(time.xLabels.trimEnd().endsWith(' 500')).toBe(true);
	});

	it('puts a tick under every label', () => {
		const model = axis('iteration', 5000);
		expect(model.xTicks).toHaveLength(61);
		expect(model.xTicks[0]).toBe('└');
		for (const match of model.xLabels.matchAll(/\S+/g)) {
			const label = match[0];
			const value = Number(label.replace('k', 'e3'));
			const column = Math.round((value / 5000) * 60);
			expect(column === 0 ? '└' : model.xTicks[column], label).toMatch(/[└┬]/);
		}
	});

	it('keeps labels apart on a narrow plot', () => {
		const model = chart([{id: 'gd', slot: 0, history: losses}], {epochs: 5000, width: 12});
		expect(model.xLabels).toMatch(/^0 .* 5k$/);
		expect(model.xLabels).not.toMatch(/\S\S+ ?\S*\S\S\S\S\S/);
	});
});

describe('buildChart: color and glyphs', () => {
	it('colors each slot as SERIES_COLORS says, and uses one glyph set', () => {
		const model = chart([0, 1].map((slot) => ({id: `r${slot}`, slot, history: historyOf(decreasing.map((v) => v * (slot + 1)))})), {
			width: 41,
			height: 21,
		});
		expect(model.canvas.palette[2]).toEqual({fg: SERIES_COLORS[0]});
		expect(model.canvas.palette[3]).toEqual({fg: 'magenta'});
		expect(seriesColor(1)).toBe('magenta');
		expect(seriesColor(9)).toBe(SERIES_COLORS[0]);
		const glyphs = new Set([...model.canvas.chars].map((c) => String.fromCharCode(c)));
		for (const glyph of ['━', '┃', '═', '║']) expect(glyphs.has(glyph)).toBe(false);
		expect(legendGlyph(1)).toBe('─');
	});

	it('gives each slot its own glyphs without color, and the legend the same', () => {
		const series = [0, 1, 2, 3].map((slot) => ({id: `r${slot}`, slot, history: historyOf(Array.from({length: 101}, () => 2 + 2 * slot))}));
		const model = chart(series, {color: false, lossStar: 0, height: 9});
		for (const style of model.canvas.palette) expect(style.fg).toBeUndefined();
		for (const slot of [0, 1, 2, 3]) {
			const glyph = legendGlyph(slot, false);
			expect(glyph).toBe(GLYPH_SETS[slot]![0]);
			// Each flat curve is a row of its slot's horizontal glyph.
			expect([...model.canvas.chars].filter((c) => c === glyph.charCodeAt(0)).length, glyph).toBe(40);
		}
	});

	it('draws only single-width glyphs', () => {
		const series = [0, 1, 2, 3, 4, 5].map((slot) => ({id: `r${slot}`, slot, history: historyOf(decreasing.map((v, i) => v + Math.sin(i + slot))), diverged: slot === 2}));
		for (const color of [true, false]) {
			const model = chart(series, {color});
			for (const code of model.canvas.chars) expect(codePointWidth(code)).toBe(1);
		}
	});
});
