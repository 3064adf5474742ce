/**
 * The landscape map as data: contour lines of the profile loss over two parameters, the optimum,
 * the start and each racer's path through weight space, as a canvas layer for the frame writer
 * (like the chart's plot), with y labels, an x-axis and a legend line. Pure: no Ink, no terminal.
 *
 * Resolution: each cell is a braille character of 2×4 dots, so paths and contours are drawn on a
 * grid four times finer than the cells vertically and twice horizontally. A cell takes one color:
 * a cell any path crosses shows only the paths' dots, in the color of the first racer there (the
 * first racer is on top, as in the chart); other cells show contour dots, dim. Markers take whole
 * cells: each racer's number at its position, `★` the optimum, `○` the start, `×` where a diverged
 * racer left. Without color the contours are dim and the paths plain, and the numbers tell the
 * racers apart.
 *
 * The view (the weights' ranges on the axes) is fitted to the start, the optimum and the racers
 * by `fitView`, with nice 1-2-5 ranges and hysteresis: it changes in steps, never every frame.
 */
import {formatAxis, formatSignificant} from './format.js';
import {SERIES_COLORS} from './chart.js';
import {niceRange} from './scale.js';
import {SPACE, codePointWidth} from './terminal/cells.js';
import type {Canvas} from './terminal/cells.js';
import type {CellStyle} from './terminal/style.js';

/** The optimum's marker. */
export const OPTIMUM_GLYPH = '★';
/** The shared start's marker. */
export const START_GLYPH = '○';
/** Where a diverged racer's path leaves the map (or where it stopped, inside). */
export const MAP_DIVERGED_GLYPH = '×';
const AXIS_GLYPH = '│';
const AXIS_TICK_GLYPH = '┤';
const BRAILLE = 0x2800;
/** Braille dot bits by (column, row) within a cell: dots 1-2-3-7 on the left, 4-5-6-8 on the right. */
const DOT_BITS = [
	[0x01, 0x02, 0x04, 0x40],
	[0x08, 0x10, 0x20, 0x80],
] as const;

/** The landscape the map draws (the engine's `Landscape` is one). */
export type MapSurface = {
	readonly lossStar: number;
	readonly xStar: number;
	readonly yStar: number;
	/** profile loss − L* at (x, y), >= 0. */
	gap(x: number, y: number): number;
};

/** The weights' ranges on the axes, with the tick steps of their labels. */
export type MapView = {
	readonly x0: number;
	readonly x1: number;
	readonly xStep: number;
	readonly y0: number;
	readonly y1: number;
	readonly yStep: number;
};

/** A point in the map's plane. */
export type MapPoint = {readonly x: number; readonly y: number};

/** A view is kept while what it must show fits inside it and needs more than this share of its span. */
const SHRINK_BELOW = 0.2;
/** Room left around the fitted points, as a share of their span on each side. */
const MARGIN = 0.08;

/** Ticks per axis: one per this many columns, and per this many rows. */
const COLUMNS_PER_TICK = 12;
const ROWS_PER_TICK = 3;

/**
 * The view for `points` (start, optimum, racers' positions; non-finite ones are ignored) on a
 * plot of `width × height` cells: `previous` as long as every point is inside it and the points
 * need more than a fifth of its span on each axis; else nice ranges around the points. So the
 * view changes in steps, when a racer leaves it or the race has narrowed to a small part of it.
 * Pass null to refit.
 */
export function fitView(previous: MapView | null, points: readonly MapPoint[], width: number, height: number): MapView {
	let xLo = Infinity;
	let xHi = -Infinity;
	let yLo = Infinity;
	let yHi = -Infinity;
	for (const {x, y} of points) {
		if (!Number.isFinite(x) || !Number.isFinite(y)) continue;
		xLo = Math.min(xLo, x);
		xHi = Math.max(xHi, x);
		yLo = Math.min(yLo, y);
		yHi = Math.max(yHi, y);
	}
	if (!(xLo <= xHi)) {
		xLo = -1;
		xHi = 1;
		yLo = -1;
		yHi = 1;
	}
	if (previous !== null) {
		const inside = xLo >= previous.x0 && xHi <= previous.x1 && yLo >= previous.y0 && yHi <= previous.y1;
		const tight = xHi - xLo > SHRINK_BELOW * (previous.x1 - previous.x0) || yHi - yLo > SHRINK_BELOW * (previous.y1 - previous.y0);
		if (inside && tight) return previous;
	}
	const pad = (lo: number, hi: number): [number, number] => {
		const span = hi - lo > 0 ? hi - lo : Math.max(Math.abs(lo), 1) * 0.5;
		return [lo - MARGIN * span, hi + MARGIN * span];
	};
	const [xa, xb] = pad(xLo, xHi);
	const [ya, yb] = pad(yLo, yHi);
	const xRange = niceRange(xa, xb, Math.max(2, Math.floor(width / COLUMNS_PER_TICK)));
	const yRange = niceRange(ya, yb, Math.max(2, Math.floor(height / ROWS_PER_TICK)));
	return {x0: xRange.lo, x1: xRange.hi, xStep: xRange.step, y0: yRange.lo, y1: yRange.hi, yStep: yRange.step};
}

/** The 1-2-5 ladder of gaps. */
const LADDER = [1, 2, 5] as const;
/** Contours span this many decades of gap below the largest one in view. */
const CONTOUR_DECADES = 3.5;

/** The contour levels (gaps above L*, ascending) for a view: the 1-2-5 ladder below the largest gap in view. */
export function contourLevels(surface: MapSurface, view: MapView): number[] {
	let top = 0;
	for (const x of [view.x0, view.x1]) for (const y of [view.y0, view.y1]) top = Math.max(top, surface.gap(x, y));
	if (!(top > 0) || !Number.isFinite(top)) return [];
	const bottom = top * 10 ** -CONTOUR_DECADES;
	const levels: number[] = [];
	for (let decade = Math.floor(Math.log10(bottom)); decade <= Math.ceil(Math.log10(top)); decade++) {
		for (const m of LADDER) {
			const level = m * 10 ** decade;
			if (level > bottom && level < top) levels.push(level);
		}
	}
	return levels;
}

/** Contour dots of a view on a grid of `dotsX × dotsY` dots: 1 where a level line passes. */
export type ContourDots = {
	readonly levels: readonly number[];
	readonly dotsX: number;
	readonly dotsY: number;
	readonly dots: Uint8Array;
};

/**
 * Marks the dots where the band (how many levels lie below the gap) changes to the right or
 * below: lines one dot thick. One gap per dot, each a few multiplications: cheap, and only
 * computed again when the view or the size changes.
 */
export function contourDots(surface: MapSurface, view: MapView, dotsX: number, dotsY: number): ContourDots {
	const levels = contourLevels(surface, view);
	const band = new Uint8Array(dotsX * dotsY);
	const dx = (view.x1 - view.x0) / dotsX;
	const dy = (view.y1 - view.y0) / dotsY;
	for (let j = 0; j < dotsY; j++) {
		const y = view.y1 - (j + 0.5) * dy;
		for (let i = 0; i < dotsX; i++) {
			const gap = surface.gap(view.x0 + (i + 0.5) * dx, y);
			let lo = 0;
			let hi = levels.length;
			while (lo < hi) {
				const mid = (lo + hi) >> 1;
				if (levels[mid]! <= gap) lo = mid + 1;
				else hi = mid;
			}
			band[j * dotsX + i] = lo;
		}
	}
	const dots = new Uint8Array(dotsX * dotsY);
	for (let j = 0; j < dotsY; j++) {
		for (let i = 0; i < dotsX; i++) {
			const at = j * dotsX + i;
			const b = band[at]!;
			if ((i + 1 < dotsX && band[at + 1] !== b) || (j + 1 < dotsY && band[at + dotsX] !== b)) dots[at] = 1;
		}
	}
	return {levels, dotsX, dotsY, dots};
}

/** One racer's path. */
export type MapSeries = {
	/** Color slot and number (slot + 1): the racer's index in the race. */
	readonly slot: number;
	/** The path's points, chronological (the history's θ columns of the two axes). */
	readonly xs: ArrayLike<number>;
	readonly ys: ArrayLike<number>;
	/** Points of the path drawn: the first `count` (the replay cursor's). @default all */
	readonly count?: number;
	/** Where the racer is (the last point drawn when not given). */
	readonly position?: MapPoint;
	/** Not drawn. @default false */
	readonly hidden?: boolean;
	/** Its marker is `×`, where it left the map or stopped. @default false */
	readonly diverged?: boolean;
};

/** What the map is drawn from. */
export type MapOptions = {
	readonly surface: MapSurface;
	readonly view: MapView;
	/** The shared start, in the map's plane. */
	readonly start: MapPoint;
	/** In display order; the first is drawn on top. */
	readonly series: readonly MapSeries[];
	/** The canvas's columns, the y-axis column included. */
	readonly width: number;
	readonly height: number;
	/** Names of the axes (feature names, or 'bias'). */
	readonly xName: string;
	readonly yName: string;
	/** @default true */
	readonly color?: boolean;
	/** Width of each y label string. @default 10 */
	readonly labelWidth?: number;
	/** The contours for this view and size, when the caller kept them from a frame before. */
	readonly contours?: ContourDots;
};

/** The map, ready to show. */
export type MapModel = {
	readonly canvas: Canvas;
	/** One label per canvas row, `labelWidth` characters each: the y values, the y axis's name on top. */
	readonly yLabels: readonly string[];
	/** The x-axis line under the canvas and its labels, `width` characters each. */
	readonly xTicks: string;
	readonly xLabels: string;
	/** The contours used (keep them for the next frame of the same view and size). */
	readonly contours: ContourDots;
	/** What the lines are, one line: 'loss − L* = 0.5 … 1000 (×2, ×2.5)'. */
	readonly caption: string;
};

// Palette: 0 plain (axis), 1 dim (contours), 2 the optimum, 3 the start, 4 + slot the racers'
// paths, 4 + 9 + slot their markers (bold; without color also inverse, to stand out).
const PALETTE_DIM = 1;
const PALETTE_OPTIMUM = 2;
const PALETTE_START = 3;
const PALETTE_SERIES = 4;
const PALETTE_MARKER = PALETTE_SERIES + SERIES_COLORS.length;

function buildPalette(color: boolean): readonly CellStyle[] {
	return [
		{},
		{dim: true},
		color ? {fg: 'yellow', bold: true} : {bold: true},
		{bold: true},
		...SERIES_COLORS.map((fg): CellStyle => (color ? {fg} : {})),
		...SERIES_COLORS.map((fg): CellStyle => (color ? {fg, bold: true} : {bold: true, inverse: true})),
	];
}
// One palette per color mode, reused by every frame: the frame writer interns it once.
const PALETTES = {color: buildPalette(true), plain: buildPalette(false)} as const;

function slotIndex(slot: number): number {
	return ((slot % SERIES_COLORS.length) + SERIES_COLORS.length) % SERIES_COLORS.length;
}

/**
 * Marks the dots of the segment (ax, ay) → (bx, by), in dot coordinates, clipped to the grid
 * (Liang–Barsky, so a diverged racer's far-away point costs nothing), with `owner`.
 */
function drawSegment(owners: Uint8Array, dotsX: number, dotsY: number, ax: number, ay: number, bx: number, by: number, owner: number): void {
	let t0 = 0;
	let t1 = 1;
	const dx = bx - ax;
	const dy = by - ay;
	const clip = (p: number, q: number): boolean => {
		if (p === 0) return q >= 0;
		const r = q / p;
		if (p < 0) {
			if (r > t1) return false;
			if (r > t0) t0 = r;
		} else {
			if (r < t0) return false;
			if (r < t1) t1 = r;
		}
		return true;
	};
	// Inside is [0, dotsX) × [0, dotsY) in continuous coordinates (a dot's cell is its floor).
	const xMax = dotsX - 1e-9;
	const yMax = dotsY - 1e-9;
	if (!(clip(-dx, ax) && clip(dx, xMax - ax) && clip(-dy, ay) && clip(dy, yMax - ay))) return;
	const sx = ax + t0 * dx;
	const sy = ay + t0 * dy;
	const ex = ax + t1 * dx;
	const ey = ay + t1 * dy;
	let x = Math.floor(sx);
	let y = Math.floor(sy);
	const x1 = Math.floor(ex);
	const y1 = Math.floor(ey);
	const steps = Math.max(Math.abs(x1 - x), Math.abs(y1 - y));
	if (steps === 0) {
		owners[y * dotsX + x] = owner;
		return;
	}
	// A DDA over the dots: at most dotsX + dotsY steps after clipping.
	const stepX = (ex - sx) / steps;
	const stepY = (ey - sy) / steps;
	let fx = sx;
	let fy = sy;
	for (let k = 0; k <= steps; k++) {
		x = Math.min(dotsX - 1, Math.max(0, Math.floor(fx)));
		y = Math.min(dotsY - 1, Math.max(0, Math.floor(fy)));
		owners[y * dotsX + x] = owner;
		fx += stepX;
		fy += stepY;
	}
}

/** The x-axis under the map: └ then ─ with ┬ at the ticks, and the values under them. */
function mapXAxis(width: number, view: MapView): {ticks: string; labels: string} {
	if (width <= 0) return {ticks: '', labels: ''};
	const ticks = new Array<string>(width).fill('─');
	ticks[0] = '└';
	const labels = new Array<string>(width).fill(' ');
	const span = width - 1;
	const extent = view.x1 - view.x0;
	if (span < 1 || !(extent > 0)) return {ticks: ticks.join(''), labels: labels.join('')};
	const count = Math.round(extent / view.xStep);
	let freeFrom = 0;
	for (let k = 0; k <= count; k++) {
		const value = view.x0 + k * view.xStep;
		// Columns 1 … width−1 hold the dots: the value at a column's middle.
		const column = Math.min(span, Math.max(1, 1 + Math.round(((value - view.x0) / extent) * (span - 1))));
		ticks[column] = '┬';
		const label = formatAxis(value, view.xStep);
		let start = column - Math.floor(label.length / 2);
		start = Math.min(width - label.length, Math.max(0, start));
		if (start < freeFrom) continue;
		for (let i = 0; i < label.length; i++) labels[start + i] = label[i]!;
		freeFrom = start + label.length + 1;
	}
	return {ticks: ticks.join(''), labels: labels.join('')};
}

/** The cell (column, row) of a point, or undefined outside the view. Column 0 is the axis. */
export function cellOf(view: MapView, width: number, height: number, point: MapPoint): {column: number; row: number} | undefined {
	const fx = (point.x - view.x0) / (view.x1 - view.x0);
	const fy = (view.y1 - point.y) / (view.y1 - view.y0);
	if (!(fx >= 0 && fx <= 1 && fy >= 0 && fy <= 1)) return undefined;
	const columns = width - 1;
	return {column: 1 + Math.min(columns - 1, Math.floor(fx * columns)), row: Math.min(height - 1, Math.floor(fy * height))};
}

/** The map for one frame. */
export function buildMap(options: MapOptions): MapModel {
	const width = Math.max(0, Math.floor(options.width) || 0);
	const height = Math.max(0, Math.floor(options.height) || 0);
	const labelWidth = Math.max(1, Math.floor(options.labelWidth ?? 10));
	const color = options.color ?? true;
	const {view, surface} = options;
	const size = width * height;
	const palette = color ? PALETTES.color : PALETTES.plain;
	const canvas: Canvas = {width, height, chars: new Uint16Array(size).fill(SPACE), styles: new Uint8Array(size), palette};
	const columns = Math.max(0, width - 1);
	const dotsX = columns * 2;
	const dotsY = height * 4;
	const contours =
		options.contours !== undefined && options.contours.dotsX === dotsX && options.contours.dotsY === dotsY
			? options.contours
			: contourDots(surface, view, dotsX, dotsY);

	// Paths: owners per dot (slot + 1), the last series first so that the first ends on top.
	const owners = new Uint8Array(dotsX * dotsY);
	const toDotX = dotsX / (view.x1 - view.x0);
	const toDotY = dotsY / (view.y1 - view.y0);
	const visible = options.series.filter((series) => !series.hidden);
	for (let k = visible.length - 1; k >= 0; k--) {
		const series = visible[k]!;
		const owner = slotIndex(series.slot) + 1;
		const count = Math.min(series.count ?? series.xs.length, series.xs.length, series.ys.length);
		let px = Number.NaN;
		let py = Number.NaN;
		for (let i = 0; i < count; i++) {
			const x = (series.xs[i]! - view.x0) * toDotX;
			const y = (view.y1 - series.ys[i]!) * toDotY;
			if (!Number.isFinite(x) || !Number.isFinite(y)) continue;
			if (px === px) {
				// Consecutive points in the same dot draw nothing new.
				if (Math.floor(x) !== Math.floor(px) || Math.floor(y) !== Math.floor(py) || i === 1) {
					drawSegment(owners, dotsX, dotsY, px, py, x, y, owner);
				}
			} else if (count === 1) {
				drawSegment(owners, dotsX, dotsY, x, y, x, y, owner);
			}
			px = x;
			py = y;
		}
	}

	// Cells: paths' dots in the top owner's color, else contour dots (dim).
	const contourBits = contours.dots;
	for (let row = 0; row < height; row++) {
		for (let column = 1; column < width; column++) {
			let pathBits = 0;
			let lineBits = 0;
			let top = 0;
			const dx0 = (column - 1) * 2;
			for (let sub = 0; sub < 2; sub++) {
				for (let r = 0; r < 4; r++) {
					const at = (row * 4 + r) * dotsX + dx0 + sub;
					const owner = owners[at]!;
					const bit = DOT_BITS[sub]![r]!;
					if (owner !== 0) {
						pathBits |= bit;
						if (top === 0 || owner < top) top = owner;
					} else if (contourBits[at] !== 0) {
						lineBits |= bit;
					}
				}
			}
			const cell = row * width + column;
			if (pathBits !== 0) {
				canvas.chars[cell] = BRAILLE + pathBits;
				canvas.styles[cell] = PALETTE_SERIES + top - 1;
			} else if (lineBits !== 0) {
				canvas.chars[cell] = BRAILLE + lineBits;
				canvas.styles[cell] = PALETTE_DIM;
			}
		}
	}

	// The y axis and its labels.
	const yLabels = new Array<string>(height).fill(' '.repeat(labelWidth));
	if (width > 0) {
		for (let r = 0; r < height; r++) canvas.chars[r * width] = AXIS_GLYPH.charCodeAt(0);
		const count = Math.round((view.y1 - view.y0) / view.yStep);
		const labelled = new Array<boolean>(height).fill(false);
		for (let k = 0; k <= count; k++) {
			const value = view.y0 + k * view.yStep;
			const row = Math.min(height - 1, Math.max(0, Math.floor(((view.y1 - value) / (view.y1 - view.y0)) * height - (k === count ? 0 : 1e-9))));
			if (labelled[row] || labelled[row - 1] || labelled[row + 1]) continue;
			labelled[row] = true;
			canvas.chars[row * width] = AXIS_TICK_GLYPH.charCodeAt(0);
			const text = formatAxis(value, view.yStep);
			yLabels[row] = `${text.length <= labelWidth - 1 ? text.padStart(labelWidth - 1) : '#'.repeat(labelWidth - 1)} `;
		}
		// The y axis's name on the top row when it is free, else on the first free row.
		const free = labelled.findIndex((taken) => !taken);
		// (The labels are a layer of single-width cells: a name with wide characters, Korean say,
		// is named in the legend only, and its row shows the arrow.)
		const name = [...options.yName].every((character) => codePointWidth(character.codePointAt(0)!) === 1) ? options.yName : '';
		if (free >= 0) yLabels[free] = `${name.slice(0, labelWidth - 2)} ↑`.trimStart().padStart(labelWidth - 1).slice(-(labelWidth - 1)) + ' ';
	}

	// Markers: start, optimum, then the racers (the first on top), each a whole cell.
	const put = (point: MapPoint, glyph: string, style: number): void => {
		const cell = cellOf(view, width, height, point);
		if (cell === undefined || width < 2) return;
		canvas.chars[cell.row * width + cell.column] = glyph.charCodeAt(0);
		canvas.styles[cell.row * width + cell.column] = style;
	};
	put(options.start, START_GLYPH, PALETTE_START);
	put({x: surface.xStar, y: surface.yStar}, OPTIMUM_GLYPH, PALETTE_OPTIMUM);
	for (let k = visible.length - 1; k >= 0; k--) {
		const series = visible[k]!;
		const style = PALETTE_MARKER + slotIndex(series.slot);
		const count = Math.min(series.count ?? series.xs.length, series.xs.length, series.ys.length);
		const position = series.position ?? (count > 0 ? {x: series.xs[count - 1]!, y: series.ys[count - 1]!} : undefined);
		if (position === undefined) continue;
		const glyph = series.diverged ? MAP_DIVERGED_GLYPH : String((series.slot % 9) + 1);
		if (cellOf(view, width, height, position) !== undefined) {
			put(position, glyph, style);
		} else if (series.diverged) {
			const exit = exitPoint(series, count, view);
			if (exit !== undefined) put(exit, glyph, style);
		}
	}

	const axis = mapXAxis(width, view);
	const {levels} = contours;
	const caption =
		levels.length === 0
			? `contours: none in view; ${OPTIMUM_GLYPH} L* = ${formatSignificant(surface.lossStar, 12, 6).trim()}`
			: `contours: loss − L* = ${formatAxis(levels[0]!)} … ${formatAxis(levels.at(-1)!)} (1-2-5)`;
	return {canvas, yLabels, xTicks: axis.ticks, xLabels: axis.labels, contours, caption};
}

/**
 * Where a diverged racer's path last crosses the view's border, going out: on the last segment
 * from a point inside to one outside, nudged just inside. Undefined when it never was inside.
 */
function exitPoint(series: MapSeries, count: number, view: MapView): MapPoint | undefined {
	const inside = (x: number, y: number): boolean => x >= view.x0 && x <= view.x1 && y >= view.y0 && y <= view.y1;
	for (let i = count - 1; i > 0; i--) {
		const bx = series.xs[i]!;
		const by = series.ys[i]!;
		const ax = series.xs[i - 1]!;
		const ay = series.ys[i - 1]!;
		if (!inside(ax, ay) || inside(bx, by)) continue;
		// The largest t in [0, 1] that keeps a + t·(b − a) inside.
		let t = 1;
		const limit = (from: number, delta: number, lo: number, hi: number): void => {
			if (!Number.isFinite(delta) || delta === 0) return;
			const bound = delta > 0 ? hi : lo;
			t = Math.min(t, (bound - from) / delta);
		};
		limit(ax, bx - ax, view.x0, view.x1);
		limit(ay, by - ay, view.y0, view.y1);
		t = Math.max(0, t) * (1 - 1e-9);
		return {x: ax + t * (bx - ax), y: ay + t * (by - ay)};
	}
	return undefined;
}

