/**
 * What every update rule shares: the parameter block it reads and the shape of its state.
 *
 * A rule turns the batch's gradient sums (`gradientSums`: `sums[j] = Σ diff_i·x̃_ij` with
 * `diff_i = y_i − θ·x̃_i`, so the batch gradient is `g = −(2/n)·sums`) into the candidate
 * parameters `next`, and its new state into `pending`; the racer swaps `pending` in as the rule's
 * state only when it accepts the update (a diverging update leaves θ and the state as they were).
 * Every rule is a plain function of Float64Arrays, called from one `switch` in `Racer.step`, so each
 * call site sees one function (monomorphic) and no double crosses a call boxed: the learning rate
 * and hyperparameters travel in `params`, the step count t as a small integer.
 *
 * Each rule's own file states its algorithm as `torch.optim` implements it (PyTorch 2.x,
 * single-tensor path, float64), in the same order of operations, so that its numbers can be
 * checked against PyTorch; the `sgd` rule keeps the study note's form (see `sgd.ts`).
 */
import type {RuleName, RuleSpec} from '../types.js';

/** Slots of the `params` block: the learning rate, then the rule's hyperparameters. */
export const PARAM_LR = 0;
/** momentum (momentum, nesterov), alpha (rmsprop), beta1 (adam). */
export const PARAM_A = 1;
/** beta2 (adam). */
export const PARAM_B = 2;
/** eps (adagrad, rmsprop, adam). */
export const PARAM_EPS = 3;
/** Length of the `params` block. */
export const PARAM_COUNT = 4;

/** A rule's state as plain data (JSON-safe): its vectors, one after another. */
export type RuleState = {
	readonly kind: RuleName;
	/** `slots` vectors of d + 1 numbers each (momentum's buffer; AdaGrad's sum; Adam's m then v). */
	readonly values: readonly number[];
};

/** Default hyperparameters (PyTorch's). */
export const RULE_DEFAULTS = {
	momentum: {momentum: 0.9},
	nesterov: {momentum: 0.9},
	adagrad: {eps: 1e-10},
	rmsprop: {alpha: 0.99, eps: 1e-8},
	adam: {beta1: 0.9, beta2: 0.999, eps: 1e-8},
} as const;

/** The hyperparameter names of each rule, in display order (besides lr). */
export const RULE_HYPERS: Readonly<Record<RuleName, readonly ('momentum' | 'alpha' | 'beta1' | 'beta2' | 'eps')[]>> = {
	sgd: [],
	momentum: ['momentum'],
	nesterov: ['momentum'],
	adagrad: ['eps'],
	rmsprop: ['alpha', 'eps'],
	adam: ['beta1', 'beta2', 'eps'],
};

/** Display names of the rules. */
export const RULE_LABELS: Readonly<Record<RuleName, string>> = {
	sgd: 'SGD',
	momentum: 'Momentum',
	nesterov: 'Nesterov',
	adagrad: 'AdaGrad',
	rmsprop: 'RMSProp',
	adam: 'Adam',
};

/** Vectors of state per rule. */
export const RULE_SLOTS: Readonly<Record<RuleName, number>> = {sgd: 0, momentum: 1, nesterov: 1, adagrad: 1, rmsprop: 1, adam: 2};

/** A rule with PyTorch's defaults. */
export function defaultRule(kind: RuleName): RuleSpec {
	return kind === 'sgd' ? {kind} : ({kind, ...RULE_DEFAULTS[kind]} as RuleSpec);
}

/** The rule's hyperparameters by name (besides lr): `{}` for sgd, `{beta1, beta2, eps}` for adam. */
export function ruleHyper(rule: RuleSpec): Record<string, number> {
	const values = rule as unknown as Record<string, number>;
	return Object.fromEntries(RULE_HYPERS[rule.kind].map((key) => [key, values[key]!]));
}

/** Throws a RangeError unless lr is a finite number > 0. */
export function checkLearningRate(lr: number): void {
	if (!(Number.isFinite(lr) && lr > 0)) {
		throw new RangeError(`learning rate must be a finite number > 0 (got ${lr})`);
	}
}

/** Throws a RangeError naming the first bad hyperparameter of `rule` (or an unknown rule). */
export function checkRule(rule: RuleSpec): void {
	const hypers = RULE_HYPERS[rule.kind] as (typeof RULE_HYPERS)[RuleName] | undefined;
	if (hypers === undefined) {
		throw new RangeError(`unknown update rule: ${String((rule as {kind: unknown}).kind)}`);
	}
	const values = rule as unknown as Record<string, unknown>;
	for (const key of hypers) {
		const value = values[key];
		if (typeof value !== 'number') {
			throw new RangeError(`${rule.kind} needs ${key}`);
		}
		if (key === 'eps') {
			if (!(Number.isFinite(value) && value > 0)) throw new RangeError(`${rule.kind} eps must be a finite number > 0 (got ${value})`);
		} else if (!(value >= 0 && value < 1)) {
			throw new RangeError(`${rule.kind} ${key} must be in [0, 1) (got ${value})`);
		}
	}
}

/** Writes the rule's hyperparameters into their `params` slots. */
export function writeParams(rule: RuleSpec, params: Float64Array): void {
	switch (rule.kind) {
		case 'sgd': {
			break;
		}
		case 'momentum':
		case 'nesterov': {
			params[PARAM_A] = rule.momentum;
			break;
		}
		case 'adagrad': {
			params[PARAM_EPS] = rule.eps;
			break;
		}
		case 'rmsprop': {
			params[PARAM_A] = rule.alpha;
			params[PARAM_EPS] = rule.eps;
			break;
		}
		case 'adam': {
			params[PARAM_A] = rule.beta1;
			params[PARAM_B] = rule.beta2;
			params[PARAM_EPS] = rule.eps;
			break;
		}
	}
}
