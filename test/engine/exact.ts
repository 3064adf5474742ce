/**
 * An exact least-squares reference for the optimum's tests, independent of the engine: every
 * double is an integer times a power of two, so the normal equations of [X 1] can be formed and
 * solved in BigInt integers with no rounding at all (Cramer's rule over fraction-free
 * determinants). Only the final quotients are rounded, once, to the nearest double. Slow
 * (O(N·d²) BigInt products) and fine for the few thousand rows the tests use; it needs the data
 * to have full rank (exactly).
 */

/** A double as `m · 2^e` with m an integer (0 for ±0). */
function decompose(value: number): {m: bigint; e: number} {
	if (!Number.isFinite(value)) throw new RangeError(`exact reference: ${value} is not finite`);
	const view = new DataView(new ArrayBuffer(8));
	view.setFloat64(0, value);
	const high = view.getUint32(0);
	const low = view.getUint32(4);
	const negative = high >>> 31 === 1;
	const biased = (high >>> 20) & 0x7ff;
	let m = (BigInt(high & 0xfffff) << 32n) | BigInt(low);
	let e: number;
	if (biased === 0) {
		e = -1074; // zero or subnormal
	} else {
		m |= 1n << 52n;
		e = biased - 1075;
	}
	return {m: negative ? -m : m, e};
}

/** The values of a column as integers `ints[i] · 2^exponent`, with one exponent for the column. */
function integerColumn(values: readonly number[]): {ints: bigint[]; exponent: number} {
	const parts = values.map(decompose);
	let exponent = Infinity;
	for (const {m, e} of parts) if (m !== 0n) exponent = Math.min(exponent, e);
	if (exponent === Infinity) exponent = 0;
	return {ints: parts.map(({m, e}) => m << BigInt(e - exponent)), exponent};
}

/** Determinant of a square BigInt matrix by Bareiss' fraction-free elimination (exact). */
function determinant(matrix: readonly (readonly bigint[])[]): bigint {
	const n = matrix.length;
	const a = matrix.map((row) => [...row]);
	let sign = 1n;
	let previous = 1n;
	for (let k = 0; k < n - 1; k++) {
		if (a[k]![k] === 0n) {
			const swap = a.findIndex((row, r) => r > k && row[k] !== 0n);
			if (swap < 0) return 0n;
			[a[k], a[swap]] = [a[swap]!, a[k]!];
			sign = -sign;
		}
		for (let i = k + 1; i < n; i++) {
			for (let j = k + 1; j < n; j++) {
				a[i]![j] = (a[i]![j]! * a[k]![k]! - a[i]![k]! * a[k]![j]!) / previous;
			}
		}
		previous = a[k]![k]!;
	}
	return sign * a[n - 1]![n - 1]!;
}

function bitLength(v: bigint): number {
	return v === 0n ? 0 : (v < 0n ? -v : v).toString(2).length;
}

/** `v · 2^k` for a double v, exact whenever the result is a normal double (k of any size). */
function timesPowerOfTwo(v: number, k: number): number {
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

/** The double nearest to `num / den · 2^exponent` (den ≠ 0), correctly rounded for normal results. */
export function rationalToNumber(num: bigint, den: bigint, exponent = 0): number {
	if (num === 0n) return 0;
	const negative = num < 0n !== den < 0n;
	const n = num < 0n ? -num : num;
	const d = den < 0n ? -den : den;
	// A quotient of about 70 bits, its last bit sticky (set when the division was inexact), so that
	// Number() rounding it to 53 bits rounds the exact quotient correctly.
	const shift = 70 - (bitLength(n) - bitLength(d));
	const scaledN = shift >= 0 ? n << BigInt(shift) : n;
	const scaledD = shift >= 0 ? d : d << BigInt(-shift);
	let q = scaledN / scaledD;
	if (q * scaledD !== scaledN) q |= 1n;
	const value = timesPowerOfTwo(Number(q), exponent - shift);
	return negative ? -value : value;
}

/** The exact least-squares fit of y on the columns of x with an intercept, each rounded once. */
export type ExactFit = {
	readonly weights: number[];
	readonly bias: number;
	/** The minimum mean squared error. */
	readonly loss: number;
};

/**
 * The exact least-squares fit of `y` on the feature columns `columns[j]` plus an intercept,
 * computed in integers. Throws when the columns and the intercept are linearly dependent.
 */
export function exactLeastSquares(columns: readonly (readonly number[])[], y: readonly number[]): ExactFit {
	const rows = y.length;
	const features = columns.map(integerColumn);
	const target = integerColumn(y);
	// Z = [X 1] in integer units: column j of Z is features[j].ints (value · 2^-exponent_j).
	const z = [...features.map((f) => f.ints), Array.from({length: rows}, () => 1n)];
	const size = z.length;
	const gram = z.map((p) => z.map((q) => p.reduce((sum, v, i) => sum + v * q[i]!, 0n)));
	const rhs = z.map((p) => p.reduce((sum, v, i) => sum + v * target.ints[i]!, 0n));
	const yy = target.ints.reduce((sum, v) => sum + v * v, 0n);
	const det = determinant(gram);
	if (det === 0n) throw new RangeError('exact reference: the columns and the intercept are linearly dependent');
	// Cramer: θ_a = det(G with column a replaced by g) / det(G), in integer units.
	const dets = Array.from({length: size}, (_, a) => determinant(gram.map((row, r) => row.map((v, c) => (c === a ? rhs[r]! : v)))));
	const weights = features.map((f, j) => rationalToNumber(dets[j]!, det, target.exponent - f.exponent));
	const bias = rationalToNumber(dets[size - 1]!, det, target.exponent);
	// N·L* = yᵀy − gᵀθ exactly, so L* = (yᵀy·det − Σ g_a·det_a) / (N·det), times 2^(2·exponent_y).
	const residual = yy * det - rhs.reduce((sum, g, a) => sum + g * dets[a]!, 0n);
	const loss = rationalToNumber(residual, BigInt(rows) * det, 2 * target.exponent);
	return {weights, bias, loss};
}

/** A small seeded generator for test data (SplitMix64 with Box–Muller normals), independent of the engine's. */
export class TestRandom {
	private state: bigint;

	constructor(seed: number) {
		this.state = BigInt(seed) & 0xffffffffffffffffn;
	}

	/** Uniform in [0, 1), 53 random bits. */
	uniform(): number {
		this.state = (this.state + 0x9e3779b97f4a7c15n) & 0xffffffffffffffffn;
		let z = this.state;
		z = ((z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n) & 0xffffffffffffffffn;
		z = ((z ^ (z >> 27n)) * 0x94d049bb133111ebn) & 0xffffffffffffffffn;
		z ^= z >> 31n;
		return Number(z >> 11n) / 2 ** 53;
	}

	/** An integer in [0, limit), limit <= 2^53. */
	integer(limit: number): number {
		return Math.floor(this.uniform() * limit);
	}

	/** A standard normal draw (Box–Muller). */
	normal(): number {
		const u = 1 - this.uniform();
		const v = this.uniform();
		return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
	}
}
