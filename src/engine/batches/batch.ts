/**
 * The one small interface behind every batch policy: which rows the next update uses, and how many
 * updates make one iteration. The update rule is separate (`../rules/`), so any rule works with
 * any policy.
 */
import type {Rng} from '../rng.js';
import type {BatchKind} from '../types.js';

/**
 * The rows of one update: `rows[start] … rows[start + count − 1]`, or, when `rows` is null, the
 * contiguous rows `start … start + count − 1` (the faster loop: see `../linear-model.ts`). A
 * scratch object the racer owns and `BatchPolicy.select` overwrites on every update, so the hot
 * loop allocates nothing; hence its fields are mutable.
 */
export type Batch = {
	rows: Int32Array | null;
	start: number;
	count: number;
};

/** A batch policy's state as plain data (JSON-safe): enough to continue bit-identically. */
export type BatchState = {
	readonly kind: BatchKind;
	/** epoch: the next row's position in the pass. */
	readonly cursor?: number;
	/** epoch with shuffle: the current pass's row order. */
	readonly order?: readonly number[];
};

/** Batch selection for one racer. Settings are validated when it is made (RangeError). */
export type BatchPolicy = {
	readonly kind: BatchKind;
	/** Rows per update it uses: N for full, 1 for one, min(size, N) for random and epoch. */
	readonly batchSize: number;
	/** Updates in one of its iterations: 1, or ceil(N / size) for epoch. */
	readonly updatesPerIteration: number;
	/** Whether an epoch batch reshuffles every pass (false for the others). */
	readonly shuffle: boolean;
	/** Rows the next update will use, known before any draw (the samples clock needs it). */
	nextCount(): number;
	/** Chooses the next update's rows (drawing from `rng` if random) and writes them to `batch`. */
	select(rng: Rng, batch: Batch): void;
	/** Its state as plain data. */
	saveState(): BatchState;
	/** Continues from a state returned by `saveState` of a policy with the same settings. */
	restoreState(state: BatchState): void;
};

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

/** Throws a RangeError unless `state` belongs to a policy of this kind. */
export function checkStateKind(state: BatchState, kind: BatchKind): void {
	if (state.kind !== kind) {
		throw new RangeError(`cannot restore a ${String(state.kind)} batch state into a ${kind} batch`);
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
