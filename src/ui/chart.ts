/**
 * The loss chart as data: from the racers' histories to the plot's cells (a canvas layer for the
 * frame writer), the y labels, the x-axis and a caption. Pure: no Ink, no terminal.
 *
 * The x-axis is fixed from 0 to the race's end (`epochs` clock units), so a frame only adds
 * columns at the right instead of reflowing the chart; the y range is rounded out to "nice"
 * ticks and includes L*, so it changes rarely. Both keep consecutive frames alike, and the frame
 * writer sends only the cells that changed. Each history is fitted to the plot's columns by
 * largest-triangle selection per column (LTTB), which keeps spikes. Each series is drawn by one
 * asciichart `plot` call, in row units, with the same height for all, and the results are laid
 * over each other with a fixed precedence (the first racer on top). asciichart crashes on NaN,
 * ±Infinity, undefined or an empty series: every value it receives is a finite row number, and
 * an empty series is never passed.
 */
import {plot} from 'asciichart';
import type {PlotConfig} from 'asciichart';
import {TIME_UNIT_MS} from '../engine/types.js';
import type {Clock} from '../engine/types.js';
import {formatAxis, formatCompact, formatSignificant} from './format.js';
import {decadeRange, niceRange, niceStep} from './scale.js';
import type {Range} from './scale.js';
import {SPACE} from './terminal/cells.js';
import type {Canvas} from './terminal/cells.js';
import type {CellStyle, Color} from './terminal/style.js';
import type {ChartView} from './ui-state.js';

/** Series colors by slot (the racer's index), as Ink color names: the legend uses the same. */
export const SERIES_COLORS = [
	'cyan',
	'magenta',
	'yellow',
	'green',
	'blue',
	'red',
	'white',
	'cyanBright',
	'magentaBright',
] as const satisfies readonly Color[];

/**
 * Curve glyphs by slot when color is off (one set per racer, up to 9), so that curves stay apart without color: horizontal,
 * vertical, then the corners ╭ ╮ ╰ ╯. With color on every series uses the first set.
 */
export const GLYPH_SETS = ['─│╭╮╰╯', '━┃┏┓┗┛', '═║╔╗╚╝', "-|..''", '┄┆╭╮╰╯', '******', '┈┊╭╮╰╯', '┅┇┏┓┗┛', '~:++++'] as const;

/** The L* reference line's glyph (dim). */
export const LOSS_STAR_GLYPH = '╌';
/** Marks where a diverged racer's curve stops. */
export const DIVERGED_GLYPH = '×';
const AXIS_GLYPH = '│';
/** The replay cursor's line, in the blank cells of its column. */
export const CURSOR_GLYPH = '┊';
const AXIS_TICK_GLYPH = '┤';

/** Width of the y labels when not given, the blank before the axis included (src/ui/layout.ts's LABEL_WIDTH). */
export const DEFAULT_LABEL_WIDTH = 10;

/** Gaps and losses never go below this fraction of L* on a log scale (a double's noise at L*). */
const LOG_FLOOR_RELATIVE = 1e-16;
/** Floor when nothing positive is known at all. */
const LOG_FLOOR_ABSOLUTE = 1e-16;

/** The unit of the x labels, per clock. */
export const X_UNITS: Readonly<Record<Clock, string>> = {iteration: 'iterations', samples: 'passes', time: 'ms'};

/** A racer's history as the engine's `history.columns()` gives it: chronological columns. */
export type ChartHistory = {
	readonly iteration: ArrayLike<number>;
	readonly samples: ArrayLike<number>;
	readonly ms: ArrayLike<number>;
	readonly loss: ArrayLike<number>;
};

/** One racer's curve. */
export type ChartSeries = {
	/** The racer's id (for the caller; the chart only draws). */
	readonly id: string;
	/** Color and glyph slot: the racer's index in the race. */
	readonly slot: number;
	readonly history: ChartHistory;
	/** Not drawn, and left out of the y range. @default false */
	readonly hidden?: boolean;
	/** The curve ends with a × where the racer diverged. @default false */
	readonly diverged?: boolean;
};

/** What the chart is drawn from. */
export type ChartOptions = {
	/** In display order; the first is drawn on top. */
	readonly series: readonly ChartSeries[];
	/** L*, the optimum's loss. */
	readonly lossStar: number;
	readonly view: ChartView;
	/** The x-axis follows the clock: iterations, passes over the data (samples / N), or ms of CPU time. */
	readonly clock: Clock;
	/** N, the data set's rows: one unit of the samples clock is N sample-gradients. */
	readonly dataRows: number;
	/** The race's length in clock units: the x-axis runs from 0 to it. */
	readonly epochs: number;
	/** The plot's columns, the y-axis column included. */
	readonly width: number;
	/** The plot's rows. */
	readonly height: number;
	/** Colored curves; without, each slot gets its own glyphs. @default true */
	readonly color?: boolean;
	/** Width of each y label string. @default 10 */
	readonly labelWidth?: number;
	/** The curves are smoothed with this weight (the caption says so; the chart does not smooth). @default 0 */
	readonly smoothing?: number;
	/** The replay cursor in clock units: a dim vertical line at its column. @default none */
	readonly cursor?: number | null;
};

/** The chart, ready to show. */
export type ChartModel = {
	/** The plot: axis column, curves and the L* line, `width × height` cells. */
	readonly canvas: Canvas;
	/** One label per plot row, each `labelWidth` characters (right-aligned, then a space). */
	readonly yLabels: readonly string[];
	/** The x-axis line under the plot, `width` characters: └ then ─ with ┬ at the ticks. */
	readonly xTicks: string;
	/** The x labels under the ticks, `width` characters. */
	readonly xLabels: string;
	/** The x labels' unit: 'iterations', 'passes' or 'ms'. */
	readonly xUnit: string;
	/** What the y-axis shows and what the dashed line means, one line. */
	readonly caption: string;
	/** Bottom of the y range in plotted units: loss (linear) or log10 of the loss or of the gap. */
	readonly yMin: number;
	/** Top of the y range, in the same units. */
	readonly yMax: number;
	/** The row (0 = top) of the L* line, or −1 when there is none (gap view). */
	readonly lossStarRow: number;
};

// Palette: 0 the axis and blanks (the canvas's zero-filled default), 1 the L* line, 2 + slot the
// curves, 2 + 9 + slot the curves' envelopes (dim).
const PALETTE_LOSS_STAR = 1;
const PALETTE_SERIES = 2;
const PALETTE_BAND = PALETTE_SERIES + SERIES_COLORS.length;

/** A zig-zagging curve's envelope: the range of its column, behind the trend line. */
export const BAND_GLYPH = '╎';
/** A curve is drawn as an envelope and a trend when at least this share of its columns spans this many rows. */
const ZIGZAG_SHARE = 0.25;
const ZIGZAG_ROWS = 1.5;

function buildPalette(color: boolean): readonly CellStyle[] {
	return [
		{},
		{dim: true},
		...SERIES_COLORS.map((fg): CellStyle => (color ? {fg} : {})),
		...SERIES_COLORS.map((fg): CellStyle => (color ? {fg, dim: true} : {dim: true})),
	];
}

// One palette per color mode, reused by every frame: the frame writer interns it once.
const PALETTES = {color: buildPalette(true), plain: buildPalette(false)} as const;

/** The glyph that stands for a slot's curve in the legend. */
export function legendGlyph(slot: number, color = true): string {
	return (color ? GLYPH_SETS[0] : glyphSet(slot))[0]!;
}

/** The color of a slot's curve (and legend entry). */
export function seriesColor(slot: number): (typeof SERIES_COLORS)[number] {
	return SERIES_COLORS[((slot % SERIES_COLORS.length) + SERIES_COLORS.length) % SERIES_COLORS.length]!;
}

function glyphSet(slot: number): string {
	return GLYPH_SETS[((slot % GLYPH_SETS.length) + GLYPH_SETS.length) % GLYPH_SETS.length]!;
}

/** asciichart's ten symbols for a glyph set: axis, axis tick, (unused ×2), ─, ╰, ╭, ╮, ╯, │. */
function symbolsOf(glyphs: string): NonNullable<PlotConfig['symbols']> {
	const [h, v, topLeft, topRight, bottomLeft, bottomRight] = [...glyphs] as [string, string, string, string, string, string];
	// asciichart's order of the corners: ╰ ╭ ╮ ╯.
	return ['┼', '┤', '╶', '╴', h, bottomLeft, topLeft, topRight, bottomRight, v];
}

type Tick = {readonly value: number; readonly label: string; readonly priority: number};

/** The y-axis ticks of a range: every step, plus 2 and 5 within roomy decades on log scales. */
function yTicks(range: Range, logScale: boolean, height: number): Tick[] {
	const ticks: Tick[] = [];
	const count = Math.round((range.hi - range.lo) / range.step);
	for (let k = 0; k <= count; k++) {
		const value = range.lo + k * range.step;
		const end = k === 0 || k === count;
		ticks.push({value, label: logScale ? formatAxis(10 ** value) : formatAxis(value, range.step), priority: end ? 0 : 1});
	}
	const rowsPerDecade = (height - 1) / Math.max(1e-9, range.hi - range.lo);
	if (logScale && range.step === 1 && rowsPerDecade >= 6) {
		for (let decade = range.lo; decade < range.hi; decade++) {
			for (const m of [2, 5]) ticks.push({value: decade + Math.log10(m), label: formatAxis(m * 10 ** decade), priority: 2});
		}
	}
	return ticks;
}

/**
 * A visible series reduced to the plot's columns: per column its lowest and highest value (a
 * loss, or a gap in the gap view) and where they lie, in columns (the column itself on the fast
 * path, the points' exact places on the careful one). Log scales are
 * monotone, so the extremes of the values are the extremes of what is plotted, and only about
 * two values per column ever need a logarithm.
 */
type Binned = {
	readonly series: ChartSeries;
	/** Columns with at least one point. */
	readonly bins: number;
	readonly column: Int32Array;
	readonly low: Float64Array;
	readonly lowX: Float64Array;
	readonly high: Float64Array;
	readonly highX: Float64Array;
	/** The first and the newest point's values: the curve starts and ends exactly there. */
	readonly first: number;
	readonly last: number;
	/** The smallest value above 0, or +∞. */
	readonly minPositive: number;
};

/** The column of each point (x in clock units scaled to columns) and the per-column extremes. */
function binSeries(series: ChartSeries, options: ChartOptions, epochs: number, span: number, offset: number): Binned | undefined {
	const {history} = series;
	const xs = options.clock === 'samples' ? history.samples : options.clock === 'time' ? history.ms : history.iteration;
	const perUnit = options.clock === 'samples' ? (options.dataRows > 0 && Number.isFinite(options.dataRows) ? options.dataRows : 1) : options.clock === 'time' ? TIME_UNIT_MS : 1;
	// Column of a raw x: x / perUnit clock units, of `epochs` over `span` columns.
	const scale = span / (epochs * perUnit);
	const limit = span * (1 + 1e-9);
	const losses = history.loss;
	const length = Math.min(losses.length, xs.length);
	const capacity = span + 1;
	const column = new Int32Array(capacity);
	const low = new Float64Array(capacity);
	const lowX = new Float64Array(capacity);
	const high = new Float64Array(capacity);
	const highX = new Float64Array(capacity);
	let bins = 0;
	let current = -1;
	let first = Number.NaN;
	let last = Number.NaN;
	let minPositive = Number.POSITIVE_INFINITY;
	// The engine's histories are chronological and finite. Assuming so, each column's extremes are
	// taken without a branch per point; anything else (x going back to an earlier column, a value
	// or an x that is not finite) sends the series down the careful path below.
	fast: {
		// Points before 0 and past the axis's end (after a clock change) are left out.
		let i = 0;
		while (i < length && xs[i]! * scale < 0) i++;
		let end = length;
		while (end > i && xs[end - 1]! * scale > limit) end--;
		if (i >= end) break fast;
		first = losses[i]! - offset;
		while (i < end) {
			const c = Math.min(span, Math.round(xs[i]! * scale));
			if (!(c > current)) break fast;
			current = c;
			// Raw x below this stays in column c (Math.round: [c − 0.5, c + 0.5)).
			const bound = c >= span ? Number.POSITIVE_INFINITY : (c + 0.5) / scale;
			let lowest = losses[i]! - offset;
			let highest = lowest;
			i++;
			while (i < end && xs[i]! < bound) {
				const value = losses[i]! - offset;
				lowest = Math.min(lowest, value);
				highest = Math.max(highest, value);
				i++;
			}
			// NaN or ±Infinity anywhere in the column shows here.
			if (highest - lowest !== highest - lowest || !Number.isFinite(highest - lowest)) break fast;
			column[bins] = c;
			low[bins] = lowest;
			lowX[bins] = c;
			high[bins] = highest;
			highX[bins] = c;
			bins++;
			if (lowest > 0) {
				if (lowest < minPositive) minPositive = lowest;
			} else if (highest > 0) {
				// Rare (a loss of exactly 0 next to positive ones): this column's smallest positive value.
				for (let k = i - 1; k >= 0 && xs[k]! * scale >= c - 0.5; k--) {
					const value = losses[k]! - offset;
					if (value > 0 && value < minPositive) minPositive = value;
				}
			}
		}
		last = losses[end - 1]! - offset;
		if (Number.isFinite(first) && Number.isFinite(last)) {
			return {series, bins, column, low, lowX, high, highX, first, last, minPositive};
		}
	}
	bins = 0;
	current = -1;
	first = Number.NaN;
	last = Number.NaN;
	minPositive = Number.POSITIVE_INFINITY;
	for (let i = 0; i < length; i++) {
		const x = xs[i]! * scale;
		const value = losses[i]! - offset;
		// Points past the axis's end (after a clock change) and anything not finite are left out.
		if (!(x >= 0 && x <= limit) || !Number.isFinite(value)) continue;
		// Columns never go back: a point that would joins the current column.
		let c = Math.round(x);
		if (c > span) c = span;
		if (c > current) {
			current = c;
			column[bins] = c;
			low[bins] = value;
			lowX[bins] = x;
			high[bins] = value;
			highX[bins] = x;
			bins++;
		} else if (value < low[bins - 1]!) {
			low[bins - 1] = value;
			lowX[bins - 1] = x;
		} else if (value > high[bins - 1]!) {
			high[bins - 1] = value;
			highX[bins - 1] = x;
		}
		if (bins === 1 && first !== first) first = value;
		last = value;
		if (value > 0 && value < minPositive) minPositive = value;
	}
	if (bins === 0) return undefined;
	return {series, bins, column, low, lowX, high, highX, first, last, minPositive};
}

/**
 * One value per column, in rows (0 = bottom): the first column starts at the first point and the
 * last ends at the newest; in between, of a column's lowest and highest point, the one that makes
 * the larger triangle with the previous choice and the next column's middle (LTTB over the
 * extremes), so a spike beats its flat neighbours. Columns no point fell in are filled by a
 * straight line. Returns the values of columns 0 … the last one used.
 */
function fitToColumns(binned: Binned, toRow: (value: number) => number, trend = false): number[] {
	const {bins, column, low, lowX, high, highX} = binned;
	const lowRow = new Float64Array(bins);
	const highRow = new Float64Array(bins);
	for (let b = 0; b < bins; b++) {
		lowRow[b] = toRow(low[b]!);
		highRow[b] = high[b] === low[b] ? lowRow[b]! : toRow(high[b]!);
	}
	if (trend) {
		// The middle of each column's range: the trend through a zig-zag, drawn over its envelope.
		const middle = new Float64Array(bins);
		for (let b = 0; b < bins; b++) middle[b] = (lowRow[b]! + highRow[b]!) / 2;
		middle[bins - 1] = toRow(binned.last);
		return interpolate(binned, middle);
	}
	const chosen = new Float64Array(bins);
	let prevX = 0;
	let prevY = 0;
	for (let b = 0; b < bins; b++) {
		let x: number;
		let y: number;
		if (b === bins - 1) {
			x = column[b]!;
			y = toRow(binned.last);
		} else if (b === 0) {
			x = column[0]!;
			y = toRow(binned.first);
		} else {
			const meanX = (lowX[b + 1]! + highX[b + 1]!) / 2;
			const meanY = (lowRow[b + 1]! + highRow[b + 1]!) / 2;
			const areaLow = Math.abs((prevX - meanX) * (lowRow[b]! - prevY) - (prevX - lowX[b]!) * (meanY - prevY));
			const areaHigh = Math.abs((prevX - meanX) * (highRow[b]! - prevY) - (prevX - highX[b]!) * (meanY - prevY));
			if (areaHigh > areaLow) {
				x = highX[b]!;
				y = highRow[b]!;
			} else {
				x = lowX[b]!;
				y = lowRow[b]!;
			}
		}
		chosen[b] = y;
		prevX = x;
		prevY = y;
	}
	return interpolate(binned, chosen);
}

/** One value per column from one per bin: straight lines between the bins, flat before the first. */
function interpolate(binned: Binned, chosen: Float64Array): number[] {
	const {bins, column} = binned;
	const lastColumn = column[bins - 1]!;
	const values = new Array<number>(lastColumn + 1);
	// Before the first point (a history that starts late): flat at the first value.
	for (let c = 0; c < column[0]!; c++) values[c] = chosen[0]!;
	for (let b = 0; b < bins; b++) {
		const c0 = column[b]!;
		values[c0] = chosen[b]!;
		if (b + 1 < bins) {
			const c1 = column[b + 1]!;
			for (let c = c0 + 1; c < c1; c++) values[c] = chosen[b]! + ((c - c0) / (c1 - c0)) * (chosen[b + 1]! - chosen[b]!);
		}
	}
	return values;
}

/** Draws one series with asciichart and lays its glyphs over the canvas (columns 1 …). */
function drawSeries(canvas: Canvas, values: number[], height: number, glyphs: string, paletteIndex: number): void {
	if (values.length === 0) return;
	// One point draws one column: asciichart draws a column per pair of points.
	const series = values.length === 1 ? [values[0]!, values[0]!] : values;
	const top = height - 1;
	for (let i = 0; i < series.length; i++) {
		const v = series[i]!;
		// Never NaN, ±Infinity or out of range (an out-of-range row crashes asciichart too).
		series[i] = Number.isFinite(v) ? Math.min(top, Math.max(0, v)) : 0;
	}
	const text = plot(series, {min: 0, max: top, height: top, offset: 1, symbols: symbolsOf(glyphs), format: () => ' '});
	const lines = text.split('\n');
	const width = canvas.width;
	const columns = Math.min(width, series.length);
	for (let r = 0; r < height && r < lines.length; r++) {
		const line = lines[r]!;
		const row = r * width;
		for (let c = 1; c < columns; c++) {
			const code = line.charCodeAt(c);
			if (code !== SPACE && !Number.isNaN(code)) {
				canvas.chars[row + c] = code;
				canvas.styles[row + c] = paletteIndex;
			}
		}
	}
}

/** The x-axis: tick line, labels and unit, `width` characters each. */
function xAxis(width: number, clock: Clock, epochs: number): {ticks: string; labels: string} {
	if (width <= 0) return {ticks: '', labels: ''};
	const scale = clock === 'time' ? TIME_UNIT_MS : 1;
	const extent = epochs * scale;
	const span = width - 1;
	const ticks = new Array<string>(width).fill('─');
	ticks[0] = '└';
	const labels = new Array<string>(width).fill(' ');
	if (span < 1 || !(extent > 0)) return {ticks: ticks.join(''), labels: labels.join('')};
	// The smallest nice step whose labels have room (two blanks between neighbours).
	let step = niceStep(extent, Math.max(1, Math.floor(span / 4)));
	for (let tries = 0; tries < 20; tries++) {
		const longest = Math.max(formatCompact(extent).length, formatCompact(Math.floor(extent / step) * step).length, formatCompact(step).length);
		if ((step / extent) * span >= longest + 2) break;
		step = niceStep(step * 1.5, 1);
	}
	let freeFrom = 0;
	for (let k = 0; k * step <= extent * (1 + 1e-9); k++) {
		const value = k * step;
		const column = Math.round((value / extent) * span);
		if (column > 0) ticks[column] = '┬';
		const label = formatCompact(value);
		let start = column === 0 ? 0 : column - Math.floor(label.length / 2);
		start = Math.min(width - label.length, start);
		if (start < freeFrom || start < 0) continue;
		for (let i = 0; i < label.length; i++) labels[start + i] = label[i]!;
		freeFrom = start + label.length + 1;
	}
	return {ticks: ticks.join(''), labels: labels.join('')};
}

/** The chart for one frame. Cheap enough for every frame (see test/bench/ui.bench.ts). */
export function buildChart(options: ChartOptions): ChartModel {
	const width = Math.max(0, Math.floor(options.width) || 0);
	const height = Math.max(0, Math.floor(options.height) || 0);
	const labelWidth = Math.max(1, Math.floor(options.labelWidth ?? DEFAULT_LABEL_WIDTH));
	const color = options.color ?? true;
	const palette = color ? PALETTES.color : PALETTES.plain;
	const size = width * height;
	const canvas: Canvas = {width, height, chars: new Uint16Array(size).fill(SPACE), styles: new Uint8Array(size), palette};
	const {view, clock} = options;
	const lossStar = Number.isFinite(options.lossStar) ? options.lossStar : Number.NaN;
	const epochs = Number.isFinite(options.epochs) && options.epochs > 0 ? options.epochs : 1;
	const span = Math.max(1, width - 1);
	const logScale = view !== 'linear';

	// Each visible series reduced to its columns; values are losses, or gaps in the gap view.
	const offset = view === 'gap' ? lossStar : 0;
	const binned: Binned[] = [];
	let minPositive = Number.POSITIVE_INFINITY;
	let low = Number.POSITIVE_INFINITY;
	let high = Number.NEGATIVE_INFINITY;
	if (!(view === 'gap' && !Number.isFinite(offset))) {
		for (const series of options.series) {
			if (series.hidden) continue;
			const entry = binSeries(series, options, epochs, span, offset);
			if (entry !== undefined) binned.push(entry);
		}
	}
	// A diverged racer's last losses are huge: they would flatten every other curve. The y range
	// follows the racers still in the race (a diverged curve leaves through the top and its ×
	// sits on the edge), unless every visible racer diverged.
	const ranged = binned.some((entry) => !entry.series.diverged) ? binned.filter((entry) => !entry.series.diverged) : binned;
	for (const entry of ranged) {
		minPositive = Math.min(minPositive, entry.minPositive);
		for (let b = 0; b < entry.bins; b++) {
			low = Math.min(low, entry.low[b]!);
			high = Math.max(high, entry.high[b]!);
		}
	}
	if (view === 'log' && lossStar > 0 && lossStar < minPositive) minPositive = lossStar;
	let floor = Number.isFinite(minPositive) ? minPositive : LOG_FLOOR_ABSOLUTE;
	if (view === 'gap' && lossStar > 0) floor = Math.max(floor, LOG_FLOOR_RELATIVE * lossStar);
	// On a log scale a value of 0 (a gap closed, a perfect fit) has no place: it is plotted on the
	// bottom row, whose decade holds the floor.
	const logOf = (value: number): number => Math.log10(value > floor ? value : floor);

	// The y range in plotted units, L* included (except in the gap view, where it is the bottom).
	let yLo = Number.POSITIVE_INFINITY;
	let yHi = Number.NEGATIVE_INFINITY;
	if (low <= high) {
		yLo = logScale ? logOf(low) : low;
		yHi = logScale ? logOf(high) : high;
	}
	const lossStarY = view === 'gap' || !Number.isFinite(lossStar) || (logScale && !(lossStar > 0)) ? Number.NaN : logScale ? logOf(lossStar) : lossStar;
	if (Number.isFinite(lossStarY)) {
		yLo = Math.min(yLo, lossStarY);
		yHi = Math.max(yHi, lossStarY);
	}
	if (!(yLo <= yHi)) {
		yLo = logScale ? Math.log10(floor) : 0;
		yHi = logScale ? yLo + 1 : 1;
	}
	const intervals = Math.max(1, Math.floor((height - 1) / 2));
	const range = logScale ? decadeRange(yLo, yHi, intervals) : niceRange(yLo, yHi, intervals);
	const top = Math.max(0, height - 1);
	const toRow = (y: number): number => ((y - range.lo) / (range.hi - range.lo)) * top;
	// A value's row from the bottom, fractional: what the curves are drawn from.
	const valueRow = logScale ? (value: number): number => (value > 0 ? toRow(logOf(value)) : 0) : toRow;
	const rowOf = (y: number): number => top - Math.round(toRow(y));

	// The y labels, and the axis ticks that go with them.
	const yLabels = new Array<string>(height).fill(' '.repeat(labelWidth));
	const labelled = new Array<boolean>(height).fill(false);
	const ticks = yTicks(range, logScale, height).sort((a, b) => a.priority - b.priority);
	for (const tick of ticks) {
		const row = rowOf(tick.value);
		if (row < 0 || row >= height || labelled[row] || (tick.priority > 0 && (labelled[row - 1] || labelled[row + 1]))) continue;
		let text = tick.label;
		// In the gap view the bottom row holds every gap down to 0, that is, L* reached.
		if (view === 'gap' && row === top) text = `≤${text}`;
		yLabels[row] = `${text.length <= labelWidth - 1 ? text.padStart(labelWidth - 1) : '#'.repeat(labelWidth - 1)} `.slice(-labelWidth);
		labelled[row] = true;
	}

	if (width > 0 && height > 0) {
		for (let r = 0; r < height; r++) canvas.chars[r * width] = (labelled[r] ? AXIS_TICK_GLYPH : AXIS_GLYPH).charCodeAt(0);
	}
	let lossStarRow = -1;
	if (Number.isFinite(lossStarY) && width > 1 && height > 0) {
		lossStarRow = rowOf(lossStarY);
		const row = lossStarRow * width;
		for (let c = 1; c < width; c++) {
			canvas.chars[row + c] = LOSS_STAR_GLYPH.charCodeAt(0);
			canvas.styles[row + c] = PALETTE_LOSS_STAR;
		}
	}

	// The curves, last series first so that the first is drawn on top.
	if (width > 1 && height > 0) {
		for (let k = binned.length - 1; k >= 0; k--) {
			const entry = binned[k]!;
			const slot = entry.series.slot;
			const slotIndex = ((slot % SERIES_COLORS.length) + SERIES_COLORS.length) % SERIES_COLORS.length;
			const paletteIndex = PALETTE_SERIES + slotIndex;
			// A zig-zag (mb-epoch within its passes, SGD's noise) is drawn as its envelope, min to max
			// per column, with the trend through it on top: a solid band would hide both.
			let wide = 0;
			for (let b = 0; b < entry.bins; b++) if (valueRow(entry.high[b]!) - valueRow(entry.low[b]!) >= ZIGZAG_ROWS) wide++;
			const zigzag = entry.bins >= 4 && wide >= ZIGZAG_SHARE * entry.bins;
			if (zigzag) {
				for (let b = 0; b < entry.bins; b++) {
					const c = entry.column[b]!;
					if (c < 1 || c >= width) continue;
					const from = top - Math.round(Math.min(top, Math.max(0, valueRow(entry.high[b]!))));
					const to = top - Math.round(Math.min(top, Math.max(0, valueRow(entry.low[b]!))));
					for (let r = from; r <= to; r++) {
						canvas.chars[r * width + c] = BAND_GLYPH.charCodeAt(0);
						canvas.styles[r * width + c] = PALETTE_BAND + slotIndex;
					}
				}
			}
			const values = fitToColumns(entry, valueRow, zigzag);
			drawSeries(canvas, values, height, color ? GLYPH_SETS[0] : glyphSet(slot), paletteIndex);
			if (entry.series.diverged) {
				const column = Math.min(width - 1, Math.max(1, values.length - 1));
				const row = top - Math.round(Math.min(top, Math.max(0, values[values.length - 1]!)));
				canvas.chars[row * width + column] = DIVERGED_GLYPH.charCodeAt(0);
				canvas.styles[row * width + column] = paletteIndex;
			}
		}
	}

	const cursor = options.cursor;
	if (cursor !== undefined && cursor !== null && Number.isFinite(cursor) && width > 1) {
		const column = Math.min(width - 1, Math.max(1, Math.round((cursor / epochs) * span)));
		for (let r = 0; r < height; r++) {
			const at = r * width + column;
			if (canvas.chars[at] === SPACE || canvas.styles[at] === PALETTE_LOSS_STAR) {
				canvas.chars[at] = CURSOR_GLYPH.charCodeAt(0);
				canvas.styles[at] = PALETTE_LOSS_STAR;
			}
		}
	}

	const axis = xAxis(width, clock, epochs);
	const lossStarText = Number.isFinite(lossStar) ? formatSignificant(lossStar, 12, 6).trim() : '—';
	const smoothing = options.smoothing ?? 0;
	const smoothed = smoothing > 0 ? `, smooth ${smoothing}` : '';
	const caption =
		view === 'gap'
			? `loss − L* (log scale)${smoothed}; L* = ${lossStarText}; the bottom row is the optimum reached`
			: `${view === 'log' ? 'loss (log scale)' : 'loss'}${smoothed}; ${LOSS_STAR_GLYPH} L* = ${lossStarText}`;
	return {
		canvas,
		yLabels,
		xTicks: axis.ticks,
		xLabels: axis.labels,
		xUnit: X_UNITS[clock],
		caption,
		yMin: range.lo,
		yMax: range.hi,
		lossStarRow,
	};
}
