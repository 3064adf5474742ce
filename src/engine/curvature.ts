/**
 * The curvature of the full-data MSE (README, "The race"): its Hessian over θ = [w, b] is the constant
 * H = (2/N)·ÃᵀÃ with Ã = [X, 1]. λmax bounds the stable step of plain full-batch GD (it converges
 * iff lr < 2/λmax), and λmax/λmin is the condition number that makes it slow.
 *
 * Method: the eigenvalues of H are (2/N)·σ² for the singular values σ of Ã, taken from a
 * Householder QR of Ã and a Jacobi SVD of its R (`optimum.ts`) rather than from H itself: forming
 * ÃᵀÃ would square the condition number before any eigenvalue is computed. Ã is scaled by one
 * power of two (exact). A λ beyond the largest double is Infinity (then lrMax is 0). λmin counts as 0 when σmin is below the rank threshold of `optimum.ts`.
 */
import {householderQr, jacobiSvd} from './optimum.js';
import type {Curvature, TrainingData} from './types.js';

/** The curvature of `data`'s MSE (assumed well formed: see `assertTrainingData`). */
export function curvature(data: TrainingData): Curvature {
	const {rows: n, dims: d, x} = data;
	const k = d + 1;
	let xMax = 1;
	for (let i = 0; i < x.length; i++) {
		xMax = Math.max(xMax, Math.abs(x[i]!));
	}
	// At most 2^1023: 2^1024 is already Infinity (for features near the largest double).
	const scale = 2 ** Math.min(1023, Math.ceil(Math.log2(xMax)));
	// Column-major n×(d+1): the features, then the column of ones.
	const a = new Float64Array(n * k);
	for (let i = 0; i < n; i++) {
		for (let j = 0; j < d; j++) {
			a[j * n + i] = x[i * d + j]! / scale;
		}
		a[d * n + i] = 1 / scale;
	}
	const r = householderQr(a, new Float64Array(n), n, k);
	const {sigma} = jacobiSvd(r, k);
	let sigmaMax = 0;
	let sigmaMin = Infinity;
	for (let j = 0; j < k; j++) {
		sigmaMax = Math.max(sigmaMax, sigma[j]!);
		sigmaMin = Math.min(sigmaMin, sigma[j]!);
	}
	const threshold = Math.max(n, k) * Number.EPSILON * sigmaMax;
	const eigenvalue = (s: number): number => (2 * (s * scale) ** 2) / n;
	const lambdaMax = eigenvalue(sigmaMax);
	const singular = !(sigmaMin > threshold);
	const lambdaMin = singular ? 0 : eigenvalue(sigmaMin);
	return {lambdaMax, lambdaMin, condition: singular ? null : lambdaMax / lambdaMin, lrMax: 2 / lambdaMax};
}
