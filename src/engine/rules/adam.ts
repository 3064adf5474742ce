/**
 * `adam`: `torch.optim.Adam(lr)`, no AMSGrad, no weight decay. Defaults β1 0.9, β2 0.999,
 * eps 1e-8. t counts updates from 1.
 *
 *     m ← m + (1 − β1)·(g − m)          (torch's lerp: = β1·m + (1 − β1)·g)
 *     v ← v·β2 + ((1 − β2)·g)·g
 *     θ ← θ + ((−lr / (1 − β1^t))·m) / (√v / √(1 − β2^t) + eps)
 *
 * m is updated as PyTorch does (`exp_avg.lerp_(grad, 1 − β1)`, whose form for a weight >= 0.5 is
 * g − (g − m)·β1), which can differ from β1·m + (1 − β1)·g in the last bit. eps is added after
 * the bias correction of √v, as in PyTorch (the paper adds it to √v̂ too; some texts to √v).
 */
import {PARAM_A, PARAM_B, PARAM_EPS, PARAM_LR} from './rule.js';

/** One update; m and v go to `pending` (m in the first d + 1 slots, v in the next). */
export function adamApply(
	theta: Float64Array,
	sums: Float64Array,
	n: number,
	t: number,
	params: Float64Array,
	state: Float64Array,
	pending: Float64Array,
	next: Float64Array,
): void {
	const beta1 = params[PARAM_A]!;
	const beta2 = params[PARAM_B]!;
	const eps = params[PARAM_EPS]!;
	const weight = 1 - beta1;
	const rest2 = 1 - beta2;
	const negativeStep = -(params[PARAM_LR]! / (1 - beta1 ** t));
	const correction2 = Math.sqrt(1 - beta2 ** t);
	const k = theta.length;
	const scale = -2 / n;
	const small = weight < 0.5;
	for (let j = 0; j < k; j++) {
		const g = scale * sums[j]!;
		const m0 = state[j]!;
		const m = small ? m0 + weight * (g - m0) : g - (g - m0) * (1 - weight);
		const v = state[k + j]! * beta2 + rest2 * g * g;
		pending[j] = m;
		pending[k + j] = v;
		next[j] = theta[j]! + (negativeStep * m) / (Math.sqrt(v) / correction2 + eps);
	}
}
