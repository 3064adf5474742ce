/**
 * `nesterov`: Nesterov momentum as `torch.optim.SGD(lr, momentum=μ, nesterov=True)` does it
 * (dampening 0). Default μ 0.9.
 *
 *     buf ← g  (t = 1),  buf·μ + g  (t > 1)
 *     θ   ← θ + (−lr)·(g + μ·buf)
 *
 * PyTorch's form (Sutskever et al. rewritten in the current parameters): the gradient is taken
 * at θ, not at a look-ahead point, and the look-ahead is the extra μ·buf in the step.
 */
import {PARAM_A, PARAM_LR} from './rule.js';

/** One update; the new buffer goes to `pending`. */
export function nesterovApply(
	theta: Float64Array,
	sums: Float64Array,
	n: number,
	t: number,
	params: Float64Array,
	state: Float64Array,
	pending: Float64Array,
	next: Float64Array,
): void {
	const negativeLr = -params[PARAM_LR]!;
	const mu = params[PARAM_A]!;
	const scale = -2 / n;
	for (let j = 0; j < theta.length; j++) {
		const g = scale * sums[j]!;
		const buf = t === 1 ? g : state[j]! * mu + g;
		pending[j] = buf;
		next[j] = theta[j]! + negativeLr * (g + mu * buf);
	}
}
