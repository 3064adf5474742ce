/**
 * A zig-zagging curve (mb-epoch within its passes) is drawn as its envelope, min to max per
 * column, with the trend through the middle on top; a smooth curve is drawn as before.
 */
import {describe, expect, test} from 'vitest';
import {BAND_GLYPH, buildChart} from '../../src/ui/chart.js';
import type {ChartHistory} from '../../src/ui/chart.js';
import {canvasLines} from '../../src/ui/components/LossChart.js';

function history(loss: (i: number) => number, count: number): ChartHistory {
	const iteration = Float64Array.from({length: count}, (_, i) => i / 10);
	return {iteration, samples: iteration, ms: iteration, loss: Float64Array.from({length: count}, (_, i) => loss(i))};
}

function chart(series: ChartHistory) {
	return buildChart({series: [{id: 'a', slot: 3, history: series}], lossStar: 1, view: 'linear', clock: 'iteration', dataRows: 1, epochs: 100, width: 60, height: 20, color: false});
}

describe('the envelope of a zig-zag', () => {
	test('a curve that zig-zags within every column shows its range as a band, the trend on top', () => {
		// Ten points a column, alternating ±8 around a falling trend.
		const model = chart(history((i) => 60 - i / 25 + (i % 2 === 0 ? 8 : -8), 1000));
		const lines = canvasLines(model.canvas);
		const band = lines.map((line) => [...line].filter((glyph) => glyph === BAND_GLYPH).length).reduce((sum, n) => sum + n, 0);
		expect(band).toBeGreaterThan(50);
		// In a column in the middle, the curve's own glyph sits between band cells above and below.
		const column = 30;
		const cells = lines.map((line) => line[column]!);
		const rows = cells.flatMap((glyph, row) => (glyph !== ' ' && glyph !== '╌' ? [row] : []));
		const curve = rows.filter((row) => cells[row] !== BAND_GLYPH);
		expect(curve.length).toBeGreaterThan(0);
		expect(Math.min(...rows)).toBeLessThan(Math.min(...curve));
		expect(Math.max(...rows)).toBeGreaterThan(Math.max(...curve));
	});

	test('a smooth curve has no band', () => {
		const model = chart(history((i) => 60 - i / 25, 1000));
		expect(canvasLines(model.canvas).join('')).not.toContain(BAND_GLYPH);
	});
});
