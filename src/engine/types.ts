/**
 * The engine's public vocabulary. Plain data only: nothing here imports React, Ink or a terminal.
 * The UI renders `RaceSnapshot`s and sends commands to the `Scheduler`; the headless CLI reads the
 * same snapshots.
 */

/** How each scheduler tick is shared among the racers (README, "The race": the clocks); fixed for a race. */
export const CLOCKS = ['iteration', 'samples', 'time'] as const;
export type Clock = (typeof CLOCKS)[number];

/** The four racers of the study note, in their default order (each is the plain rule on one batch policy). */
export const OPTIMIZER_IDS = ['gd', 'sgd', 'mb-random', 'mb-epoch'] as const;
/** One of the note's four ids. Racer ids in general are any unique string (`RacerSpec.id`). */
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

/** The update rules (README, "The race"), each as `torch.optim` documents it. */
export const RULES = ['sgd', 'momentum', 'nesterov', 'adagrad', 'rmsprop', 'adam'] as const;
export type RuleName = (typeof RULES)[number];

/** An update rule and its hyperparameters (besides the learning rate, which is the racer's). */
export type RuleSpec =
	| {readonly kind: 'sgd'}
	/** `momentum` in [0, 1). @default 0.9 */
	| {readonly kind: 'momentum'; readonly momentum: number}
	/** `momentum` in [0, 1). @default 0.9 */
	| {readonly kind: 'nesterov'; readonly momentum: number}
	/** `eps` > 0. @default 1e-10 */
	| {readonly kind: 'adagrad'; readonly eps: number}
	/** `alpha` in [0, 1) @default 0.99; `eps` > 0 @default 1e-8 */
	| {readonly kind: 'rmsprop'; readonly alpha: number; readonly eps: number}
	/** `beta1`, `beta2` in [0, 1) @default 0.9, 0.999; `eps` > 0 @default 1e-8 */
	| {readonly kind: 'adam'; readonly beta1: number; readonly beta2: number; readonly eps: number};

/** How each update picks its rows (README, "The race"). */
export const BATCH_KINDS = ['full', 'one', 'random', 'epoch'] as const;
export type BatchKind = (typeof BATCH_KINDS)[number];

/**
 * A batch policy: `full` (all N rows in order), `one` (one row drawn uniformly), `random` (`size`
 * rows drawn with replacement), `epoch` (slices of `size` rows in row order, one iteration = one
 * pass; `shuffle` reshuffles every pass). A size above N means N.
 */
export type BatchSpec =
	| {readonly kind: 'full'}
	| {readonly kind: 'one'}
	| {readonly kind: 'random'; readonly size: number}
	| {readonly kind: 'epoch'; readonly size: number; readonly shuffle: boolean};

/** What the user chose for one racer: an update rule × a batch policy × a learning rate. */
export type RacerSpec = {
	/** Unique in its race: the stream name of its generator, the `--lr.<id>` and export key, e.g. 'adam-2'. */
	readonly id: string;
	/** Display name, e.g. "Adam" or "Mini-batch (epoch)". */
	readonly name: string;
	readonly rule: RuleSpec;
	readonly batch: BatchSpec;
	/** Learning rate at the start, finite and > 0. @default 0.01 */
	readonly lr: number;
};

/** A learning-rate change during a race: from the update after this point on, the racer uses `lr`. */
export type LrChange = Coordinates & {
	/** Updates applied before the change. */
	readonly updates: number;
	/** The learning rate before the change. */
	readonly from: number;
	/** The new learning rate. */
	readonly lr: number;
};

/** The Hessian of the full-data MSE over θ = [w, b], H = (2/N)·ÃᵀÃ with Ã = [X, 1] (README, "The race"). */
export type Curvature = {
	/** Largest eigenvalue of H. */
	readonly lambdaMax: number;
	/** Smallest eigenvalue of H (0 when it is 0 to rounding). */
	readonly lambdaMin: number;
	/** λmax / λmin, or null when λmin is 0 to rounding (collinear features, N <= d). */
	readonly condition: number | null;
	/** 2 / λmax: plain full-batch GD converges iff lr < lrMax. */
	readonly lrMax: number;
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
	/**
	 * Record every update in the racers' histories. A run that never reads them (the headless
	 * summaries) turns this off: recording is about a tenth of a short race's time. Off, each
	 * history holds only the starting point. @default true
	 */
	readonly recordHistory?: boolean;
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
	/** Unique in the race, e.g. 'mb-epoch' or 'adam-2'. */
	readonly id: string;
	/** Display name, e.g. "Mini-batch (random)". */
	readonly name: string;
	/** Its update rule. */
	readonly rule: RuleName;
	/** Its batch policy; `size` is the rows per update it uses (N for full, 1 for one), `shuffle` false unless an epoch batch reshuffles. */
	readonly batch: {readonly kind: BatchKind; readonly size: number; readonly shuffle: boolean};
	/** The rule's hyperparameters besides lr, by name ({} for sgd). */
	readonly hyper: Readonly<Record<string, number>>;
	/** The learning rate it uses now (changed by `Racer.setLr`). */
	readonly lr: number;
	/** Every learning-rate change so far, oldest first. */
	readonly lrChanges: readonly LrChange[];
	/** Rows per update actually used: N for full, 1 for one, min(size, N) for random and epoch. */
	readonly batchSize: number;
	/**
	 * Iterations in the racer's own sense, fractional inside an mb-epoch pass (update k of 17 → k/17),
	 * so that it always describes the same moment as the loss, weights and samples beside it.
	 */
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
	/** The clock the race is scheduled by (fixed for the race). */
	readonly clock: Clock;
	/**
	 * Where every racer is, in clock units: the level all running racers have been brought to;
	 * when every racer diverged, the furthest any got. See `Race.position`.
	 */
	readonly position: number;
	/** Where the race is headed, in clock units (>= position while the racers catch up). */
	readonly target: number;
	readonly epochs: number;
	readonly seed: number;
	/** True when every racer is done or diverged. */
	readonly over: boolean;
	/** A racer finishes when its relative gap is within this (0.01 = 1 %). */
	readonly tolerance: number;
	readonly optimum: Optimum;
	/** The loss's curvature (the stable step bound of plain full-batch GD). */
	readonly curvature: Curvature;
	readonly racers: readonly RacerSnapshot[];
};

/** One recorded point of a racer's history. */
export type HistoryPoint = Coordinates & {
	readonly loss: number;
};
