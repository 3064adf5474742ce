/**
 * Full-batch gradient descent (`gd`).
 *
 * Algorithm: every update uses all N rows, in order; one iteration = one update = N
 * sample-gradients. Defaults: lr 0.01. Differs from the textbook only in the loss it descends
 * (the MSE's gradient carries the factor 2/N, as in the study note) and in that no step-size
 * search or stopping rule is applied: the race decides when to stop.
 */
import type {Rng} from '../rng.js';
import {checkLearningRate, checkRows, checkStateId} from './optimizer.js';
import type {Batch, Optimizer, OptimizerState} from './optimizer.js';

/** Display name of `gd`. */
export const GD_NAME = 'Gradient descent';

/** Full-batch gradient descent: every update on all rows, in order. */
export class GradientDescent implements Optimizer {
	readonly id = 'gd' as const;
	readonly name = GD_NAME;
	readonly lr: number = 0;
	readonly batchSize: number = 0;
	readonly updatesPerIteration = 1;

	/** For N rows; throws a RangeError for a bad learning rate or row count. */
	constructor(rows: number, lr: number) {
		checkRows(rows);
		checkLearningRate(lr);
		this.lr = lr;
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
	saveState(): OptimizerState {
		return {id: this.id};
	}

	/** Stateless: only checks the id. */
	restoreState(state: OptimizerState): void {
		checkStateId(state, this.id);
	}
}
