/**
 * The weights table against the engine: after a deterministic stretch of the book race, every
 * cell of every row says what the race's snapshot says, formatted as src/ui/format.ts does, and
 * the numbers read back from the screen are the snapshot's numbers.
 */
import {stripVTControlCharacters} from 'node:util';
import {cleanup, render} from 'ink-testing-library';
import {afterEach, describe, expect, it} from 'vitest';
import type {RaceSnapshot, RacerSnapshot} from '../../../src/engine/types.js';
import {textWidth} from '../../../src/text-width.js';
import WeightsTable, {statusOf, tableWindow, titleLine, windowText} from '../../../src/ui/components/WeightsTable.js';
import {formatCompact, formatCount, formatFixed, formatPercent, formatRate, formatSignificant} from '../../../src/ui/format.js';
import {fitColumns, MIN_COLUMNS} from '../../../src/ui/layout.js';
import type {FullLayout, TableColumnId} from '../../../src/ui/layout.js';
import {advance, fullLayout, raceFromArgs, renderApp, tableCells} from './render-app.js';
import type {RenderedApp} from './render-app.js';

const NAMES = ['GD', 'SGD', 'MB-random', 'MB-epoch'];

afterEach(cleanup);

/** The table as ink-testing-library renders it, one string per line. */
function renderTable(snapshot: RaceSnapshot, layout: FullLayout, rates: readonly number[], features: readonly string[], dataRows: number): string[] {
	const {lastFrame} = render(
		<WeightsTable
			rect={layout.table}
			columns={layout.columns}
			features={features}
			hiddenWeights={layout.hiddenWeights}
			racers={snapshot.racers}
			optimum={snapshot.optimum}
			rates={rates}
			selected={0}
			lrMax={snapshot.curvature.lrMax}
			clock={snapshot.clock}
			dataRows={dataRows}
			tolerance={snapshot.tolerance}
			color={false}
		/>,
	);
	return stripVTControlCharacters(lastFrame() ?? '').split('\n');
}

/** A number as the table writes it: separators, a percent sign and padding removed. */
function numberIn(cell: string): number {
	return Number(cell.trim().replace(/,/g, '').replace(/%$/, ''));
}

/** Checks one racer's row against its snapshot, cell by cell: the exact text and the number it stands for. */
function expectRow(cells: readonly string[], layout: FullLayout, racer: RacerSnapshot, slot: number, dataRows: number, rate?: number): void {
	layout.columns.forEach((column, index) => {
		const cell = cells[index]!;
		const w = column.width;
		switch (column.id) {
			case 'racer':
				expect(cell.trim()).toBe(NAMES[slot]);
				break;
			case 'iterations':
				expect(cell).toBe(formatCount(racer.iterations, w));
				expect(numberIn(cell)).toBe(racer.iterations);
				break;
			case 'samples':
				expect(cell).toBe(formatCount(racer.samples, w));
				expect(numberIn(cell)).toBe(racer.samples);
				break;
			case 'weight': {
				const weight = racer.weights[column.feature!]!;
				expect(cell).toBe(formatFixed(weight, w));
				expect(Math.abs(numberIn(cell) - weight)).toBeLessThanOrEqual(5e-5);
				break;
			}
			case 'bias':
				expect(cell).toBe(formatFixed(racer.bias, w));
				expect(Math.abs(numberIn(cell) - racer.bias)).toBeLessThanOrEqual(5e-5);
				break;
			case 'loss':
				expect(cell).toBe(formatSignificant(racer.loss, w));
				expect(numberIn(cell)).toBeCloseTo(racer.loss, 5);
				break;
			case 'gap': {
				const share = racer.relativeGap;
				expect(cell).toBe(formatPercent(share, w));
				expect(cell.trim().endsWith('%')).toBe(true);
				// Three significant digits, at most three decimals of a percent.
				expect(Math.abs(numberIn(cell) / 100 - share)).toBeLessThanOrEqual(Math.max(5e-3 * share, 5e-6));
				break;
			}
			case 'status':
				if (racer.finished === null) {
					expect(cell.trim()).toBe('running');
				} else {
					expect(cell.trim()).toBe(statusOf(racer, 'iteration', dataRows, 0.01, w).text);
					expect(cell.trim()).toMatch(/^reached (±1% )?@[\d,.]+$/);
					expect(numberIn(cell.slice(cell.indexOf('@') + 1))).toBeCloseTo(racer.finished.iteration, 2);
				}
				break;
			case 'lr':
				// The first racer is selected (›); the lr as the engine has it.
				expect(cell).toBe(`${slot === 0 ? '›' : ' '}${formatCompact(racer.lr, 3).padStart(w - 1)}`);
				expect(numberIn(cell.slice(1))).toBe(racer.lr);
				break;
			case 'rate':
				if (rate !== undefined) expect(cell).toBe(formatRate(rate, w));
				else expect(cell.trim()).toMatch(/^[\d.]+[kMG]?\/s$/);
				break;
		}
	});
}

describe('WeightsTable', () => {
	it('shows each racer’s iterations, samples, weights, bias, loss, gap and status as the engine has them', () => {
		const race = raceFromArgs();
		advance(race, 250);
		const snapshot = race.scheduler.race.snapshot();
		const layout = fullLayout(120, 24);
		const rates = [1234, 0, 56.7, 12_345_678];
		const lines = renderTable(snapshot, layout, rates, race.data.features, race.data.rows);
		expect(lines).toHaveLength(2 + snapshot.racers.length);

		const ids: TableColumnId[] = ['racer', 'iterations', 'samples', 'weight', 'weight', 'bias', 'loss', 'gap', 'status', 'lr', 'rate'];
		expect(layout.columns.map((column) => column.id)).toEqual(ids);
		expect(tableCells(lines[0]!, layout.columns).map((cell) => cell.trim())).toEqual([
			'racer', 'iter', 'samples', 'RM', 'LSTAT', 'bias', 'loss', 'gap', 'status', 'lr', 'upd/s',
		]);

		snapshot.racers.forEach((racer, slot) => {
			expect(racer.iterations).toBe(250);
			expectRow(tableCells(lines[1 + slot]!, layout.columns), layout, racer, slot, race.data.rows, rates[slot]);
		});
		// A few cells spelled out, so that a change in the formats shows here too.
		const gd = tableCells(lines[1]!, layout.columns);
		expect(gd[1]).toBe('     250');
		expect(gd[2]).toBe('  126,500');
		const epoch = tableCells(lines[4]!, layout.columns);
		// When it first came within 1 %, in the middle of pass 163; its gap now is beside it.
		expect(epoch[8]!.trim()).toBe('reached ±1% @162.88');
		expect(epoch[7]!.trim()).toMatch(/^0\.\d{3}%$/);
		expect(epoch[9]).toBe('    0.01');
		expect(epoch[10]!.trim()).toBe('12.3M/s');
		expect(gd[9]).toBe('›   0.01');
		expect(gd[10]!.trim()).toBe('1.23k/s');
	});

	it('ends with the optimum: its weights, bias and L*, and nothing in the racer-only columns', () => {
		const race = raceFromArgs();
		advance(race, 40);
		const snapshot = race.scheduler.race.snapshot();
		const layout = fullLayout(100, 24);
		const lines = renderTable(snapshot, layout, [0, 0, 0, 0], race.data.features, race.data.rows);
		const cells = tableCells(lines[5]!, layout.columns);
		const {optimum} = snapshot;
		layout.columns.forEach((column, index) => {
			const cell = cells[index]!;
			switch (column.id) {
				case 'racer':
					expect(cell.trim()).toBe('optimum');
					break;
				case 'weight':
					expect(cell).toBe(formatFixed(optimum.weights[column.feature!]!, column.width));
					expect(Math.abs(numberIn(cell) - optimum.weights[column.feature!]!)).toBeLessThanOrEqual(5e-5);
					break;
				case 'bias':
					expect(cell).toBe(formatFixed(optimum.bias, column.width));
					break;
				case 'loss':
					expect(cell).toBe(formatSignificant(optimum.loss, column.width));
					expect(numberIn(cell)).toBeCloseTo(optimum.loss, 5);
					break;
				case 'status':
					expect(cell.trim()).toBe('L*');
					break;
				default:
					expect(cell.trim()).toBe('');
			}
		});
		// The study note's optimum on the bundled data.
		expect(cells.slice(3, 7).map((cell) => cell.trim())).toEqual(['26.5897', '-23.2791', '15.6730', '30.512469']);
	});

	it('keeps the required columns, in order, when the terminal is narrow', () => {
		const race = raceFromArgs();
		advance(race, 100);
		const snapshot = race.scheduler.race.snapshot();
		const layout = fullLayout(60, 20);
		expect(layout.columns.map((column) => column.id)).toEqual(['racer', 'iterations', 'loss', 'gap', 'status']);
		const lines = renderTable(snapshot, layout, [0, 0, 0, 0], race.data.features, race.data.rows);
		for (const line of lines) expect(line.length).toBeLessThanOrEqual(60);
		snapshot.racers.forEach((racer, slot) => {
			expectRow(tableCells(lines[1 + slot]!, layout.columns), layout, racer, slot, race.data.rows);
		});
	});

	it('says how many weights are left out at every width (issue 10: the +2 vanished at 53–55)', () => {
		for (const features of [3, 7, 50]) {
			const names = Array.from({length: features}, (_, index) => `feature${index}`);
			for (let width = MIN_COLUMNS; width <= 240; width++) {
				const {columns, hiddenWeights} = fitColumns(width, features);
				const line = titleLine(columns, names, hiddenWeights, width);
				expect(line.length, `${features} features at ${width}`).toBeLessThanOrEqual(width);
				if (hiddenWeights > 0) expect(line, `${features} features at ${width}`).toMatch(new RegExp(` \\+${hiddenWeights}( weights)?$`));
				else expect(line).not.toContain('+');
			}
		}
		// Names measured in columns: Korean ones take two a character, and stay within their column.
		for (let width = MIN_COLUMNS; width <= 160; width++) {
			const {columns, hiddenWeights} = fitColumns(width, 2);
			const line = titleLine(columns, ['방수', '저소득층비율'], hiddenWeights, width);
			expect(textWidth(line), `Korean names at ${width}`).toBeLessThanOrEqual(width);
			// Each title ends where its column ends, as the English ones do.
			const english = titleLine(columns, ['RM', 'LSTATISTIC'], hiddenWeights, width);
			const ends = (text: string): number[] => [...text.matchAll(/\S+/g)].map((match) => textWidth(text.slice(0, match.index + match[0].length)));
			expect(ends(line), `at ${width}`).toEqual(ends(english));
		}
		const at53 = fitColumns(53, 3);
		expect(titleLine(at53.columns, ['a', 'b', 'c'], at53.hiddenWeights, 53)).toBe(
			'racer         iter       loss     gap status       +3',
		);
	});
});

describe('a window of the racers', () => {
	it('pages of the table\'s rows, the one holding the selected racer; the last page ends at the last racer', () => {
		expect(tableWindow(4, 4, 0)).toBeNull();
		expect(tableWindow(4, 9, 3)).toBeNull();
		expect(tableWindow(20, 17, 0)).toEqual({first: 0, count: 17, total: 20});
		expect(tableWindow(20, 17, 16)).toEqual({first: 0, count: 17, total: 20});
		expect(tableWindow(20, 17, 17)).toEqual({first: 3, count: 17, total: 20});
		expect(tableWindow(20, 17, 19)).toEqual({first: 3, count: 17, total: 20});
		expect(tableWindow(10, 4, 5)).toEqual({first: 4, count: 4, total: 10});
		expect(tableWindow(10, 4, 9)).toEqual({first: 6, count: 4, total: 10});
		// Every racer is on the page of its own selection, at every size.
		for (let total = 1; total <= 30; total++) {
			for (let rows = 1; rows <= total; rows++) {
				for (let selected = 0; selected < total; selected++) {
					const shown = tableWindow(total, rows, selected) ?? {first: 0, count: total, total};
					expect(selected).toBeGreaterThanOrEqual(shown.first);
					expect(selected).toBeLessThan(shown.first + shown.count);
					expect(shown.first + shown.count).toBeLessThanOrEqual(total);
					expect(shown.count).toBe(Math.min(rows, total));
				}
			}
		}
	});

	it('the racer column\'s title says which racers the table shows, of how many', () => {
		const shown = {first: 3, count: 17, total: 20};
		for (const width of [MIN_COLUMNS, 80, 100, 160, 240]) {
			for (const features of [2, 7]) {
				const names = Array.from({length: features}, (_, index) => `f${index}`);
				const {columns, hiddenWeights} = fitColumns(width, features);
				const plain = titleLine(columns, names, hiddenWeights, width);
				const windowed = titleLine(columns, names, hiddenWeights, width, shown);
				// Only the first title changes, within its column.
				expect(windowed).toBe(`4–20/20  ${plain.slice(9)}`);
			}
		}
		expect(windowText({first: 99, count: 30, total: 200}, 9)).toBe('100–129');
		expect(windowText({first: 9990, count: 10, total: 10000}, 9)).toBe('9991…');
	});
});

describe('statusOf', () => {
	const racer = (finished: number | null, diverged: number | null = null): RacerSnapshot =>
		({
			state: diverged === null ? 'running' : 'diverged',
			finished: finished === null ? null : {iteration: finished, samples: finished * 506, ms: finished / 100},
			diverged: diverged === null ? null : {iteration: diverged, samples: diverged * 506, ms: diverged / 100},
		}) as RacerSnapshot;

	it('says when a racer reached the finish line, apart from its gap now (issue 10: "3.23% finished @2951")', () => {
		expect(statusOf(racer(2951), 'iteration', 506, 0.01).text).toBe('reached ±1% @2,951');
		expect(statusOf(racer(2951), 'iteration', 506, 0.005).text).toBe('reached ±0.5% @2,951');
		expect(statusOf(racer(2951), 'iteration', 506, 0.01, 15).text).toBe('reached @2,951');
		expect(statusOf(racer(1234567), 'iteration', 506, 0.01, 15).text).toBe('@1,234,567');
		expect(statusOf(racer(2951), 'iteration', 506, 0.01).color).toBe('green');
	});

	it('writes every coordinate with one precision per clock (issue 10: not @13 beside @9.78)', () => {
		expect(statusOf(racer(1300), 'time', 506, 0.01).text).toBe('reached ±1% @13.00');
		expect(statusOf(racer(978), 'time', 506, 0.01).text).toBe('reached ±1% @9.78');
		expect(statusOf(racer(2748), 'samples', 506, 0.01).text).toBe('reached ±1% @2,748.00');
		expect(statusOf(racer(162.88235), 'iteration', 506, 0.01).text).toBe('reached ±1% @162.88');
		expect(statusOf(racer(null, 8), 'iteration', 506, 0.01).text).toBe('diverged @8');
		expect(statusOf(racer(null, 12_345_678), 'iteration', 506, 0.01, 15).text).toBe('diverged');
	});
});

describe('the table on the live screen', () => {
	let app: RenderedApp | undefined;
	afterEach(() => {
		app?.unmount();
		app = undefined;
	});

	it('shows the scheduler’s race, and follows a step', async () => {
		const race = raceFromArgs();
		advance(race, 300);
		const layout = fullLayout(100, 24);
		app = renderApp(race, {columns: 100, rows: 24});
		await app.until((frame) => expect(frame).toContain('racer'));
		const check = (rate: number | undefined): void => {
			const snapshot = race.scheduler.race.snapshot();
			const lines = app!.lines();
			snapshot.racers.forEach((racer, slot) => {
				expectRow(tableCells(lines[layout.table.y + 1 + slot]!, layout.columns), layout, racer, slot, race.data.rows, rate);
			});
			expect(lines[layout.table.y + 5]!.startsWith('optimum')).toBe(true);
		};
		// Paused: nothing runs, so every rate is 0.
		check(0);

		// `s` moves the paused race on by one iteration; the race loop catches the racers up.
		// (The step counts as an update: the rates are no longer 0.)
		app.press('s');
		await app.until((frame) => expect(frame).toMatch(/^GD +301 /m));
		await app.until(() => expect(race.scheduler.race.snapshot().racers.every((racer) => racer.iterations === 301)).toBe(true));
		await app.until((frame) => expect(frame).toMatch(/^MB-epoch +301 /m));
		expect(app.frame()).toContain('clock iteration 301 / 5,000');
		check(undefined);
	});
});

describe('fitParts (the header’s second line)', () => {
	it('keeps whole parts that fit and cuts only a first part that cannot fit', async () => {
		const {fitParts} = await import('../../../src/ui/components/Header.js');
		const parts = ['clock iteration 1 / 5,000', 'speed 256 it/s', 'seed 2023', 'elapsed 1.00 s'];
		expect(fitParts(parts, 100)).toBe('clock iteration 1 / 5,000 · speed 256 it/s · seed 2023 · elapsed 1.00 s');
		expect(fitParts(parts, 60)).toBe('clock iteration 1 / 5,000 · speed 256 it/s · seed 2023');
		expect(fitParts(parts, 25)).toBe('clock iteration 1 / 5,000');
		expect(fitParts(parts, 10)).toBe('clock ite…');
		// Ranked: kept by rank until one does not fit, shown in their own order.
		const ranked = [{text: 'clock iteration 1 / 5,000', rank: 0}, {text: 'x-axis time 1.2–40 ms', rank: 3}, {text: 'speed 256 it/s', rank: 1}, {text: 'GD lr 0.01', rank: 2}, {text: 'seed 2023', rank: 4}];
		expect(fitParts(ranked, 200)).toBe('clock iteration 1 / 5,000 · x-axis time 1.2–40 ms · speed 256 it/s · GD lr 0.01 · seed 2023');
		expect(fitParts(ranked, 80)).toBe('clock iteration 1 / 5,000 · x-axis time 1.2–40 ms · speed 256 it/s · GD lr 0.01');
		expect(fitParts(ranked, 70)).toBe('clock iteration 1 / 5,000 · speed 256 it/s · GD lr 0.01');
		// A lower-ranked part that would fit is not taken after one that did not (no flicker).
		expect(fitParts(ranked, 69)).toBe('clock iteration 1 / 5,000 · speed 256 it/s · GD lr 0.01');
	});
});
