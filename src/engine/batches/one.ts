/**
 * The `one` batch (the note's `sgd`): every update uses one row drawn uniformly at random (with
 * replacement across updates) from the racer's own seeded generator; one iteration = one update =
 * 1 sample-gradient. The study note's version (`np.random.randint`), not the textbook walk over a
 * shuffled permutation (that is `epoch` with size 1 and shuffle), so some rows are visited twice
 * before others once.
 */
import type {Rng} from '../rng.js';
import {checkRows, checkStateKind} from './batch.js';
import type {Batch, BatchPolicy, BatchState} from './batch.js';

/** Every update on one uniformly drawn row. */
export class OneRowBatch implements BatchPolicy {
	readonly kind = 'one' as const;
	readonly batchSize = 1;
	readonly updatesPerIteration = 1;
	readonly shuffle = false;
	private readonly rows: number = 0;
	private readonly drawn = new Int32Array(1);

	/** For N rows; throws a RangeError for a bad row count. */
	constructor(rows: number) {
		checkRows(rows);
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
	saveState(): BatchState {
		return {kind: this.kind};
	}

	/** Stateless: only checks the kind. */
	restoreState(state: BatchState): void {
		checkStateKind(state, this.kind);
	}
}
