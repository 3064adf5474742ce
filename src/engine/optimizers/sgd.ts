/**
 * Stochastic gradient descent (`sgd`).
 *
 * Algorithm: every update uses one row drawn uniformly at random (with replacement across
 * updates) from the racer's own seeded generator; one iteration = one update = 1
 * sample-gradient. Defaults: lr 0.01. Differs from the common textbook form, which walks a
 * shuffled permutation each epoch: this is the study note's version (`np.random.randint`), so
 * some rows are visited twice before others once. No learning-rate decay.
 */
import type {Rng} from '../rng.js';
import {checkLearningRate, checkRows, checkStateId} from './optimizer.js';
import type {Batch, Optimizer, OptimizerState} from './optimizer.js';

/** Display name of `sgd`. */
export const SGD_NAME = 'Stochastic GD';

/** Stochastic gradient descent: every update on one uniformly drawn row. */
export class StochasticGradientDescent implements Optimizer {
	readonly id = 'sgd' as const;
	readonly name = SGD_NAME;
	readonly lr: number = 0;
	readonly batchSize = 1;
	readonly updatesPerIteration = 1;
	private readonly rows: number = 0;
	private readonly drawn = new Int32Array(1);

	/** For N rows; throws a RangeError for a bad learning rate or row count. */
	constructor(rows: number, lr: number) {
		checkRows(rows);
		checkLearningRate(lr);
		this.lr = lr;
		this.rows = rows;
	}

	/** Always 1. */
	nextCount(): number {
		return 1;
	}

	/** One row, uniform in [0, N). */
	select(rng: Rng, batch: Batch): void {
		this.drawn[0] = rng.int(this.rows);
		batch.rows = this.drawn;
		batch.start = 0;
		batch.count = 1;
	}

	/** Stateless (all randomness is in the racer's generator). */
	saveState(): OptimizerState {
		return {id: this.id};
	}

	/** Stateless: only checks the id. */
	restoreState(state: OptimizerState): void {
		checkStateId(state, this.id);
	}
}
