/**
 * The racers by name: the study note's four (each the plain rule on one batch policy) and the
 * update rules of the README's table in "The race" (each on the full batch unless told
 * otherwise), their display names and defaults, and the factory of batch policies the racer uses.
 */
import type {BatchPolicy} from './batches/batch.js';
import {FullBatch} from './batches/full.js';
import {EpochMiniBatch, RandomMiniBatch} from './batches/mini-batch.js';
import {OneRowBatch} from './batches/one.js';
import {RULE_LABELS, defaultRule} from './rules/rule.js';
import {OPTIMIZER_IDS, RULES} from './types.js';
import type {BatchKind, BatchSpec, OptimizerId, RacerSpec, RuleName, RuleSpec} from './types.js';

/** The study note's learning rate. */
export const DEFAULT_LR = 0.01;
/** The study note's mini-batch size. */
export const DEFAULT_BATCH_SIZE = 30;

/** Display name of each of the note's four racers. */
export const OPTIMIZER_NAMES: Readonly<Record<OptimizerId, string>> = {
	gd: 'Gradient descent',
	sgd: 'Stochastic GD',
	'mb-random': 'Mini-batch (random)',
	'mb-epoch': 'Mini-batch (epoch)',
};

/** The note's four and each batch policy they stand for (all with the plain `sgd` rule). */
const NOTE_BATCHES: Readonly<Record<OptimizerId, BatchKind>> = {gd: 'full', sgd: 'one', 'mb-random': 'random', 'mb-epoch': 'epoch'};

/** Every name a racer spec may start with: the note's four ids, then the rules (`sgd` is the note's). */
export const RACER_NAMES = [...OPTIMIZER_IDS, ...RULES.filter((rule) => rule !== 'sgd')] as const;
export type RacerName = (typeof RACER_NAMES)[number];

/** Whether `name` is one of the note's four ids. */
export function isNoteId(name: string): name is OptimizerId {
	return (OPTIMIZER_IDS as readonly string[]).includes(name);
}

/** The rule and the default batch kind a name stands for: `gd` → sgd × full, `adam` → adam × full. */
export function nameDefaults(name: RacerName): {readonly rule: RuleName; readonly batch: BatchKind} {
	return isNoteId(name) ? {rule: 'sgd', batch: NOTE_BATCHES[name]} : {rule: name, batch: 'full'};
}

/** A batch policy of a kind with the note's defaults (size 30, no shuffle). */
export function defaultBatch(kind: BatchKind, size = DEFAULT_BATCH_SIZE, shuffle = false): BatchSpec {
	switch (kind) {
		case 'full':
		case 'one': {
			return {kind};
		}
		case 'random': {
			return {kind, size};
		}
		case 'epoch': {
			return {kind, size, shuffle};
		}
	}
}

/** 'full batch', 'one row', 'random 30', 'epoch 30', 'epoch 30, shuffled'. */
export function batchText(batch: BatchSpec): string {
	switch (batch.kind) {
		case 'full': {
			return 'full batch';
		}
		case 'one': {
			return 'one row';
		}
		case 'random': {
			return `random ${batch.size}`;
		}
		case 'epoch': {
			return `epoch ${batch.size}${batch.shuffle ? ', shuffled' : ''}`;
		}
	}
}

/**
 * The display name of a racer: the note's names for its four on their own batch policy
 * ("Mini-batch (epoch)"), the rule's name on the full batch ("Adam"), else the rule's name and the
 * batch ("Adam (epoch 30)", "SGD (full batch)").
 */
export function racerDisplayName(name: RacerName, rule: RuleName, batch: BatchSpec): string {
	const defaults = nameDefaults(name);
	if (rule === defaults.rule && batch.kind === defaults.batch) {
		if (isNoteId(name)) return OPTIMIZER_NAMES[name];
		return RULE_LABELS[rule];
	}
	return `${RULE_LABELS[rule]} (${batchText(batch)})`;
}

/** Settings of `racerSpec`, each defaulting to the name's own (rule hyperparameters: PyTorch's). */
export type RacerSpecOptions = {
	/** @default the name */
	readonly id?: string;
	/** @default DEFAULT_LR */
	readonly lr?: number;
	/** @default the name's batch kind with size 30, no shuffle */
	readonly batch?: BatchSpec;
	/** @default the name's rule with PyTorch's defaults */
	readonly rule?: RuleSpec;
};

/** A racer spec for a name (`gd`, `adam`, …), e.g. `racerSpec('adam', {lr: 0.1})`. */
export function racerSpec(name: RacerName, options: RacerSpecOptions = {}): RacerSpec {
	const defaults = nameDefaults(name);
	const rule = options.rule ?? defaultRule(defaults.rule);
	const batch = options.batch ?? defaultBatch(defaults.batch);
	return {id: options.id ?? name, name: racerDisplayName(name, rule.kind, batch), rule, batch, lr: options.lr ?? DEFAULT_LR};
}

/** One of the note's racers with the note's settings (lr 0.01, batch size 30, no shuffle), overridable. */
export function defaultRacerSpec(id: OptimizerId, options: {lr?: number; batchSize?: number; shuffle?: boolean} = {}): RacerSpec {
	return racerSpec(id, {
		lr: options.lr ?? DEFAULT_LR,
		batch: defaultBatch(NOTE_BATCHES[id], options.batchSize ?? DEFAULT_BATCH_SIZE, options.shuffle ?? false),
	});
}

/** The batch policy for `batch` on N rows. Throws a RangeError for an unknown kind or a bad size. */
export function createBatchPolicy(batch: BatchSpec, rows: number): BatchPolicy {
	switch (batch.kind) {
		case 'full': {
			return new FullBatch(rows);
		}
		case 'one': {
			return new OneRowBatch(rows);
		}
		case 'random': {
			return new RandomMiniBatch(rows, batch.size);
		}
		case 'epoch': {
			return new EpochMiniBatch(rows, batch.size, batch.shuffle);
		}
		default: {
			// Reachable from untyped input (a JSON config, a restored state).
			throw new RangeError(`unknown batch kind: ${String((batch as {kind: unknown}).kind)}`);
		}
	}
}
