/**
 * The finish line: the closed-form least-squares fit on the same scaled features, and the exact
 * full-data loss of any weights from it in O(d²).
 *
 * Method (rank-revealing, no normal equations): centre the columns; Householder QR of the centred
 * N×d matrix, Xc = QR; one-sided Jacobi SVD of the small R; keep the singular values above a
 * relative threshold; minimum-norm weights over that rank; bias = ȳ − x̄·w; L* = the direct mean
 * of the squared residuals. Collinear columns, a constant column, N <= d and a single row all give
 * a finite L* with `unique: false`.
 *
 * Loss from the optimum θ* = (w*, b*) and δ = θ − θ*: since θ* minimises the MSE,
 * `loss = L* + ‖Xc·δ_w‖²/N + (δ_b + x̄·δ_w)²` exactly, and ‖Xc·δ_w‖ = ‖R·δ_w‖. So the gap
 * `loss − L*` is a sum of squares of d + 1 numbers: never negative, never a difference of large
 * numbers, accurate even when tiny (the UI plots it on a log scale).
 */
import {directLoss} from './linear-model.js';
import type {Optimum, TrainingData} from './types.js';

/** Jacobi sweeps before giving up on convergence (it converges quadratically, in under 10 for d <= 50). */
const MAX_SWEEPS = 60;

/** The nearest power of two >= |v| (exact scaling: multiplying by it never rounds). */
function powerOfTwoAbove(v: number): number {
	return v > 0 ? 2 ** Math.ceil(Math.log2(v)) : 1;
}

/** Mean with a correction pass, accurate to the last bits even for large offsets. */
function mean(values: Float64Array, start: number, stride: number, count: number): number {
	let sum = 0;
	for (let i = 0; i < count; i++) {
		sum += values[start + i * stride]!;
	}
	const first = sum / count;
	let correction = 0;
	for (let i = 0; i < count; i++) {
		correction += values[start + i * stride]! - first;
	}
	return first + correction / count;
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

		// One global power-of-two scale for the features and one for the target: exact, keeps squares
		// from overflowing, makes the rank threshold scale-free, and (being the same for every
		// column) leaves the minimum-norm solution unchanged.
		let xMax = 0;
		for (let i = 0; i < x.length; i++) {
			xMax = Math.max(xMax, Math.abs(x[i]!));
		}
		let yMax = 0;
		for (let i = 0; i < n; i++) {
			yMax = Math.max(yMax, Math.abs(y[i]!));
		}
		const xScale = powerOfTwoAbove(xMax);
		const yScale = powerOfTwoAbove(yMax);

		const means = new Float64Array(d);
		for (let j = 0; j < d; j++) {
			means[j] = mean(x, j, d, n);
		}
		const yMean = mean(y, 0, 1, n);

		// Centred, scaled, column-major copy: a[j * n + i].
		const a = new Float64Array(n * d);
		for (let i = 0; i < n; i++) {
			for (let j = 0; j < d; j++) {
				a[j * n + i] = (x[i * d + j]! - means[j]!) / xScale;
			}
		}
		const b = new Float64Array(n);
		for (let i = 0; i < n; i++) {
			b[i] = (y[i]! - yMean) / yScale;
		}

		const r = householderQr(a, b, n, d);
		const {sigma, u, v} = jacobiSvd(r, d);

		// Relative rank threshold in the spirit of numpy's matrix_rank (max(N, d)·ε·σmax), with
		// σmax floored at 1: entries are at most 1 after the global scaling, so an all-constant
		// data set (centred to rounding noise) has rank 0 rather than a rank of noise.
		let sigmaMax = 0;
		for (let j = 0; j < d; j++) {
			sigmaMax = Math.max(sigmaMax, sigma[j]!);
		}
		const threshold = Math.max(n, d) * Number.EPSILON * Math.max(sigmaMax, 1);

		// Minimum-norm solution of R·w = c over the kept singular triplets: Σ v_j (u_jᵀc)/σ_j.
		// The first min(N, d) entries of b now hold c = Qᵀ·yc; the rest of R's rows are zero.
		const kept = Math.min(n, d);
		const scaledWeights = new Float64Array(d);
		let rank = 0;
		for (let k = 0; k < d; k++) {
			if (!(sigma[k]! > threshold)) {
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

		const weightsStar = new Float64Array(d);
		for (let j = 0; j < d; j++) {
			weightsStar[j] = (scaledWeights[j]! * yScale) / xScale;
		}
		let dot = 0;
		for (let j = 0; j < d; j++) {
			dot += means[j]! * weightsStar[j]!;
		}
		const biasStar = yMean - dot;
		const lossStar = directLoss(data, weightsStar, biasStar);

		const factor = new Float64Array(d * d);
		// R of the unscaled Xc is xScale·R.
		const unscale = xScale / Math.sqrt(n);
		for (let i = 0; i < d; i++) {
			for (let j = i; j < d; j++) {
				factor[i * d + j] = r[j * d + i]! * unscale;
			}
		}

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
		let squares = 0;
		for (let i = k; i < n; i++) {
			const t = a[col + i]! / scale;
			squares += t * t;
		}
		const norm = scale * Math.sqrt(squares);
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
		a[col + k] = alpha;
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
