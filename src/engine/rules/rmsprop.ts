/**
 * `rmsprop`: `torch.optim.RMSprop(lr)`, not centred, no momentum, no weight decay. Defaults
 * α 0.99, eps 1e-8.
 *
 *     v ← v·α + ((1 − α)·g)·g
 *     θ ← θ + ((−lr)·g) / (√v + eps)
 *
 * Unlike Adam there is no bias correction: v starts at 0, so the first steps are large
 * (lr / √(1 − α) = 10·lr at t = 1).
 */
import {PARAM_A, PARAM_EPS, PARAM_LR} from './rule.js';

/** One update; the new average of squares goes to `pending`. */
export function rmspropApply(
	theta: Float64Array,
	sums: Float64Array,
	n: number,
	params: Float64Array,
	state: Float64Array,
	pending: Float64Array,
	next: Float64Array,
): void {
	const negativeLr = -params[PARAM_LR]!;
	const alpha = params[PARAM_A]!;
	const eps = params[PARAM_EPS]!;
	const rest = 1 - alpha;
	const scale = -2 / n;
	for (let j = 0; j < theta.length; j++) {
		const g = scale * sums[j]!;
		const v = state[j]! * alpha + rest * g * g;
		pending[j] = v;
		next[j] = theta[j]! + (negativeLr * g) / (Math.sqrt(v) + eps);
	}
}
