/**
 * The landscape map and the replay on the live screen (ink-testing-library, no frame writer, so
 * the map's canvas is part of the text frame): `m` at five sizes, side by side from 160 columns,
 * a diverged racer, the replay keys with the table's values against the engine's history, and `e`.
 */
import {mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterEach, describe, expect, it} from 'vitest';
import {BUNDLED_DATA} from '../../../src/data/dataset.js';
import {padStartToWidth, textWidth} from '../../../src/text-width.js';
import {gapReference, relativeGap} from '../../../src/engine/racer.js';
import {formatCount, formatFixed, formatPercent, formatSignificant} from '../../../src/ui/format.js';
import {MAP_DIVERGED_GLYPH, OPTIMUM_GLYPH, START_GLYPH} from '../../../src/ui/map.js';
import {panels} from '../../../src/ui/panels.js';
import {moveCursor, pointAt} from '../../../src/ui/replay.js';
import {advance, fullLayout, raceFromArgs, renderApp, tableCells} from './render-app.js';
import type {AppOptions, RenderedApp, TestRace} from './render-app.js';

let app: RenderedApp | undefined;
afterEach(() => {
	app?.unmount();
	app = undefined;
});

const TABLE = /^optimum /m;
const LEFT = '\u001B[D';
const RIGHT = '\u001B[C';
const HOME = '\u001B[H';
const END = '\u001B[F';
const PAGE_UP = '\u001B[5~';

async function show(race: TestRace, options: AppOptions = {}): Promise<RenderedApp> {
	app = renderApp(race, options);
	await app.until((frame) => expect(frame).toMatch(TABLE));
	return app;
}

describe('`m`: the map in place of the chart', () => {
	it.each([
		[53, 17],
		[60, 20],
		[80, 24],
		[100, 30],
		[159, 40],
	])('at %i×%i it fits the chart\'s place: legend, axes with names and values, ★, ○ and the racers', async (columns, rows) => {
		const race = raceFromArgs();
		advance(race, 150);
		await show(race, {columns, rows});
		const layout = fullLayout(columns, rows);
		app!.press('m');
		await app!.until((frame) => expect(frame.split('\n')[layout.legend.y]).toMatch(/^map RM → LSTAT ↑/));
		await app!.until(() => {
			const lines = app!.lines();
			expect(lines).toHaveLength(rows - 1);
			for (const line of lines) expect([...line].length, line).toBeLessThanOrEqual(columns);
			const plot = lines.slice(layout.plot.y, layout.plot.y + layout.plot.height);
			for (const line of plot) expect(line.slice(layout.labels.width - 1)).toMatch(/^ [│┤]/);
			expect(plot.join('\n')).toContain(OPTIMUM_GLYPH);
			expect(plot.join('\n')).toContain(START_GLYPH);
			expect(plot.join('\n')).toMatch(/[1-4]/);
			expect(plot.some((line) => line.slice(0, layout.labels.width).includes('LSTAT ↑'))).toBe(true);
			expect(lines[layout.xAxis.y]).toMatch(/^ {10}└[─┬]+$/);
			expect(lines[layout.xAxis.y + 1]).toMatch(/^ +RM → +-?\d/);
			expect(lines[layout.table.y]).toMatch(/^racer +iter/);
		});
		// `m` again: the chart is back.
		app!.press('m');
		await app!.until((frame) => expect(frame.split('\n')[layout.legend.y]).toMatch(/^1 /));
	});

	it('from 160 columns the chart and the map stand side by side by default; `m` hides the map', async () => {
		const race = raceFromArgs();
		advance(race, 150);
		await show(race, {columns: 160, rows: 40});
		const layout = fullLayout(160, 40);
		const areas = panels(layout, true);
		await app!.until(() => {
			const lines = app!.lines();
			const legend = lines[layout.legend.y]!;
			expect(legend).toMatch(/^1 /);
			expect(legend.slice(areas.map!.legend.x)).toMatch(/^map RM → LSTAT ↑/);
			// Both x-axes on the same rows, each under its own plot.
			expect(lines[layout.xAxis.y]!.slice(0, areas.chart!.xAxis.width)).toMatch(/^ {10}└/);
			expect(lines[layout.xAxis.y]!.slice(areas.map!.xAxis.x)).toMatch(/^ {10}└/);
			expect(lines[layout.xAxis.y + 1]!.slice(0, 10).trim()).toBe('iter');
			expect(lines[layout.xAxis.y + 1]!.slice(areas.map!.xAxis.x, areas.map!.xAxis.x + 10).trim()).toBe('RM →');
			for (const line of lines) expect([...line].length).toBeLessThanOrEqual(160);
		});
		app!.press('m');
		await app!.until((frame) => expect(frame).not.toContain('map RM'));
		expect(app!.lines()[layout.legend.y]).toMatch(/^1 /);
	});

	it('a diverged racer: × where its path leaves the map, no NaN or Infinity anywhere', async () => {
		const race = raceFromArgs(['--lr.gd', '50']);
		advance(race, 300);
		expect(race.scheduler.race.racers[0]!.state).toBe('diverged');
		await show(race, {columns: 100, rows: 30});
		const layout = fullLayout(100, 30);
		app!.press('m');
		await app!.until((frame) => expect(frame.split('\n')[layout.legend.y]).toMatch(/^map /));
		const plot = app!.lines().slice(layout.plot.y, layout.plot.y + layout.plot.height);
		const marks = plot.flatMap((line, row) => [...line].map((glyph, column) => ({glyph, row, column})).filter((cell) => cell.glyph === MAP_DIVERGED_GLYPH));
		expect(marks).toHaveLength(1);
		const {row, column} = marks[0]!;
		// On the border of the plot.
		const onBorder = row === 0 || row === layout.plot.height - 1 || column === layout.plot.x + 1 || column === 99;
		expect(onBorder, `× at ${column},${row}`).toBe(true);
		expect(app!.frame()).not.toMatch(/NaN|Infinity/);
	});
});

describe('Korean column names (two columns a character)', () => {
	it('keeps the map, its x axis and the table in line', async () => {
		const dir = mkdtempSync(join(tmpdir(), 'gdrace-korean-'));
		try {
			const csv = join(dir, '집.csv');
			const rows = readFileSync(BUNDLED_DATA, 'utf8').trim().split('\n').slice(1).map((line) => line.split(','));
			writeFileSync(csv, `방수,저소득층비율,집값\n${rows.map((cells) => `${cells[5]},${cells[12]},${cells[13]}`).join('\n')}\n`);
			const race = raceFromArgs(['--data', csv, '--features', '방수,저소득층비율', '--target', '집값']);
			advance(race, 300);
			await show(race, {columns: 100, rows: 30});
			app!.press('m');
			await app!.until((frame) => expect(frame).toContain('map 방수 → 저소득층비율 ↑'));
			const layout = fullLayout(100, 30);
			const lines = app!.lines();
			for (const line of lines) expect(textWidth(line), line).toBeLessThanOrEqual(100);
			// The x axis's unit is as wide as the y labels, so the numbers stay under their ticks.
			const xLabels = lines[layout.plot.y + layout.plot.height + 1]!;
			expect(xLabels.startsWith(`${padStartToWidth('방수 →', layout.labels.width - 1)} `)).toBe(true);
			// No '?' stands in for a name anywhere (the footer's "? help" aside).
			expect(lines.slice(0, -1).join('\n')).not.toContain('?');
			expect(lines[layout.table.y]).toMatch(/^racer +iter +samples +방수 저소득층… +bias /);
		} finally {
			rmSync(dir, {recursive: true, force: true});
		}
	});
});

describe('replay', () => {
	/** The table's GD row as [iterations, RM, LSTAT, bias, loss, gap %]. */
	function gdRow(app: RenderedApp): string[] {
		const layout = fullLayout(100, 30);
		const cells = tableCells(app.lines()[layout.table.y + 1]!, layout.columns);
		return ['iterations', 'weight', 'bias', 'loss', 'gap'].flatMap((id) => layout.columns.flatMap((column, index) => (column.id === id ? [cells[index]!] : [])));
	}

	it('←/→, PgUp, Home and End move a cursor while paused; the table shows the history at it', async () => {
		const race = raceFromArgs();
		advance(race, 300);
		await show(race, {columns: 100, rows: 30});
		const layout = fullLayout(100, 30);
		const racer = race.scheduler.race.racers[0]!;
		const history = racer.history.columns();
		const engine = race.scheduler.race;
		const width = (id: string) => layout.columns.find((column) => column.id === id)!.width;
		const expectRow = (cursor: number): void => {
			const index = pointAt(history, 'iteration', race.dataset.rows, cursor);
			expect(history.iteration[index]!).toBeLessThanOrEqual(cursor);
			const theta = Float64Array.from(history.theta, (column) => column[index]!);
			// The gap at the cursor, as a share of what the finish line is measured against.
			const share = relativeGap(engine.objective.gap(theta), gapReference(engine.objective.lossStar, engine.initialLoss));
			const expected = [
				formatCount(Math.floor(history.iteration[index]!), 8),
				formatFixed(history.theta[0]![index]!, 9),
				formatFixed(history.theta[1]![index]!, 9),
				formatFixed(history.theta[2]![index]!, 9),
				formatSignificant(history.loss[index]!, width('loss')),
				formatPercent(share, width('gap')),
			];
			expect(gdRow(app!)).toEqual(expected);
		};

		// Step 5 (a hundredth of 300, rounded to 1-2-5): ← goes to 295.
		expect(moveCursor(null, 'back', 300)).toBe(295);
		app!.press(LEFT);
		await app!.until((frame) => expect(frame.split('\n')[0]).toMatch(/ replay$/));
		expect(app!.lines()[1]).toMatch(/^replay at iteration 295 \/ 5,000/);
		expectRow(295);
		// The chart shows the cursor.
		expect(app!.lines().slice(layout.plot.y, layout.plot.y + layout.plot.height).join('')).toContain('┊');

		app!.press(PAGE_UP);
		await app!.until(() => expect(app!.lines()[1]).toMatch(/^replay at iteration 250 /));
		expectRow(250);
		app!.press(RIGHT);
		await app!.until(() => expect(app!.lines()[1]).toMatch(/^replay at iteration 255 /));
		expectRow(255);
		app!.press(HOME);
		await app!.until(() => expect(app!.lines()[1]).toMatch(/^replay at iteration 0 /));
		// At the start: the initial weights, and the initial loss's gap (1696 %: 1.7k%, not the live end's).
		expect(gdRow(app!).map((cell) => cell.trim()).slice(0, 4)).toEqual(['0', '0.0000', '0.0000', '1.0000']);
		expectRow(0);
		expect(gdRow(app!)[5]!.trim()).toBe('1.7k%');
		app!.press(END);
		await app!.until((frame) => expect(frame.split('\n')[0]).toMatch(/ paused$/));
		expect(app!.lines()[1]).toMatch(/^clock iteration 300 /);
		expect(gdRow(app!)[0]!.trim()).toBe('300');
	});

	it('the map shows the paths up to the cursor: at the start every racer is at ○', async () => {
		const race = raceFromArgs();
		advance(race, 300);
		await show(race, {columns: 100, rows: 30});
		const layout = fullLayout(100, 30);
		app!.press('m');
		await app!.until((frame) => expect(frame.split('\n')[layout.legend.y]).toMatch(/^map /));
		app!.press(HOME);
		await app!.until(() => expect(app!.lines()[1]).toMatch(/^replay at iteration 0 /));
		const plot = app!.lines().slice(layout.plot.y, layout.plot.y + layout.plot.height).map((line) => line.slice(layout.plot.x + 1));
		// Every racer sits on the start (the first on top), and no path is drawn yet.
		expect(plot.join('\n')).toContain('1');
		expect(plot.join('\n')).not.toMatch(/[234]/);
	});

	it('does nothing while the race runs', async () => {
		const race = raceFromArgs(['--speed', '64'], {});
		await show(race, {columns: 100, rows: 30});
		app!.press(LEFT);
		app!.press('m');
		await app!.until((frame) => expect(frame).toContain('map RM'));
		expect(app!.lines()[0]).toMatch(/ running$/);
	});
});

describe('`e`: smoothing', () => {
	it('cycles off → 0.6 → 0.9 → 0.99 → off; the legend says so; the table stays raw', async () => {
		const race = raceFromArgs();
		advance(race, 300);
		await show(race, {columns: 100, rows: 30});
		const layout = fullLayout(100, 30);
		const table = (): string[] => app!.lines().slice(layout.table.y, layout.table.y + 6);
		await app!.until(() => expect(app!.lines()).toHaveLength(29));
		const raw = table();
		for (const weight of ['0.6', '0.9', '0.99']) {
			app!.press('e');
			await app!.until(() => expect(app!.lines()[layout.legend.y]).toMatch(new RegExp(`smooth ${weight.replace('.', '\\.')}$`)));
			expect(table()).toEqual(raw);
		}
		app!.press('e');
		await app!.until(() => expect(app!.lines()[layout.legend.y]).not.toContain('smooth'));
	});

	it('a race whose losses span less than a decade opens linear', async () => {
		// CHAS alone explains little: L* is near the variance of MEDV, within a decade of the start.
		const race = raceFromArgs(['--features', 'CHAS']);
		expect(race.scheduler.race.initialLoss).toBeLessThan(10 * race.scheduler.race.optimum.loss);
		advance(race, 50);
		await show(race, {columns: 100, rows: 30});
		expect(app!.lines()[fullLayout(100, 30, 4, 1).legend.y]).toMatch(/ loss$/);
	});
});
