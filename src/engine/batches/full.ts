/**
 * The `full` batch (the note's `gd`): every update uses all N rows, in order; one iteration = one
 * update = N sample-gradients. Draws nothing.
 */
import type {Rng} from '../rng.js';
import {checkRows, checkStateKind} from './batch.js';
import type {Batch, BatchPolicy, BatchState} from './batch.js';

/** Every update on all rows, in order. */
export class FullBatch implements BatchPolicy {
	readonly kind = 'full' as const;
	readonly batchSize: number = 0;
	readonly updatesPerIteration = 1;
	readonly shuffle = false;

	/** For N rows; throws a RangeError for a bad row count. */
	constructor(rows: number) {
		checkRows(rows);
		this.batchSize = rows;
	}

	/** Always N. */
	nextCount(): number {
		return this.batchSize;
	}

	/** Rows 0 … N − 1; draws nothing. */
	select(_rng: Rng, batch: Batch): void {
		batch.rows = null;
		batch.start = 0;
		batch.count = this.batchSize;
	}

	/** Stateless. */
	saveState(): BatchState {
		return {kind: this.kind};
	}

	/** Stateless: only checks the kind. */
	restoreState(state: BatchState): void {
		checkStateKind(state, this.kind);
	}
}
