import {describe, expect, it} from 'vitest';
import {calculateLayout, fitColumns, HEADROOM, MIN_COLUMNS, MIN_PLOT_HEIGHT, TABLE_COLUMN_IDS, WIDE_STATUS, type FullLayout} from '../../src/ui/layout.js';

function full(columns: number, rows: number, racers = 4, features = 2): FullLayout {
	const layout = calculateLayout(columns, rows, racers, features);
	if (layout.kind !== 'full') {
		throw new Error(`expected a full layout at ${columns}×${rows}`);
	}

	return layout;
}

describe('calculateLayout', () => {
	it('stacks header, legend, chart, x-axis, table and footer without gaps at 100×30', () => {
		const layout = full(100, 30);
		expect(layout.height).toBe(30 - HEADROOM);
		expect(layout.header).toEqual({x: 0, y: 0, width: 100, height: 2});
		expect(layout.legend.y).toBe(2);
		expect(layout.plot.y).toBe(3);
		expect(layout.labels.height).toBe(layout.plot.height);
		expect(layout.plot.x).toBe(layout.labels.width);
		expect(layout.plot.x + layout.plot.width).toBe(100);
		expect(layout.xAxis.y).toBe(layout.plot.y + layout.plot.height);
		expect(layout.table.y).toBe(layout.xAxis.y + 2);
		expect(layout.table.height).toBe(4 + 2);
		expect(layout.footer.y).toBe(layout.table.y + layout.table.height);
		expect(layout.footer.y + 1).toBe(layout.height);
		// 29 rows: 2 header + 1 legend + 2 x-axis + 6 table + 1 footer leave 17 for the plot
		expect(layout.plot.height).toBe(17);
	});

	it('always leaves at least one row of the terminal free', () => {
		for (const rows of [17, 20, 24, 30, 50, 200]) {
			expect(full(80, rows).height).toBeLessThanOrEqual(rows - 1);
		}
	});

	it('shows the book race’s columns at 100 columns and fits them in the width; updates per second from 106, the lr from 115', () => {
		const layout = full(100, 30);
		expect(layout.columns.map(column => column.id)).toEqual([
			'racer', 'iterations', 'samples', 'weight', 'weight', 'bias', 'loss', 'gap', 'status',
		]);
		expect(layout.columns.find(column => column.id === 'status')!.width).toBe(WIDE_STATUS);
		expect(layout.hiddenWeights).toBe(0);
		const used = layout.columns.reduce((sum, column) => sum + column.width + 1, -1);
		expect(used).toBeLessThanOrEqual(100);
		expect(full(106, 30).columns.map(column => column.id)).toContain('rate');
		expect(full(115, 30).columns.map(column => column.id)).toEqual([
			'racer', 'iterations', 'samples', 'weight', 'weight', 'bias', 'loss', 'gap', 'status', 'lr', 'rate',
		]);
	});

	it('still fits at 60×20 with the required columns', () => {
		const layout = full(60, 20);
		const ids = layout.columns.map(column => column.id);
		expect(ids).toEqual(expect.arrayContaining(['racer', 'iterations', 'loss', 'gap', 'status']));
		expect(layout.columns.reduce((sum, column) => sum + column.width + 1, -1)).toBeLessThanOrEqual(60);
		expect(layout.plot.height).toBeGreaterThanOrEqual(4);
	});

	it('says what it needs below the minimum size', () => {
		const layout = calculateLayout(30, 8, 4, 2);
		expect(layout.kind).toBe('too-small');
		if (layout.kind === 'too-small') {
			expect(layout.need.columns).toBe(MIN_COLUMNS);
			expect(layout.need.rows).toBe(17);
		}

		expect(calculateLayout(1, 1, 4, 2).kind).toBe('too-small');
		expect(calculateLayout(0, 0, 4, 2).kind).toBe('too-small');
	});

	it('needs a row more per racer up to four; beyond, the table shows a window of them', () => {
		expect(calculateLayout(100, 17, 4, 2).kind).toBe('full');
		expect(calculateLayout(100, 16, 4, 2)).toMatchObject({kind: 'too-small', need: {rows: 17}});
		expect(calculateLayout(100, 15, 2, 2)).toMatchObject({kind: 'full', tableRacers: 2});
		expect(calculateLayout(100, 14, 2, 2)).toMatchObject({kind: 'too-small', need: {rows: 15}});
		// Nine or twenty racers fit where four do, in a window of four rows.
		for (const racers of [9, 20]) {
			expect(calculateLayout(100, 16, racers, 2)).toMatchObject({kind: 'too-small', need: {rows: 17}});
			expect(calculateLayout(100, 17, racers, 2)).toMatchObject({kind: 'full', tableRacers: 4, plot: {height: MIN_PLOT_HEIGHT}});
		}
	});

	it('as the terminal grows, the table gets a row per racer first, then the plot the rest', () => {
		for (const racers of [1, 4, 9, 20]) {
			let last: FullLayout | undefined;
			for (let rows = 17; rows <= 60; rows++) {
				const layout = calculateLayout(100, rows, racers, 2);
				if (layout.kind !== 'full') throw new Error(`${racers} racers at ${rows} rows`);
				expect(layout.table.height).toBe(layout.tableRacers + 2);
				expect(layout.height).toBe(rows - 1);
				expect(layout.plot.height).toBeGreaterThanOrEqual(MIN_PLOT_HEIGHT);
				if (layout.tableRacers < racers) expect(layout.plot.height).toBe(MIN_PLOT_HEIGHT);
				if (last !== undefined) {
					// One more row goes to exactly one of them.
					expect(layout.tableRacers - last.tableRacers + layout.plot.height - last.plot.height).toBe(1);
					if (layout.plot.height > last.plot.height) expect(layout.tableRacers).toBe(racers);
				}
				last = layout;
			}
		}
	});
});

describe('fitColumns', () => {
	it('keeps as many weights as fit and counts the rest', () => {
		const {columns, hiddenWeights} = fitColumns(100, 50);
		const weights = columns.filter(column => column.id === 'weight');
		expect(weights.length).toBeGreaterThan(0);
		expect(weights.length + hiddenWeights).toBe(50);
		expect(weights.map(column => column.feature)).toEqual(weights.map((_, index) => index));
		expect(columns.some(column => column.id === 'bias')).toBe(false);
	});

	it('only adds columns as the width grows, in one priority order (issue 10: no swapping at 82–97)', () => {
		for (const features of [1, 2, 3, 7, 50]) {
			let before = fitColumns(MIN_COLUMNS, features);
			for (let width = MIN_COLUMNS + 1; width <= 240; width++) {
				const now = fitColumns(width, features);
				const ids = now.columns.map(column => column.id);
				const widths = now.columns.map(column => column.width);
				// Every column shown before is still shown, as wide or wider.
				for (const column of before.columns) {
					const same = now.columns.find(other => other.id === column.id && other.feature === column.feature);
					expect(same, `${features} features, ${width}: ${column.id}`).toBeDefined();
					expect(same!.width).toBeGreaterThanOrEqual(column.width);
				}
				expect(widths.reduce((sum, cells) => sum + cells + 1, -1)).toBeLessThanOrEqual(width);
				// Display order does not depend on the width.
				expect(ids).toEqual([...TABLE_COLUMN_IDS].flatMap(id => ids.filter(shown => shown === id)));
				before = now;
			}
		}
		const at = (width: number): string[] => fitColumns(width, 2).columns.map(column => column.id);
		expect(at(82)).toEqual(['racer', 'iterations', 'weight', 'weight', 'loss', 'gap', 'status']);
		expect(at(88)).toEqual(['racer', 'iterations', 'weight', 'weight', 'bias', 'loss', 'gap', 'status']);
		expect(at(97)).toEqual(['racer', 'iterations', 'samples', 'weight', 'weight', 'bias', 'loss', 'gap', 'status']);
	});

	it('keeps the status last whenever weights are left out, so the count of them has room', () => {
		for (const features of [3, 7, 50]) {
			for (let width = MIN_COLUMNS; width <= 240; width++) {
				const {columns, hiddenWeights} = fitColumns(width, features);
				if (hiddenWeights > 0) expect(columns.at(-1)!.id, `${features} features, ${width}`).toBe('status');
			}
		}
		expect(fitColumns(100, 7).hiddenWeights).toBe(3);
		expect(fitColumns(200, 7).hiddenWeights).toBe(0);
	});
});
