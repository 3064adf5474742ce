/**
 * `sgd`, the plain rule: θ ← θ − lr·g (`torch.optim.SGD(lr)`).
 *
 * Written as the study note writes it, `θ_j += lr·(2/n)·Σ diff_i·x̃_ij`: the same operations in the
 * same order as before the zoo, so the note's four racers stay bit-identical. PyTorch computes
 * θ + (−lr)·g; the two agree to the last bit or two. Stateless.
 */
import {PARAM_LR} from './rule.js';

/** next = θ + lr·(2/n)·sums. `next` may be `theta`. */
export function sgdApply(theta: Float64Array, sums: Float64Array, n: number, params: Float64Array, next: Float64Array): void {
	const step = params[PARAM_LR]! * (2 / n);
	for (let j = 0; j < theta.length; j++) {
		next[j] = theta[j]! + step * sums[j]!;
	}
}
