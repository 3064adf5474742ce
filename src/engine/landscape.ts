/**
 * The loss landscape over two parameters: the exact profile loss, for the map.
 *
 * Axes: two weights A and B, or (with one feature) the weight and the bias. At each point
 * (a, b) of the plane the other weights and the bias take their best values, so the map shows
 * the lowest loss reachable there. The MSE is quadratic, so the profile is too:
 *
 *   profile(a, b) = L* + ‖(a − a*)·u + (b − b*)·v‖²
 *
 * with (a*, b*) the optimum's coordinates and u, v two 2-vectors computed once here:
 * - two weights: centre the columns (the bias absorbs the means exactly), order them (others, A,
 *   B) and triangularise by Householder reflections; the others' columns are eliminated (a column
 *   with nothing left after the ones before it is skipped, so collinear features are no
 *   problem), and the 2×2 triangle left for A and B is R_AB: profile − L* = ‖R_AB·δ‖²/N. This is
 *   the Schur complement of the others in the covariance, without ever forming the covariance
 *   (which would square the condition number).
 * - weight and bias (d = 1): loss − L* = var(x)·δw² + (δb + x̄·δw)², exactly as `Objective`.
 * A racer's own loss is never below the profile at its (a, b): the map shows where it could be.
 */
import type {Objective} from './optimum.js';

/** Which two parameters the map's axes show: feature indices, or `'bias'` for the second axis with one feature. */
export type LandscapeAxes = {readonly x: number; readonly y: number | 'bias'};

/** The profile loss over two parameters of a race's objective. */
export class Landscape {
	/** The axes, as parameter indices into θ = [w_0 … w_{d−1}, b]. */
	readonly xIndex: number;
	readonly yIndex: number;
	/** L*. */
	readonly lossStar: number;
	/** The optimum's coordinates on the axes. */
	readonly xStar: number;
	readonly yStar: number;
	// gap = (ux·δx + vx·δy)² + (uy·δx + vy·δy)².
	private readonly ux: number;
	private readonly vx: number;
	private readonly uy: number;
	private readonly vy: number;

	/** The landscape of `objective` over `axes` (feature indices in range and distinct; else a RangeError). */
	constructor(objective: Objective, axes: LandscapeAxes) {
		const {rows: n, dims: d, x} = objective.data;
		const {optimum} = objective;
		this.lossStar = optimum.loss;
		const xi = axes.x;
		if (!(Number.isInteger(xi) && xi >= 0 && xi < d)) throw new RangeError(`map axis ${xi} is not a feature index in [0, ${d})`);
		if (axes.y === 'bias') {
			this.xIndex = xi;
			this.yIndex = d;
			this.xStar = optimum.weights[xi]!;
			this.yStar = optimum.bias;
			if (d !== 1) throw new RangeError('the bias is a map axis only with one feature (the other weights would not be at their best)');
			const mean = columnMean(x, 0, d, n);
			let squares = 0;
			for (let i = 0; i < n; i++) squares += (x[i]! - mean) ** 2;
			// gap = (x̄·δw + δb)² + (σ·δw)²
			this.ux = mean;
			this.vx = 1;
			this.uy = Math.sqrt(squares / n);
			this.vy = 0;
			return;
		}
		const yi = axes.y;
		if (!(Number.isInteger(yi) && yi >= 0 && yi < d && yi !== xi)) {
			throw new RangeError(`map axis ${yi} is not a feature index in [0, ${d}) other than ${xi}`);
		}
		this.xIndex = xi;
		this.yIndex = yi;
		this.xStar = optimum.weights[xi]!;
		this.yStar = optimum.weights[yi]!;
		// Centred columns, column-major, the others first, then A, then B.
		const order = [...Array.from({length: d}, (_, j) => j).filter((j) => j !== xi && j !== yi), xi, yi];
		const a = new Float64Array(n * d);
		order.forEach((j, k) => {
			const mean = columnMean(x, j, d, n);
			for (let i = 0; i < n; i++) a[k * n + i] = x[i * d + j]! - mean;
		});
		let row = 0;
		for (let k = 0; k < d; k++) {
			const reflected = reflect(a, n, d, k, row);
			// The others' columns advance the row only when they add a direction; A and B always do.
			if (reflected || k >= d - 2) row++;
		}
		// R_AB: rows row−2, row−1 of the last two columns (rows past N are zero).
		const r = (i: number, k: number): number => (i >= 0 && i < n ? a[k * n + i]! : 0);
		const scale = 1 / Math.sqrt(n);
		this.ux = r(row - 2, d - 2) * scale;
		this.vx = r(row - 2, d - 1) * scale;
		this.uy = 0;
		this.vy = r(row - 1, d - 1) * scale;
	}

	/** profile − L* at (a, b): never negative, Infinity (not NaN) for coordinates too large to square. */
	gap(a: number, b: number): number {
		const dx = a - this.xStar;
		const dy = b - this.yStar;
		const p = this.ux * dx + this.vx * dy;
		const q = this.uy * dx + this.vy * dy;
		const sum = p * p + q * q;
		return sum === sum ? sum : Infinity;
	}

	/** The profile loss at (a, b): L* + gap. */
	loss(a: number, b: number): number {
		return this.lossStar + this.gap(a, b);
	}
}

/** Mean of column j of a row-major N×d matrix, with a correction pass. */
function columnMean(x: Float64Array, j: number, d: number, n: number): number {
	let sum = 0;
	for (let i = 0; i < n; i++) sum += x[i * d + j]!;
	const first = sum / n;
	let correction = 0;
	for (let i = 0; i < n; i++) correction += x[i * d + j]! - first;
	return first + correction / n;
}

/**
 * One Householder step on the column-major n×d matrix `a`: zeroes column k below `row` and
 * applies the reflection to the later columns. Returns false (and changes nothing) when the
 * column has nothing left at and below `row`, relative to its original size: it adds no direction.
 */
function reflect(a: Float64Array, n: number, d: number, k: number, row: number): boolean {
	const col = k * n;
	let whole = 0;
	for (let i = 0; i < n; i++) whole = Math.max(whole, Math.abs(a[col + i]!));
	let scale = 0;
	for (let i = row; i < n; i++) scale = Math.max(scale, Math.abs(a[col + i]!));
	if (row >= n || !(scale > whole * n * Number.EPSILON * 4)) return false;
	let squares = 0;
	for (let i = row; i < n; i++) squares += (a[col + i]! / scale) ** 2;
	const norm = scale * Math.sqrt(squares);
	const head = a[col + row]!;
	const alpha = head >= 0 ? -norm : norm;
	const v0 = head - alpha;
	a[col + row] = v0;
	const beta = -1 / (alpha * v0);
	for (let j = k + 1; j < d; j++) {
		const other = j * n;
		let s = 0;
		for (let i = row; i < n; i++) s += a[col + i]! * a[other + i]!;
		s *= beta;
		for (let i = row; i < n; i++) a[other + i]! -= s * a[col + i]!;
	}
	a[col + row] = alpha;
	for (let i = row + 1; i < n; i++) a[col + i] = 0;
	return true;
}
