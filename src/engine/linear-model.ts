/**
 * The model every racer trains, `pred = w·x + b` over d features, and the one update rule of the
 * study note (README, "The race"): on a batch B of n rows, `diff_i = y_i − (w·x_i + b)`,
 * `w_j += lr·(2/n)·Σ diff_i·x_ij`, `b += lr·(2/n)·Σ diff_i` — the gradient of the batch MSE,
 * accumulated over the whole batch and then applied.
 *
 * The row loop is the race's hot path, and V8 is sensitive to its shape (measured on Boston,
 * d = 2, per row): a loop over j inside the loop over rows costs 13 ns, the same arithmetic with
 * the weights and sums in locals 5.2 ns through an index array and 3.9 ns over a contiguous range
 * of rows, and 12 % less again with the index as `i << 1` and `at | 1` (int32 operations: no
 * overflow checks; `assertTrainingData` keeps N·d below 2^31). So `gradientSumsAny` is the
 * reference, and one and two features get unrolled copies, for index arrays and for ranges. They
 * do the very same operations in the same order, so all give bit-identical results (tested).
 *
 * The parameters travel as one Float64Array θ = [w_0 … w_{d−1}, b], and the sums likewise: V8
 * boxes every double passed to or returned from a call it does not inline (an allocation each),
 * and the hot path must allocate nothing.
 */
import type {TrainingData} from './types.js';

/**
 * Batch gradient sums over the batch's rows — `rows[start] … rows[start + count − 1]`, or the
 * contiguous rows `start … start + count − 1` when `rows` is null — at θ = [w, b]: writes
 * `Σ diff_i·x_ij` to `out[j]` and `Σ diff_i` to `out[d]`, where `diff_i = y_i − (w·x_i + b)`.
 * Sums run in batch order, the dot product in feature order.
 */
export function gradientSums(
	data: TrainingData,
	theta: Float64Array,
	rows: Int32Array | null,
	start: number,
	count: number,
	out: Float64Array,
): void {
	const end = start + count;
	switch (data.dims) {
		case 1: {
			if (rows === null) {
				rangeSums1(data.x, data.y, theta, start, end, out);
			} else {
				rowSums1(data.x, data.y, theta, rows, start, end, out);
			}
			break;
		}
		case 2: {
			if (rows === null) {
				rangeSums2(data.x, data.y, theta, start, end, out);
			} else {
				rowSums2(data.x, data.y, theta, rows, start, end, out);
			}
			break;
		}
		default: {
			gradientSumsAny(data, theta, rows, start, end, out);
		}
	}
}

/** The reference loop, any d (arguments as `gradientSums`, with `end` = start + count). */
export function gradientSumsAny(
	data: TrainingData,
	theta: Float64Array,
	rows: Int32Array | null,
	start: number,
	end: number,
	out: Float64Array,
): void {
	const {x, y, dims} = data;
	const bias = theta[dims]!;
	for (let j = 0; j < dims; j++) {
		out[j] = 0;
	}
	let diffSum = 0;
	for (let k = start; k < end; k++) {
		const i = rows === null ? k : rows[k]!;
		const base = i * dims;
		let dot = theta[0]! * x[base]!;
		for (let j = 1; j < dims; j++) {
			dot += theta[j]! * x[base + j]!;
		}
		const diff = y[i]! - (dot + bias);
		for (let j = 0; j < dims; j++) {
			out[j]! += diff * x[base + j]!;
		}
		diffSum += diff;
	}
	out[dims] = diffSum;
}

function rowSums1(
	x: Float64Array,
	y: Float64Array,
	theta: Float64Array,
	rows: Int32Array,
	start: number,
	end: number,
	out: Float64Array,
): void {
	const w0 = theta[0]!;
	const bias = theta[1]!;
	let g0 = 0;
	let diffSum = 0;
	for (let k = start; k < end; k++) {
		const i = rows[k]!;
		const x0 = x[i]!;
		const diff = y[i]! - (w0 * x0 + bias);
		g0 += diff * x0;
		diffSum += diff;
	}
	out[0] = g0;
	out[1] = diffSum;
}

function rangeSums1(
	x: Float64Array,
	y: Float64Array,
	theta: Float64Array,
	start: number,
	end: number,
	out: Float64Array,
): void {
	const w0 = theta[0]!;
	const bias = theta[1]!;
	let g0 = 0;
	let diffSum = 0;
	for (let i = start; i < end; i++) {
		const x0 = x[i]!;
		const diff = y[i]! - (w0 * x0 + bias);
		g0 += diff * x0;
		diffSum += diff;
	}
	out[0] = g0;
	out[1] = diffSum;
}

function rowSums2(
	x: Float64Array,
	y: Float64Array,
	theta: Float64Array,
	rows: Int32Array,
	start: number,
	end: number,
	out: Float64Array,
): void {
	const w0 = theta[0]!;
	const w1 = theta[1]!;
	const bias = theta[2]!;
	let g0 = 0;
	let g1 = 0;
	let diffSum = 0;
	for (let k = start; k < end; k++) {
		const i = rows[k]!;
		const at = i << 1;
		const x0 = x[at]!;
		const x1 = x[at | 1]!;
		const diff = y[i]! - (w0 * x0 + w1 * x1 + bias);
		g0 += diff * x0;
		g1 += diff * x1;
		diffSum += diff;
	}
	out[0] = g0;
	out[1] = g1;
	out[2] = diffSum;
}

function rangeSums2(
	x: Float64Array,
	y: Float64Array,
	theta: Float64Array,
	start: number,
	end: number,
	out: Float64Array,
): void {
	const w0 = theta[0]!;
	const w1 = theta[1]!;
	const bias = theta[2]!;
	let g0 = 0;
	let g1 = 0;
	let diffSum = 0;
	for (let i = start; i < end; i++) {
		const at = i << 1;
		const x0 = x[at]!;
		const x1 = x[at | 1]!;
		const diff = y[i]! - (w0 * x0 + w1 * x1 + bias);
		g0 += diff * x0;
		g1 += diff * x1;
		diffSum += diff;
	}
	out[0] = g0;
	out[1] = g1;
	out[2] = diffSum;
}

/**
 * One update from the batch sums of `gradientSums` over n rows:
 * `next = θ + lr·(2/n)·sums` (weights and bias alike). `next` may be `theta`.
 */
export function applyStep(theta: Float64Array, sums: Float64Array, lr: number, n: number, next: Float64Array): void {
	const step = lr * (2 / n);
	for (let j = 0; j < theta.length; j++) {
		next[j] = theta[j]! + step * sums[j]!;
	}
}

/** Throws a RangeError unless `data` is well formed: N >= 1 rows, d >= 1, matching lengths, all finite. */
export function assertTrainingData(data: TrainingData): void {
	const {rows, dims, x, y} = data;
	if (!Number.isInteger(rows) || rows < 1) {
		throw new RangeError(`training data needs at least one row (got ${rows})`);
	}
	if (!Number.isInteger(dims) || dims < 1) {
		throw new RangeError(`training data needs at least one feature (got ${dims})`);
	}
	if (x.length !== rows * dims || y.length !== rows) {
		throw new RangeError(`training data arrays do not match ${rows} rows × ${dims} features`);
	}
	if (rows * dims > 0x7fffffff) {
		throw new RangeError(`training data too large: ${rows} rows × ${dims} features exceeds 2^31 − 1 values`);
	}
	for (let i = 0; i < x.length; i++) {
		if (!Number.isFinite(x[i]!)) {
			throw new RangeError(`training data feature value at row ${Math.floor(i / dims)} is not finite`);
		}
	}
	for (let i = 0; i < y.length; i++) {
		if (!Number.isFinite(y[i]!)) {
			throw new RangeError(`training data target at row ${i} is not finite`);
		}
	}
}

/** The full-data MSE at (weights, bias) computed directly, O(N·d), in the same order as the update's predictions. */
export function directLoss(data: TrainingData, weights: ArrayLike<number>, bias: number): number {
	const {x, y, dims, rows} = data;
	let sum = 0;
	for (let i = 0; i < rows; i++) {
		const base = i * dims;
		let dot = weights[0]! * x[base]!;
		for (let j = 1; j < dims; j++) {
			dot += weights[j]! * x[base + j]!;
		}
		const diff = y[i]! - (dot + bias);
		sum += diff * diff;
	}
	return sum / rows;
}
