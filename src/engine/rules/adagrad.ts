/**
 * `adagrad`: `torch.optim.Adagrad(lr)` with no lr decay, no weight decay, accumulator 0.
 * Default eps 1e-10.
 *
 *     s ← s + g·g
 *     θ ← θ + ((−lr)·g) / (√s + eps)
 *
 * eps is added outside the square root, as PyTorch does (some texts put it inside).
 */
import {PARAM_EPS, PARAM_LR} from './rule.js';

/** One update; the new sum of squares goes to `pending`. */
export function adagradApply(
	theta: Float64Array,
	sums: Float64Array,
	n: number,
	params: Float64Array,
	state: Float64Array,
	pending: Float64Array,
	next: Float64Array,
): void {
	const negativeLr = -params[PARAM_LR]!;
	const eps = params[PARAM_EPS]!;
	const scale = -2 / n;
	for (let j = 0; j < theta.length; j++) {
		const g = scale * sums[j]!;
		const s = state[j]! + g * g;
		pending[j] = s;
		next[j] = theta[j]! + (negativeLr * g) / (Math.sqrt(s) + eps);
	}
}
