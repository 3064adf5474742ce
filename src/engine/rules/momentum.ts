/**
 * `momentum`: heavy-ball momentum as `torch.optim.SGD(lr, momentum=μ)` does it (dampening 0,
 * no weight decay). Default μ 0.9.
 *
 *     buf ← g                 (t = 1)
 *     buf ← buf·μ + g         (t > 1)
 *     θ   ← θ + (−lr)·buf
 *
 * Differs from the textbook "v ← μv − lr·g; θ ← θ + v" in where lr sits: the same path while lr
 * is constant, but a changed lr here rescales the whole accumulated velocity at once.
 */
import {PARAM_A, PARAM_LR} from './rule.js';

/** One update; the new buffer goes to `pending`. */
export function momentumApply(
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
		next[j] = theta[j]! + negativeLr * buf;
	}
}
