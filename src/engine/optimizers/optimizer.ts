/**
 * The one small interface behind every racer's optimizer. An optimizer here is a batch-selection
 * policy (which rows the next update uses) plus its counters; the update rule itself is shared
 * (`../linear-model.ts`), so optimizers differ only in what a "batch" and an "iteration" are.
 */
import type {Rng} from '../rng.js';
import type {OptimizerId} from '../types.js';

/**
 * The rows of one update: `rows[start] … rows[start + count − 1]`, or, when `rows` is null, the
 * contiguous rows `start … start + count − 1` (the faster loop: see `../linear-model.ts`). A
 * scratch object the racer owns and `Optimizer.select` overwrites on every update, so the hot
 * loop allocates nothing; hence its fields are mutable.
 */
export type Batch = {
	rows: Int32Array | null;
	start: number;
	count: number;
};

/** An optimizer's state as plain data (JSON-safe): enough to continue bit-identically. */
export type OptimizerState = {
	readonly id: OptimizerId;
	/** mb-epoch: the next row's position in the pass. */
	readonly cursor?: number;
	/** mb-epoch with shuffle: the current pass's row order. */
	readonly order?: readonly number[];
};

/** Batch selection for one racer. Hyperparameters are validated when it is made (RangeError). */
export type Optimizer = {
	readonly id: OptimizerId;
	/** Human name, e.g. "Mini-batch (random)". */
	readonly name: string;
	/** Learning rate, > 0. */
	readonly lr: number;
	/** Rows per update it uses: N for gd, 1 for sgd, min(batchSize, N) for the mini-batches. */
	readonly batchSize: number;
	/** Updates in one of its iterations: 1, or ceil(N / batchSize) for mb-epoch. */
	readonly updatesPerIteration: number;
	/** Rows the next update will use, known before any draw (the samples clock needs it). */
	nextCount(): number;
	/** Chooses the next update's rows (drawing from `rng` if random) and writes them to `batch`. */
	select(rng: Rng, batch: Batch): void;
	/** Its state as plain data. */
	saveState(): OptimizerState;
	/** Continues from a state returned by `saveState` of an optimizer with the same settings. */
	restoreState(state: OptimizerState): void;
};

/** Throws a RangeError unless lr is a finite number > 0. */
export function checkLearningRate(lr: number): void {
	if (!(Number.isFinite(lr) && lr > 0)) {
		throw new RangeError(`learning rate must be a finite number > 0 (got ${lr})`);
	}
}

/** Throws a RangeError unless batchSize is an integer >= 1. */
export function checkBatchSize(batchSize: number): void {
	if (!(Number.isSafeInteger(batchSize) && batchSize >= 1)) {
		throw new RangeError(`batch size must be an integer >= 1 (got ${batchSize})`);
	}
}

/** Throws a RangeError unless rows is an integer >= 1 (and small enough for Int32Array indices). */
export function checkRows(rows: number): void {
	if (!(Number.isInteger(rows) && rows >= 1 && rows <= 0x7fffffff)) {
		throw new RangeError(`data must have between 1 and 2^31 − 1 rows (got ${rows})`);
	}
}

/** Throws a RangeError unless `state` belongs to an optimizer with this id. */
export function checkStateId(state: OptimizerState, id: OptimizerId): void {
	if (state.id !== id) {
		throw new RangeError(`cannot restore a ${state.id} state into a ${id} optimizer`);
	}
}

/** 0, 1, …, n − 1. */
export function identityRows(n: number): Int32Array {
	const rows = new Int32Array(n);
	for (let i = 0; i < n; i++) {
		rows[i] = i;
	}
	return rows;
}
