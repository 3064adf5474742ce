/**
 * The engine's public vocabulary. Plain data only: nothing here imports React, Ink or a terminal.
 * The UI renders `RaceSnapshot`s and sends commands to the `Scheduler`; the headless CLI reads the
 * same snapshots.
 */

/** How each scheduler tick is shared among the racers (SPEC §2). */
export const CLOCKS = ['iteration', 'samples', 'time'] as const;
export type Clock = (typeof CLOCKS)[number];

/** The four racers of the study note, in their default order. */
export const OPTIMIZER_IDS = ['gd', 'sgd', 'mb-random', 'mb-epoch'] as const;
export type OptimizerId = (typeof OPTIMIZER_IDS)[number];

/**
 * One clock unit of the `time` clock, in milliseconds of one racer's own CPU time.
 * 0.1 ms keeps the default speed (256 units/s) at about a tenth of a core for four racers.
 */
export const TIME_UNIT_MS = 0.1;

/** The rows the engine trains on: N rows of d (already scaled) features and a target. */
export type TrainingData = {
	/** N. */
	readonly rows: number;
	/** d, the number of features (the bias is extra). */
	readonly dims: number;
	/** Features, row-major: `x[i * dims + j]`. */
	readonly x: Float64Array;
	/** Target, length N. */
	readonly y: Float64Array;
};

/** What the user chose for one racer. */
export type RacerSpec = {
	readonly id: OptimizerId;
	/** Learning rate, > 0. @default 0.01 */
	readonly lr: number;
	/** Rows per update for the mini-batch racers (capped at N). Ignored by gd and sgd. @default 30 */
	readonly batchSize: number;
	/** mb-epoch only: reshuffle the row order at the start of every pass. @default false */
	readonly shuffle: boolean;
};

export type RaceConfig = {
	readonly data: TrainingData;
	/** The racers, in display order. Ids are unique. */
	readonly racers: readonly RacerSpec[];
	/** Seed of every racer's generator (each racer derives its own stream from it and its id). @default 2023 */
	readonly seed: number;
	/** @default 'iteration' */
	readonly clock: Clock;
	/** Clock units the race lasts. @default 5000 */
	readonly epochs: number;
	/** A racer finishes the first time loss <= L* + tolerance * L*. In (0, 1). @default 0.01 */
	readonly tolerance: number;
	/** History buckets kept per racer; memory per racer is O(historyCapacity). @default 2048 */
	readonly historyCapacity?: number;
};

/** A moment of a racer's run in all three clock coordinates. */
export type Coordinates = {
	/** Iterations in the racer's own sense; fractional inside an mb-epoch pass (update k of 17 → k/17). */
	readonly iteration: number;
	/** Sample-gradients spent (rows used in gradients). */
	readonly samples: number;
	/** Milliseconds of the racer's own CPU time. */
	readonly ms: number;
};

/** The closed-form least-squares solution on the same scaled features. */
export type Optimum = {
	/** Minimum-norm optimal weights (unique when `unique`). */
	readonly weights: readonly number[];
	readonly bias: number;
	/** L*, the minimum full-data MSE. */
	readonly loss: number;
	/** Numerical rank of the centred feature matrix (d when unique). */
	readonly rank: number;
	/** False when features are collinear or N <= d: L* is unique, the weights are not. */
	readonly unique: boolean;
};

/** `running` until the race's end or divergence; a finished racer keeps running to the end. */
export type RacerState = 'running' | 'done' | 'diverged';

/** What the JSON summary reports per racer at the end. */
export type FinalStatus = 'done' | 'finished' | 'diverged';

export type RacerSnapshot = {
	readonly id: OptimizerId;
	/** Human name, e.g. "Mini-batch (random)". */
	readonly name: string;
	readonly lr: number;
	/** Rows per update actually used: N for gd, 1 for sgd, min(batchSize, N) for the mini-batches. */
	readonly batchSize: number;
	/** Completed iterations. */
	readonly iterations: number;
	/** Parameter updates applied (mb-epoch: about N / batchSize per iteration). */
	readonly updates: number;
	/** Sample-gradients spent. */
	readonly samples: number;
	/** The racer's own CPU time, ms. */
	readonly ms: number;
	/** Current weights, in feature order. Always finite. */
	readonly weights: readonly number[];
	/** Always finite. */
	readonly bias: number;
	/** Full-data MSE at exactly these weights. Always finite. */
	readonly loss: number;
	/** loss - L*, >= 0, computed without cancellation. */
	readonly gap: number;
	/** gap as a share of max(L*, FINISH_FLOOR × initial loss), what the finish tolerance is compared with (racer.ts `relativeGap`). */
	readonly relativeGap: number;
	readonly state: RacerState;
	/** First time within tolerance of L*, or null. */
	readonly finished: Coordinates | null;
	/** Where it diverged (the update that would have exploded was not applied), or null. */
	readonly diverged: Coordinates | null;
};

export type RaceSnapshot = {
	readonly clock: Clock;
	/** The clock position every racer is being brought to, in clock units. */
	readonly position: number;
	readonly epochs: number;
	readonly seed: number;
	/** True when every racer is done or diverged. */
	readonly over: boolean;
	/** A racer finishes when its relative gap is within this (0.01 = 1 %). */
	readonly tolerance: number;
	readonly optimum: Optimum;
	readonly racers: readonly RacerSnapshot[];
};

/** One recorded point of a racer's history. */
export type HistoryPoint = Coordinates & {
	readonly loss: number;
};
