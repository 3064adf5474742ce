/**
 * The landscape map as data: each racer's number lands in the cell of its weights (d = 1, 2 and
 * 13), the view changes only in steps, contour levels step 1-2-5 above L*, a diverged racer's
 * × sits on the border where its path left, and nothing is drawn outside the canvas.
 */
import {describe, expect, test} from 'vitest';
import {BUNDLED_DATA, loadDataset} from '../../src/data/dataset.js';
import {Landscape} from '../../src/engine/landscape.js';
import {Race} from '../../src/engine/race.js';
import {buildMap, cellOf, contourLevels, fitView, MAP_DIVERGED_GLYPH, OPTIMUM_GLYPH, START_GLYPH} from '../../src/ui/map.js';
import type {MapPoint, MapView} from '../../src/ui/map.js';
import {bookConfig} from '../engine/fixtures.js';

const ALL = ['CRIM', 'ZN', 'INDUS', 'CHAS', 'NOX', 'RM', 'AGE', 'DIS', 'RAD', 'TAX', 'PTRATIO', 'B', 'LSTAT'];

function raceOn(features: readonly string[], iterations: number): Race {
	const data = loadDataset({path: BUNDLED_DATA, features: [...features], target: 'MEDV', scale: 'minmax'});
	const race = new Race({...bookConfig(), data});
	race.advance(iterations);
	return race;
}

function charAt(model: ReturnType<typeof buildMap>, column: number, row: number): string {
	return String.fromCharCode(model.canvas.chars[row * model.canvas.width + column]!);
}

describe("a racer's plotted cell", () => {
	test.each([
		['d = 1 (RM: weight and bias)', ['RM'], 0, 'bias' as const],
		['d = 2 (RM, LSTAT)', ['RM', 'LSTAT'], 0, 1],
		['d = 13 (RM, LSTAT)', ALL, 5, 12],
	])('%s: its number is in the cell its weights fall in', (_name, features, xi, yi) => {
		const race = raceOn(features, 200);
		const landscape = new Landscape(race.objective, {x: xi, y: yi});
		const width = 70;
		const height = 20;
		const position = (slot: number): MapPoint => {
			const racer = race.racers[slot]!;
			return {x: racer.weights[xi]!, y: yi === 'bias' ? racer.bias : racer.weights[yi]!};
		};
		const start = {x: 0, y: yi === 'bias' ? 1 : 0};
		const view = fitView(null, [start, {x: landscape.xStar, y: landscape.yStar}, ...race.racers.map((_, slot) => position(slot))], width, height);
		// Only GD, so that no other racer covers its cell.
		const racer = race.racers[0]!;
		const {theta} = racer.history.columns();
		const model = buildMap({
			surface: landscape,
			view,
			start,
			series: [{slot: 0, xs: theta[landscape.xIndex]!, ys: theta[landscape.yIndex]!}],
			width,
			height,
			xName: features[xi]!,
			yName: yi === 'bias' ? 'bias' : features[yi]!,
			color: false,
		});
		const {x, y} = position(0);
		// The cell by hand: columns 1 … width − 1 split [x0, x1] evenly, rows 0 … height − 1 split [y1, y0].
		const column = 1 + Math.floor(((x - view.x0) / (view.x1 - view.x0)) * (width - 1));
		const row = Math.floor(((view.y1 - y) / (view.y1 - view.y0)) * height);
		expect(cellOf(view, width, height, {x, y})).toEqual({column, row});
		expect(charAt(model, column, row)).toBe('1');
		// The optimum and the start are where their coordinates say.
		const star = cellOf(view, width, height, {x: landscape.xStar, y: landscape.yStar})!;
		if (star.column !== column || star.row !== row) expect(charAt(model, star.column, star.row)).toBe(OPTIMUM_GLYPH);
		const origin = cellOf(view, width, height, start)!;
		expect(charAt(model, origin.column, origin.row)).toBe(START_GLYPH);
	});
});

describe('the view', () => {
	const points: MapPoint[] = [
		{x: 0, y: 0},
		{x: 26.6, y: -23.3},
	];

	test('fits the points in nice ranges with room to spare, and stays put while they move inside it', () => {
		const view = fitView(null, points, 80, 20);
		expect(view.x0).toBeLessThan(0);
		expect(view.x1).toBeGreaterThan(26.6);
		expect(view.y0).toBeLessThan(-23.3);
		expect(view.y1).toBeGreaterThan(0);
		for (const bound of [view.x0, view.x1]) expect(bound / view.xStep).toBeCloseTo(Math.round(bound / view.xStep), 9);
		// A racer wandering inside the view never changes it: the same object comes back.
		let current: MapView = view;
		for (let k = 0; k < 100; k++) {
			current = fitView(current, [...points, {x: 13 + 10 * Math.sin(k), y: -11 + 10 * Math.cos(k)}], 80, 20);
			expect(current).toBe(view);
		}
	});

	test('grows in a step when a racer leaves it, and shrinks only when the points need a fifth of it', () => {
		const view = fitView(null, points, 80, 20);
		const grown = fitView(view, [...points, {x: 60, y: 0}], 80, 20);
		expect(grown).not.toBe(view);
		expect(grown.x1).toBeGreaterThanOrEqual(60);
		// Back inside the old view: the grown view stays (no jitter back and forth).
		expect(fitView(grown, points, 80, 20)).toBe(grown);
		// `f` refits: from null, the tight view again.
		expect(fitView(null, points, 80, 20)).toEqual(view);
	});

	test('contour levels are 1-2-5 steps of loss − L* below the largest gap in view', () => {
		const race = raceOn(['RM', 'LSTAT'], 0);
		const landscape = new Landscape(race.objective, {x: 0, y: 1});
		const view = fitView(null, points, 80, 20);
		const levels = contourLevels(landscape, view);
		expect(levels.length).toBeGreaterThan(5);
		for (const level of levels) {
			const mantissa = level / 10 ** Math.floor(Math.log10(level) + 1e-9);
			expect([1, 2, 5].some((m) => Math.abs(mantissa - m) < 1e-9)).toBe(true);
		}
		for (let k = 1; k < levels.length; k++) expect(levels[k]! / levels[k - 1]!).toBeGreaterThanOrEqual(2 - 1e-9);
	});
});

describe('a diverged racer', () => {
	test('leaves through the border: its × is on the edge cell where its path went out', () => {
		const race = raceOn(['RM', 'LSTAT'], 0);
		const landscape = new Landscape(race.objective, {x: 0, y: 1});
		const view: MapView = {x0: -10, x1: 30, xStep: 10, y0: -30, y1: 10, yStep: 10};
		// A path from the start out through the right edge, to far away.
		const xs = [0, 10, 20, 1e6];
		const ys = [0, -5, -10, -10];
		const model = buildMap({surface: landscape, view, start: {x: 0, y: 0}, series: [{slot: 0, xs, ys, diverged: true}], width: 41, height: 20, xName: 'RM', yName: 'LSTAT', color: false});
		const text = Array.from({length: 20}, (_, row) => String.fromCharCode(...model.canvas.chars.subarray(row * 41, row * 41 + 41)));
		const rows = text.map((line, row) => ({row, column: line.indexOf(MAP_DIVERGED_GLYPH)})).filter((at) => at.column >= 0);
		expect(rows).toHaveLength(1);
		// y = −10 is the row 20 units below the top of a 40-unit, 20-row view.
		expect(rows[0]).toEqual({row: 10, column: 40});
		expect(text.join('')).not.toContain('1');
	});
});

describe('the y axis name', () => {
	// The y labels are a layer of single-width cells: a Korean name would show as '??????'.
	test('is on the labels when its characters are single-width, else only its arrow is (the legend names it)', () => {
		const race = raceOn(['RM', 'LSTAT'], 0);
		const landscape = new Landscape(race.objective, {x: 0, y: 1});
		const view: MapView = {x0: -10, x1: 30, xStep: 10, y0: -30, y1: 10, yStep: 10};
		const labels = (yName: string) => buildMap({surface: landscape, view, start: {x: 0, y: 0}, series: [], width: 41, height: 20, xName: 'RM', yName, color: false}).yLabels;
		expect(labels('LSTAT').filter((label) => label.includes('↑'))).toEqual(['  LSTAT ↑ ']);
		const korean = labels('저소득층비율');
		expect(korean.filter((label) => label.includes('↑'))).toEqual(['        ↑ ']);
		expect(korean.join('')).not.toContain('?');
	});
});
