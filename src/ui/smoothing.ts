/**
 * Smoothing of noisy loss curves as TensorBoard does it: a debiased exponential moving average.
 *
 *   last ← weight·last + (1 − weight)·value;  smoothed_k = last / (1 − weight^(k+1))
 *
 * with `last` starting at 0, so that the first points are not pulled toward 0 (the debiasing
 * divides by the total weight the points so far carry). Non-finite values pass through unsmoothed
 * and do not enter the average (TensorBoard's `isFinite` check).
 */

/** The smoothing weights `e` cycles through: 0 is off. */
export const SMOOTHING_WEIGHTS = [0, 0.6, 0.9, 0.99] as const;
export type SmoothingWeight = (typeof SMOOTHING_WEIGHTS)[number];

/** The next weight after `weight` in the cycle (off after the last). */
export function nextSmoothing(weight: number): SmoothingWeight {
	const index = SMOOTHING_WEIGHTS.indexOf(weight as SmoothingWeight);
	return SMOOTHING_WEIGHTS[(index + 1) % SMOOTHING_WEIGHTS.length]!;
}

/**
 * The debiased EMA of `values` with `weight` in [0, 1) (0: a copy). Writes into `out` when it is
 * given and long enough (the chart reuses one buffer), and returns the smoothed array.
 */
export function smooth(values: ArrayLike<number>, weight: number, out?: Float64Array): Float64Array {
	const length = values.length;
	const result = out !== undefined && out.length >= length ? out.subarray(0, length) : new Float64Array(length);
	let last = 0;
	let count = 0;
	for (let i = 0; i < length; i++) {
		const value = values[i]!;
		if (!Number.isFinite(value)) {
			result[i] = value;
			continue;
		}
		last = last * weight + (1 - weight) * value;
		count++;
		const debias = weight === 0 ? 1 : 1 - weight ** count;
		result[i] = last / debias;
	}
	return result;
}
