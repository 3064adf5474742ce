/**
 * The two mini-batch policies of the study note. Both give a batch of min(size, N) rows (a size
 * above N means the whole data set); they differ in how the rows are chosen and in what one
 * iteration is.
 */
import type {Rng} from '../rng.js';
import {checkBatchSize, checkRows, checkStateKind, identityRows} from './batch.js';
import type {Batch, BatchPolicy, BatchState} from './batch.js';

/**
 * The `random` batch (the note's `mb-random`).
 *
 * Every update uses min(size, N) rows drawn uniformly WITH replacement (`np.random.choice(N, 30)`
 * in the study note), so a batch may repeat a row; one iteration = one update = size
 * sample-gradients. Default size 30. Differs from the textbook mini-batch, which walks shuffled
 * disjoint slices (see `EpochMiniBatch` with shuffle).
 */
export class RandomMiniBatch implements BatchPolicy {
	readonly kind = 'random' as const;
	readonly batchSize: number = 0;
	readonly updatesPerIteration = 1;
	readonly shuffle = false;
	private readonly rows: number = 0;
	private readonly drawn: Int32Array;

	/** For N rows; throws a RangeError for a bad batch size or row count. */
	constructor(rows: number, batchSize: number) {
		checkRows(rows);
		checkBatchSize(batchSize);
		this.rows = rows;
		this.batchSize = Math.min(batchSize, rows);
		this.drawn = new Int32Array(this.batchSize);
	}

	/** Always min(batchSize, N). */
	nextCount(): number {
		return this.batchSize;
	}

	/** min(batchSize, N) rows, each uniform in [0, N), independently. */
	select(rng: Rng, batch: Batch): void {
		const drawn = this.drawn;
		const rows = this.rows;
		for (let k = 0; k < drawn.length; k++) {
			drawn[k] = rng.int(rows);
		}
		batch.rows = drawn;
		batch.start = 0;
		batch.count = drawn.length;
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

/**
 * The `epoch` batch (the note's `mb-epoch`).
 *
 * One iteration is one pass over all N rows in slices of min(size, N): rows 0–29, 30–59, …, the
 * last slice shorter (506 rows, 30 → 16 slices of 30 and one of 26 = 17 updates); one iteration =
 * ceil(N / size) updates = N sample-gradients. With `shuffle`, the row order is reshuffled
 * (Fisher–Yates, with the racer's generator) at the start of every pass, which is the textbook
 * form; without it (the study note's default) every pass sees the same slices in the same order.
 * Defaults: size 30, shuffle off.
 */
export class EpochMiniBatch implements BatchPolicy {
	readonly kind = 'epoch' as const;
	readonly batchSize: number = 0;
	readonly updatesPerIteration: number = 0;
	/** Whether each pass reshuffles the row order. */
	readonly shuffle: boolean;
	private readonly rows: number = 0;
	/** The row order of the current pass; null without shuffle (rows in order). */
	private readonly order: Int32Array | null;
	private cursor = 0;

	/** For N rows; throws a RangeError for a bad batch size or row count. */
	constructor(rows: number, batchSize: number, shuffle: boolean) {
		checkRows(rows);
		checkBatchSize(batchSize);
		this.rows = rows;
		this.batchSize = Math.min(batchSize, rows);
		this.updatesPerIteration = Math.ceil(rows / this.batchSize);
		this.shuffle = shuffle;
		this.order = shuffle ? identityRows(rows) : null;
	}

	/** The next slice's length: batchSize, or what is left of the pass. */
	nextCount(): number {
		return Math.min(this.batchSize, this.rows - this.cursor);
	}

	/** The next slice of the pass (reshuffling first when a pass starts and shuffle is on). */
	select(rng: Rng, batch: Batch): void {
		const order = this.order;
		if (this.cursor === 0 && order !== null) {
			for (let i = order.length - 1; i > 0; i--) {
				const j = rng.int(i + 1);
				const t = order[i]!;
				order[i] = order[j]!;
				order[j] = t;
			}
		}
		const count = Math.min(this.batchSize, this.rows - this.cursor);
		batch.rows = order;
		batch.start = this.cursor;
		batch.count = count;
		this.cursor += count;
		if (this.cursor === this.rows) {
			this.cursor = 0;
		}
	}

	/** The position in the pass, and the row order when shuffling. */
	saveState(): BatchState {
		return this.order === null ? {kind: this.kind, cursor: this.cursor} : {kind: this.kind, cursor: this.cursor, order: Array.from(this.order)};
	}

	/** Continues the pass where `saveState` left it. */
	restoreState(state: BatchState): void {
		checkStateKind(state, this.kind);
		const cursor = state.cursor ?? 0;
		if (!(Number.isInteger(cursor) && cursor >= 0 && cursor < this.rows)) {
			throw new RangeError(`epoch batch cursor must be an integer in [0, ${this.rows}) (got ${cursor})`);
		}
		if (this.order !== null) {
			const order = state.order;
			if (order === undefined || !isPermutation(order, this.rows)) {
				throw new RangeError(`epoch batch order must be a permutation of 0 … ${this.rows - 1}`);
			}
			this.order.set(order);
		}
		this.cursor = cursor;
	}
}

function isPermutation(order: readonly number[], n: number): boolean {
	if (order.length !== n) {
		return false;
	}
	const seen = new Uint8Array(n);
	for (const i of order) {
		if (!(Number.isInteger(i) && i >= 0 && i < n) || seen[i] === 1) {
			return false;
		}
		seen[i] = 1;
	}
	return true;
}
