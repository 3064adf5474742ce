/**
 * The finish line: the closed-form least-squares fit on the same scaled features, and the exact
 * full-data loss of any weights from it in O(d²).
 *
 * Method (rank-revealing, no normal equations): centre every column (the mean kept as a
 * double-double) and scale it by a power of two to a magnitude near 1, so that the answer does not
 * depend on the units (`--scale none` with nanosecond timestamps, or a feature near 1e-300);
 * Householder QR of the centred N×d matrix, Xc = QR; one-sided Jacobi SVD of the small R; keep
 * the singular values above a relative threshold; minimum-norm weights over that rank (in the
 * data's units); bias = ȳ − x̄·w; L* = the mean of the squared residuals, each evaluated with a
 * compensated dot product where its terms cancel. Collinear columns, a constant column, N <= d
 * and a single row all give a finite L* with `unique: false`. Checked against exact rational
 * arithmetic in test/engine/optimum.test.ts (to about 1e-15).
 *
 * Loss from the optimum θ* = (w*, b*) and δ = θ − θ*: since θ* minimises the MSE,
 * `loss = L* + ‖Xc·δ_w‖²/N + (δ_b + x̄·δ_w)²` exactly, and ‖Xc·δ_w‖ = ‖R·δ_w‖. So the gap
 * `loss − L*` is a sum of squares of d + 1 numbers: never negative, never a difference of large
 * numbers, accurate even when tiny (the UI plots it on a log scale).
 */
import type {Optimum, TrainingData} from './types.js';

/** Jacobi sweeps before giving up on convergence (it converges quadratically, in under 10 for d <= 50). */
const MAX_SWEEPS = 60;

/** The exponent of the nearest power of two >= v > 0, at most 1023 (so 2^k is never Infinity); 0 for 0. */
function exponentAbove(v: number): number {
	return v > 0 ? Math.min(1023, Math.ceil(Math.log2(v))) : 0;
}

/**
 * `v · 2^k` for any integer k, in steps that stay in range whenever the result is (a scale of
 * 2^1100 is not a double, but a weight of 10^299 from a feature near 10^-300 is). Exact unless
 * the result is subnormal or out of range.
 */
function timesTwoTo(v: number, k: number): number {
	let result = v;
	let left = k;
	while (left > 1000) {
		result *= 2 ** 1000;
		left -= 1000;
	}
	while (left < -1000) {
		result *= 2 ** -1000;
		left += 1000;
	}
	return result * 2 ** left;
}

/**
 * How a column was brought into the solve: `value = (scaled · 2^inner + centre) · 2^outer`, with
 * `centre` the column's mean in units of 2^outer as an unevaluated sum `centreHi + centreLo` (so
 * that centring loses nothing even when the mean is 10^18 times the spread), and the scaled,
 * centred values within [−1, 1].
 */
type ColumnScale = {
	/** Exponent of the power of two the raw values are divided by first. */
	readonly outer: number;
	/** Exponent of the power of two the centred values are divided by then. */
	readonly inner: number;
	readonly centreHi: number;
	readonly centreLo: number;
	/** The mean in the data's units, (centreHi + centreLo) · 2^outer. */
	readonly mean: number;
};

/**
 * Centres and scales the column `values[start + i·stride]` (i < n) into `out[outStart + i]` and
 * returns how (see `ColumnScale`). The raw values are first divided by a power of two above their
 * largest magnitude (so that neither their sum nor a difference can overflow, even past 2^1023),
 * the mean comes from a corrected two-pass sum kept as a double-double, and the centred values are
 * divided by a power of two above their largest magnitude: each column enters the solve at a
 * magnitude near 1 whatever its units, so the rank test compares directions, not units. A
 * constant column (every value equal) is all zeros, exactly.
 */
function centreColumn(values: Float64Array, start: number, stride: number, n: number, out: Float64Array, outStart: number): ColumnScale {
	let min = Infinity;
	let max = -Infinity;
	for (let i = 0; i < n; i++) {
		const v = values[start + i * stride]!;
		if (v < min) min = v;
		if (v > max) max = v;
	}
	if (min === max) {
		out.fill(0, outStart, outStart + n);
		return {outer: 0, inner: 0, centreHi: min, centreLo: 0, mean: min};
	}
	const outer = exponentAbove(Math.max(Math.abs(min), Math.abs(max)));
	const outerScale = 2 ** outer;
	let sum = 0;
	for (let i = 0; i < n; i++) {
		sum += values[start + i * stride]! / outerScale;
	}
	const first = sum / n;
	let correction = 0;
	for (let i = 0; i < n; i++) {
		correction += values[start + i * stride]! / outerScale - first;
	}
	const shift = correction / n;
	// TwoSum (Knuth): centreHi + centreLo = first + shift exactly.
	const centreHi = first + shift;
	const back = centreHi - first;
	const centreLo = first - (centreHi - back) + (shift - back);
	let largest = 0;
	for (let i = 0; i < n; i++) {
		const c = values[start + i * stride]! / outerScale - centreHi - centreLo;
		out[outStart + i] = c;
		largest = Math.max(largest, Math.abs(c));
	}
	const inner = exponentAbove(largest);
	const innerScale = 2 ** inner;
	for (let i = 0; i < n; i++) {
		out[outStart + i]! /= innerScale;
	}
	return {outer, inner, centreHi, centreLo, mean: timesTwoTo(centreHi + centreLo, outer)};
}

/** Veltkamp's splitting constant, 2^27 + 1: splits a double into two halves of 26 bits. */
const SPLIT = 134217729;

/**
 * A sum kept as an unevaluated pair `high + low` with error-free transformations (Knuth's TwoSum,
 * Dekker's TwoProduct): a dot product accumulated here is as accurate as in twice the precision
 * (Ogita, Rump & Oishi's Dot2), so terms of 10^5 that cancel to 0.1 leave a residual correct to
 * the last bits.
 */
class DoubleDouble {
	high = 0;
	low = 0;

	/** Starts again at `value`. */
	reset(value: number): this {
		this.high = value;
		this.low = 0;
		return this;
	}

	/** Adds `value`. */
	add(value: number): void {
		const total = this.high + value;
		const back = total - this.high;
		this.low += this.high - (total - back) + (value - back);
		this.high = total;
	}

	/** Adds `a · b`; exactly unless a or b is beyond 2^995, where the splitting would overflow. */
	addProduct(a: number, b: number): void {
		const product = a * b;
		if (!(Math.abs(a) < 2 ** 995 && Math.abs(b) < 2 ** 995)) {
			this.add(product);
			return;
		}
		let t = SPLIT * a;
		const aHigh = t - (t - a);
		const aLow = a - aHigh;
		t = SPLIT * b;
		const bHigh = t - (t - b);
		const bLow = b - bHigh;
		this.low += aLow * bLow - (product - aHigh * bHigh - aLow * bHigh - aHigh * bLow);
		this.add(product);
	}

	/** The sum rounded to a double. */
	value(): number {
		return this.high + this.low;
	}
}

/**
 * L*, the mean squared residual y_i − x_i·w − b at the optimum, with the bias b = ȳ − x̄·w held
 * as a double-double. A row whose terms cancel (they add up to more than 16 times the residual: a
 * timestamp feature whose x·w of 10^5 meets a bias of −10^5, or large weights of nearly collinear
 * columns) is evaluated again as a compensated dot product; the squares are summed with
 * Neumaier's compensation. So L* is the loss of the reported weights to about the last bit.
 */
function residualLoss(data: TrainingData, weights: Float64Array, bias: DoubleDouble): number {
	const {rows: n, dims: d, x, y} = data;
	const exact = new DoubleDouble();
	const biasHigh = bias.high;
	const biasLow = bias.low;
	let sum = 0;
	let compensation = 0;
	for (let i = 0; i < n; i++) {
		const target = y[i]!;
		let r = target - biasHigh;
		let size = Math.abs(target) + Math.abs(biasHigh);
		for (let j = 0; j < d; j++) {
			const p = x[i * d + j]! * weights[j]!;
			r -= p;
			size += Math.abs(p);
		}
		if (size > 16 * Math.abs(r) && size < 1e290) {
			exact.reset(target);
			exact.add(-biasHigh);
			exact.add(-biasLow);
			for (let j = 0; j < d; j++) {
				exact.addProduct(x[i * d + j]!, -weights[j]!);
			}
			r = exact.value();
		}
		const term = r * r;
		const total = sum + term;
		compensation += Math.abs(sum) >= term ? sum - total + term : term - total + sum;
		sum = total;
	}
	return (sum + compensation) / n;
}

/**
 * Makes rank-deficient weights the minimum-norm solution in the data's units. The solve found the
 * minimum-norm solution of the scaled problem; the weights that fit equally well differ from it
 * along the dropped singular directions, which in the data's units are v_k scaled by
 * 2^−(outer_j + inner_j). Projecting those directions out (modified Gram–Schmidt) leaves the
 * shortest weight vector, as numpy's lstsq reports.
 */
function minimumNorm(weights: Float64Array, dropped: readonly number[], v: Float64Array, scales: readonly ColumnScale[]): void {
	const d = weights.length;
	let top = -Infinity;
	for (const scale of scales) top = Math.max(top, -(scale.outer + scale.inner));
	const basis: Float64Array[] = [];
	for (const k of dropped) {
		const z = Float64Array.from(scales, (scale, j) => timesTwoTo(v[k * d + j]!, -(scale.outer + scale.inner) - top));
		for (const q of basis) {
			let dot = 0;
			for (let j = 0; j < d; j++) dot += q[j]! * z[j]!;
			for (let j = 0; j < d; j++) z[j]! -= dot * q[j]!;
		}
		let norm = 0;
		for (let j = 0; j < d; j++) norm = Math.hypot(norm, z[j]!);
		if (!(norm > 1e-8)) continue; // already in the span (the v_k are orthonormal, their images independent)
		for (let j = 0; j < d; j++) z[j]! /= norm;
		basis.push(z);
	}
	for (const q of basis) {
		let dot = 0;
		for (let j = 0; j < d; j++) dot += q[j]! * weights[j]!;
		for (let j = 0; j < d; j++) weights[j]! -= dot * q[j]!;
	}
}

/**
 * The data set's least-squares problem, solved once per race: the optimum and everything needed
 * to evaluate any weights' exact loss and gap in O(d²).
 */
export class Objective {
	// Numeric fields start as numbers (= 0) even when the constructor sets them: a class field
	// without an initializer is first defined as undefined ([[Define]] semantics, ES2022), and V8
	// then stores the field boxed, allocating a HeapNumber on every write of a double.
	/** The training data this objective is about. */
	readonly data: TrainingData;
	/** The closed-form optimum (weights, bias, L*, rank). */
	readonly optimum: Optimum;
	/** L*, as a field for the hot path. */
	readonly lossStar: number = 0;
	private readonly dims: number = 0;
	private readonly weightsStar: Float64Array;
	private readonly biasStar: number = 0;
	private readonly means: Float64Array;
	/** R/√N, upper triangular, row-major d×d: ‖factor·δ‖² = δᵀCδ with C the centred covariance. */
	private readonly factor: Float64Array;
	private readonly delta: Float64Array;
	// The first entries of w*, x̄ and the factor as plain fields, for the unrolled small-d gap.
	private readonly w0: number = 0;
	private readonly w1: number = 0;
	private readonly m0: number = 0;
	private readonly m1: number = 0;
	private readonly f00: number = 0;
	private readonly f01: number = 0;
	private readonly f11: number = 0;

	/** Solves the least-squares problem of `data` (assumed well formed: see `assertTrainingData`). */
	constructor(data: TrainingData) {
		const {rows: n, dims: d, x, y} = data;
		this.data = data;
		this.dims = d;

		// Every column, the target too, centred and scaled on its own (see `centreColumn`), into a
		// column-major copy a[j * n + i]. Scaling a column by a power of two is exact, and it makes
		// the rank threshold independent of the units: nanosecond timestamps (10^18, spread 10^13)
		// beside a feature of spread 1, or a feature near 10^-300, are both full rank.
		const a = new Float64Array(n * d);
		const scales: ColumnScale[] = [];
		for (let j = 0; j < d; j++) {
			scales.push(centreColumn(x, j, d, n, a, j * n));
		}
		const b = new Float64Array(n);
		const yScale = centreColumn(y, 0, 1, n, b, 0);

		const r = householderQr(a, b, n, d);
		const {sigma, u, v} = jacobiSvd(r, d);

		// Relative rank threshold as numpy's matrix_rank and lstsq use (max(N, d)·ε·σmax), on the
		// scaled columns. A constant column is exactly zero here, so all-constant data has rank 0.
		let sigmaMax = 0;
		for (let j = 0; j < d; j++) {
			sigmaMax = Math.max(sigmaMax, sigma[j]!);
		}
		const threshold = Math.max(n, d) * Number.EPSILON * sigmaMax;

		// Minimum-norm solution of R·w = c over the kept singular triplets: Σ v_j (u_jᵀc)/σ_j.
		// The first min(N, d) entries of b now hold c = Qᵀ·yc; the rest of R's rows are zero.
		const kept = Math.min(n, d);
		const scaledWeights = new Float64Array(d);
		const dropped: number[] = [];
		let rank = 0;
		for (let k = 0; k < d; k++) {
			if (!(sigma[k]! > threshold)) {
				dropped.push(k);
				continue;
			}
			rank++;
			let dot = 0;
			for (let i = 0; i < kept; i++) {
				dot += u[k * d + i]! * b[i]!;
			}
			const coefficient = dot / sigma[k]!;
			for (let j = 0; j < d; j++) {
				scaledWeights[j]! += coefficient * v[k * d + j]!;
			}
		}

		// Back to the data's units: w_j = ws_j · (y's scales) / (column j's scales).
		const weightsStar = new Float64Array(d);
		for (let j = 0; j < d; j++) {
			const {outer, inner} = scales[j]!;
			weightsStar[j] = timesTwoTo(scaledWeights[j]!, yScale.outer + yScale.inner - outer - inner);
		}
		if (dropped.length > 0) {
			minimumNorm(weightsStar, dropped, v, scales);
		}
		for (let j = 0; j < d; j++) {
			if (!Number.isFinite(weightsStar[j]!)) {
				throw new RangeError(
					`the optimal weight of feature column ${j + 1} is beyond the range of doubles (its values are too small next to the target's); rescale that column`,
				);
			}
		}

		// b* = ȳ − x̄·w, with the means as the double-doubles the centring kept.
		const bias = new DoubleDouble().reset(timesTwoTo(yScale.centreHi, yScale.outer));
		bias.add(timesTwoTo(yScale.centreLo, yScale.outer));
		for (let j = 0; j < d; j++) {
			const {centreHi, centreLo, outer} = scales[j]!;
			bias.addProduct(timesTwoTo(centreHi, outer), -weightsStar[j]!);
			bias.add(-timesTwoTo(centreLo, outer) * weightsStar[j]!);
		}
		const biasStar = bias.value();
		const lossStar = residualLoss(data, weightsStar, bias);

		const factor = new Float64Array(d * d);
		// R of the unscaled Xc is R·diag(2^(outer_j + inner_j)).
		const root = Math.sqrt(n);
		for (let i = 0; i < d; i++) {
			for (let j = i; j < d; j++) {
				factor[i * d + j] = timesTwoTo(r[j * d + i]! / root, scales[j]!.outer + scales[j]!.inner);
			}
		}
		const means = Float64Array.from(scales, (scale) => scale.mean);

		this.weightsStar = weightsStar;
		this.biasStar = biasStar;
		this.means = means;
		this.factor = factor;
		this.delta = new Float64Array(d);
		this.w0 = weightsStar[0]!;
		this.w1 = weightsStar[1] ?? 0;
		this.m0 = means[0]!;
		this.m1 = means[1] ?? 0;
		this.f00 = factor[0]!;
		this.f01 = d > 1 ? factor[1]! : 0;
		this.f11 = d > 1 ? factor[d + 1]! : 0;
		this.lossStar = lossStar;
		this.optimum = {
			weights: Array.from(weightsStar),
			bias: biasStar,
			loss: lossStar,
			rank,
			unique: rank === d,
		};
	}

	/** `loss − L*` at θ = [w_0 … w_{d−1}, b] (see `measure`). */
	gap(theta: Float64Array): number {
		const out = new Float64Array(2);
		this.measure(theta, out);
		return out[0]!;
	}

	/** The full-data MSE at θ = [w, b]: L* + gap (see `measure`). */
	loss(theta: Float64Array): number {
		const out = new Float64Array(2);
		this.measure(theta, out);
		return out[1]!;
	}

	/**
	 * Writes the gap `loss − L*` at θ = [w_0 … w_{d−1}, b] to `out[0]` and the loss to `out[1]`.
	 * O(d²), without cancellation: gap = ‖(R/√N)·δ_w‖² + (δ_b + x̄·δ_w)², Infinity (never NaN) for
	 * weights too large to square. Called after every update, hence the out array (V8 boxes a
	 * double returned from a call it does not inline: an allocation per update) and the unrolled
	 * copies for one and two features (27 → 4 ns at d = 2), which do the same operations in the
	 * same order as the general loop.
	 */
	measure(theta: Float64Array, out: Float64Array): void {
		// Each case leaves its sum in out[0] rather than in a shared local: a local joining the
		// unrolled doubles with gapAny's return value would be boxed (measured: 16 bytes a call).
		switch (this.dims) {
			case 1: {
				const d0 = theta[0]! - this.w0;
				const shift = theta[1]! - this.biasStar + this.m0 * d0;
				const s0 = this.f00 * d0;
				out[0] = shift * shift + s0 * s0;
				break;
			}
			case 2: {
				const d0 = theta[0]! - this.w0;
				const d1 = theta[1]! - this.w1;
				const shift = theta[2]! - this.biasStar + this.m0 * d0 + this.m1 * d1;
				const s0 = this.f00 * d0 + this.f01 * d1;
				const s1 = this.f11 * d1;
				out[0] = shift * shift + s0 * s0 + s1 * s1;
				break;
			}
			default: {
				this.gapAny(theta, out);
			}
		}
		// Inf − Inf for absurd weights gives NaN: report it as the Infinity it stands for. (A store,
		// not `sum === sum ? sum : Infinity`, which V8 compiles to a boxed value: 16 bytes a call.)
		const sum = out[0]!;
		if (sum !== sum) {
			out[0] = Infinity;
		}
		out[1] = this.lossStar + out[0]!;
	}

	/** The general loop behind `measure`, any d: writes the gap (possibly NaN) to out[0]. */
	gapAny(theta: Float64Array, out: Float64Array): void {
		const d = this.dims;
		const delta = this.delta;
		const ws = this.weightsStar;
		const means = this.means;
		const factor = this.factor;
		let shift = theta[d]! - this.biasStar;
		for (let j = 0; j < d; j++) {
			const dj = theta[j]! - ws[j]!;
			delta[j] = dj;
			shift += means[j]! * dj;
		}
		let sum = shift * shift;
		for (let i = 0; i < d; i++) {
			let s = factor[i * d + i]! * delta[i]!;
			for (let j = i + 1; j < d; j++) {
				s += factor[i * d + j]! * delta[j]!;
			}
			sum += s * s;
		}
		out[0] = sum;
	}
}

/** The closed-form least-squares optimum of `data` (see `Objective`). */
export function solveOptimum(data: TrainingData): Optimum {
	return new Objective(data).optimum;
}

/**
 * Householder QR of the column-major n×d matrix `a`, in place, applying the same reflections to
 * `b` (so its first min(n, d) entries become Qᵀb). Returns R as a column-major d×d matrix
 * (`r[j * d + i]`, rows >= n are zero).
 */
export function householderQr(a: Float64Array, b: Float64Array, n: number, d: number): Float64Array {
	const steps = Math.min(n - 1, d);
	const r = new Float64Array(d * d);
	for (let k = 0; k < steps; k++) {
		const col = k * n;
		let scale = 0;
		for (let i = k; i < n; i++) {
			scale = Math.max(scale, Math.abs(a[col + i]!));
		}
		if (scale === 0) {
			continue; // the column is already zero below the diagonal: R[k][k] = 0, no reflection
		}
		// The reflection is built from the column divided by its largest entry (the same reflection,
		// I − β·v·vᵀ is unchanged by scaling v): β then stays near 1 whatever the column's size,
		// where 1/(α·v0) of the raw column would overflow for entries near 1e−160 (β = −Infinity).
		let squares = 0;
		for (let i = k; i < n; i++) {
			const t = a[col + i]! / scale;
			a[col + i] = t;
			squares += t * t;
		}
		const norm = Math.sqrt(squares);
		const akk = a[col + k]!;
		// The sign choice makes v0 = akk − alpha an addition of like signs: no cancellation.
		const alpha = akk >= 0 ? -norm : norm;
		const v0 = akk - alpha;
		a[col + k] = v0;
		const beta = -1 / (alpha * v0); // 2 / vᵀv
		for (let j = k + 1; j < d; j++) {
			const other = j * n;
			let s = 0;
			for (let i = k; i < n; i++) {
				s += a[col + i]! * a[other + i]!;
			}
			s *= beta;
			for (let i = k; i < n; i++) {
				a[other + i]! -= s * a[col + i]!;
			}
		}
		let s = 0;
		for (let i = k; i < n; i++) {
			s += a[col + i]! * b[i]!;
		}
		s *= beta;
		for (let i = k; i < n; i++) {
			b[i]! -= s * a[col + i]!;
		}
		a[col + k] = alpha * scale;
	}
	const rRows = Math.min(n, d);
	for (let j = 0; j < d; j++) {
		for (let i = 0; i <= j && i < rRows; i++) {
			r[j * d + i] = a[j * n + i]!;
		}
	}
	return r;
}

/**
 * One-sided (Hestenes) Jacobi SVD of the column-major d×d matrix `r` = U·diag(σ)·Vᵀ. Rotates
 * pairs of columns until all are orthogonal. Returns σ and the singular vectors, vector k at
 * `u[k * d + i]` and `v[k * d + i]` (u_k is zero where σ_k is 0).
 */
export function jacobiSvd(r: Float64Array, d: number): {sigma: Float64Array; u: Float64Array; v: Float64Array} {
	const w = Float64Array.from(r);
	const v = new Float64Array(d * d);
	for (let j = 0; j < d; j++) {
		v[j * d + j] = 1;
	}
	for (let sweep = 0; sweep < MAX_SWEEPS; sweep++) {
		let rotated = false;
		for (let p = 0; p < d - 1; p++) {
			for (let q = p + 1; q < d; q++) {
				let alpha = 0;
				let beta = 0;
				let gamma = 0;
				for (let i = 0; i < d; i++) {
					const wp = w[p * d + i]!;
					const wq = w[q * d + i]!;
					alpha += wp * wp;
					beta += wq * wq;
					gamma += wp * wq;
				}
				if (gamma === 0 || Math.abs(gamma) <= Number.EPSILON * Math.sqrt(alpha * beta)) {
					continue;
				}
				rotated = true;
				const zeta = (beta - alpha) / (2 * gamma);
				const t = (zeta >= 0 ? 1 : -1) / (Math.abs(zeta) + Math.hypot(1, zeta));
				const c = 1 / Math.hypot(1, t);
				const s = c * t;
				for (let i = 0; i < d; i++) {
					const wp = w[p * d + i]!;
					const wq = w[q * d + i]!;
					w[p * d + i] = c * wp - s * wq;
					w[q * d + i] = s * wp + c * wq;
					const vp = v[p * d + i]!;
					const vq = v[q * d + i]!;
					v[p * d + i] = c * vp - s * vq;
					v[q * d + i] = s * vp + c * vq;
				}
			}
		}
		if (!rotated) {
			break;
		}
	}
	const sigma = new Float64Array(d);
	const u = new Float64Array(d * d);
	for (let k = 0; k < d; k++) {
		let squares = 0;
		for (let i = 0; i < d; i++) {
			squares += w[k * d + i]! ** 2;
		}
		const norm = Math.sqrt(squares);
		sigma[k] = norm;
		if (norm > 0) {
			for (let i = 0; i < d; i++) {
				u[k * d + i] = w[k * d + i]! / norm;
			}
		}
	}
	return {sigma, u, v};
}
