/**
 * One racer: a linear model, its update rule, batch policy and generator, its learning rate, its
 * counters and history, and the finish and divergence rules. The race drives racers with
 * `advanceTo`, in any chunks: for the iteration and samples clocks the result is independent of
 * how the work is cut up.
 */
import {History} from './history.js';
import type {HistoryState} from './history.js';
import type {Batch, BatchPolicy, BatchState} from './batches/batch.js';
import {createBatchPolicy} from './catalog.js';
import {gradientSums} from './linear-model.js';
import type {Objective} from './optimum.js';
import {Rng} from './rng.js';
import type {RngState} from './rng.js';
import {adagradApply} from './rules/adagrad.js';
import {adamApply} from './rules/adam.js';
import {momentumApply} from './rules/momentum.js';
import {nesterovApply} from './rules/nesterov.js';
import {PARAM_COUNT, PARAM_LR, RULE_SLOTS, checkLearningRate, checkRule, ruleHyper, writeParams} from './rules/rule.js';
import type {RuleState} from './rules/rule.js';
import {rmspropApply} from './rules/rmsprop.js';
import {sgdApply} from './rules/sgd.js';
import {RULES, TIME_UNIT_MS} from './types.js';
import type {Clock, Coordinates, LrChange, RacerSnapshot, RacerSpec, RacerState, RuleName, TrainingData} from './types.js';

/** Every weight starts here, as in the study note (README, "The race"). */
export const INITIAL_WEIGHT = 0;
/** The bias starts here, as in the study note (README, "The race"). */
export const INITIAL_BIAS = 1;
/** A loss above this many times the initial loss (or a non-finite one) is divergence. */
export const DIVERGENCE_FACTOR = 1e8;
/**
 * The finish tolerance applies to max(L*, FINISH_FLOOR × initial loss), so that a perfect fit
 * (L* = 0) can still finish.
 */
export const FINISH_FLOOR = 1e-12;

/**
 * What a gap is measured against: L*, or FINISH_FLOOR × the initial loss when that is larger (a
 * perfect fit, where L* is rounding noise such as 1e-28). The finish line is tolerance × this,
 * and every relative gap shown (table, summary, --json) is a share of it: a racer that finished
 * never shows a gap of 26174 %.
 */
export function gapReference(lossStar: number, initialLoss: number): number {
	return Math.max(lossStar, FINISH_FLOOR * initialLoss);
}

/** loss − L* as a share of `gapReference` (0.01 is 1 %, as the tolerance); 0 for no gap, whatever the reference. */
export function relativeGap(gap: number, reference: number): number {
	return gap === 0 ? 0 : gap / reference;
}
/**
 * Target length of a work chunk, ms: the deadline and the clock are checked between chunks, so
 * this bounds how far a tick overruns its budget, while two performance.now() calls (~0.1 µs)
 * per chunk stay negligible.
 */
export const CHUNK_MS = 0.1;
/** Updates in the first chunk, before any cost is measured. */
const FIRST_CHUNK = 8;
// Slots of Racer.chunkState.
const UPDATE_LIMIT = 0;
const SAMPLE_LIMIT = 1;
const MS_LIMIT = 2;
const MS_BASE = 3;
const COST = 4;
const PARTIAL = 5;
const STARTED = 6;
const MAX_CHUNK = 1 << 22;
// Rule codes for the dispatch in Racer.step (RULES order).
const SGD = 0;
const MOMENTUM = 1;
const NESTEROV = 2;
const ADAGRAD = 3;
const RMSPROP = 4;
const ADAM = 5;

/**
 * Called during `advanceTo`; read the racer's getters or `snapshot()` inside. The time a listener
 * takes counts toward the racer's CPU time (it runs inside the racer's work chunk).
 */
export type RacerListener = {
	/** After every applied update. */
	readonly onUpdate?: (racer: Racer) => void;
	/** After every completed iteration (for mb-epoch: after the pass's last slice). */
	readonly onIteration?: (racer: Racer) => void;
};

/** What a racer needs from its race. */
export type RacerOptions = {
	/** The data's least-squares problem (shared by all racers of a race). */
	readonly objective: Objective;
	/** The race's seed; the racer's stream is derived from it and its id. */
	readonly seed: number;
	/** Clock units the race lasts: caught up at this target, the racer is done. */
	readonly epochs: number;
	/** Finish when loss − L* <= tolerance × max(L*, FINISH_FLOOR × initial loss). */
	readonly tolerance: number;
	/** History buckets. @default 2048 */
	readonly historyCapacity?: number;
	/** Record every update in `history` (off, it holds only the starting point). @default true */
	readonly recordHistory?: boolean;
	/** The full-data loss at the initial weights (the race computes it once, directly). */
	readonly initialLoss: number;
	/**
	 * A throwaway racer that warms the code up (see Race): its finish line is at infinity and is
	 * crossed by its first update, so that the finish branch too has run before the real racers
	 * (optimized code that never saw it would be thrown away when a racer first finishes). @default false
	 */
	readonly warmUp?: boolean;
};

/** A racer's complete state as plain data (JSON-safe except for non-finite numbers, which never occur). */
export type SavedRacer = {
	readonly id: string;
	readonly weights: readonly number[];
	readonly bias: number;
	readonly updates: number;
	readonly samples: number;
	readonly ms: number;
	readonly state: RacerState;
	readonly finished: Coordinates | null;
	readonly diverged: Coordinates | null;
	readonly rng: RngState;
	/** The learning rate in use, and every change of it so far. */
	readonly lr: number;
	readonly lrChanges: readonly LrChange[];
	readonly batch: BatchState;
	readonly rule: RuleState;
	readonly history: HistoryState;
};

/** One racer (an update rule × a batch policy × a learning rate) on the shared data. */
export class Racer {
	// Numeric fields start as numbers (= 0) even when the constructor sets them: a class field
	// without an initializer is first defined as undefined ([[Define]] semantics, ES2022), and V8
	// then stores the field boxed, allocating a HeapNumber on every write of a double.
	/** Unique in its race, e.g. 'mb-epoch' or 'adam-2'. */
	readonly id: string;
	/** Display name, e.g. "Mini-batch (epoch)". */
	readonly name: string;
	/** What the user chose. */
	readonly spec: RacerSpec;
	/** Loss and θ after every update (and at the start), bounded and decimated. */
	readonly history: History;
	/** Whether each update is recorded in `history`. */
	private readonly recording: boolean = true;
	/** The full-data loss at the initial weights. */
	readonly initialLoss: number = 0;
	private readonly policy: BatchPolicy;
	/** Index of the rule in RULES: the `switch` in `step` calls each rule's function from its own site. */
	private readonly ruleCode: number = 0;
	/** [lr, hyperparameters…]: see rules/rule.ts. Doubles in an array so that no call boxes them. */
	private readonly params = new Float64Array(PARAM_COUNT);
	/** The rule's accepted state, and the candidate state of the update being made (swapped on accept). */
	private ruleState: Float64Array;
	private rulePending: Float64Array;
	private lrChangeList: LrChange[] = [];
	private readonly rng: Rng;
	private readonly objective: Objective;
	private readonly data: TrainingData;
	private readonly epochs: number = 0;
	private readonly finishGap: number = 0;
	/** `gapReference` of the race. */
	private readonly gapRef: number = 0;
	private readonly divergenceLoss: number = 0;
	private readonly upi: number = 0;
	private readonly batch: Batch;
	private readonly sums: Float64Array;
	/**
	 * The update being made, [iteration, samples, ms, loss]: filled for the history. Doubles travel
	 * through this array, not as arguments or return values, because V8 boxes (allocates) every
	 * double passed across a call it does not inline, and the hot loop must allocate nothing.
	 */
	private readonly point = new Float64Array(4);
	/** [gap, loss] of the candidate parameters, from `Objective.measure`. */
	private readonly measured = new Float64Array(2);
	/** θ = [w_0 … w_{d−1}, b]: the current parameters, and the candidate of the next update. */
	private current: Float64Array;
	private next: Float64Array;
	private readonly dims: number = 0;
	private lossValue = 0;
	private gapValue = 0;
	private updatesValue = 0;
	private samplesValue = 0;
	private msValue = 0;
	private status: RacerState = 'running';
	private finishedAt: Coordinates | null = null;
	private divergedAt: Coordinates | null = null;
	private chunk = FIRST_CHUNK;
	/** Set by `runChunk`: whether it stopped because the racer reached the target. */
	private caughtUp = false;
	/** Rows the next update may use at most (a partial last batch, see `advanceTo`); 0 = no cap. */
	private rowCap = 0;
	/**
	 * The current chunk's limits and timing, [update limit, sample limit, ms limit, ms at start,
	 * measured ms per update, partial last batch allowed (1 or 0), performance.now() at its start],
	 * in an array rather than arguments or fields for the same reason as `point`.
	 */
	private readonly chunkState = new Float64Array(7);
	private listeners: readonly RacerListener[] = [];

	/** A racer at the initial weights. Throws a RangeError for a bad hyperparameter. */
	constructor(spec: RacerSpec, options: RacerOptions) {
		const data = options.objective.data;
		this.id = spec.id;
		this.spec = spec;
		checkLearningRate(spec.lr);
		checkRule(spec.rule);
		this.policy = createBatchPolicy(spec.batch, data.rows);
		this.name = spec.name;
		this.ruleCode = RULES.indexOf(spec.rule.kind);
		this.params[PARAM_LR] = spec.lr;
		writeParams(spec.rule, this.params);
		const stateLength = RULE_SLOTS[spec.rule.kind] * (data.dims + 1);
		this.ruleState = new Float64Array(stateLength);
		this.rulePending = new Float64Array(stateLength);
		this.rng = Rng.fromSeed(options.seed, spec.id);
		this.objective = options.objective;
		this.data = data;
		this.epochs = options.epochs;
		this.initialLoss = options.initialLoss;
		this.gapRef = gapReference(options.objective.lossStar, options.initialLoss);
		this.finishGap = options.warmUp === true ? Infinity : options.tolerance * this.gapRef;
		this.divergenceLoss = DIVERGENCE_FACTOR * Math.max(options.initialLoss, 1e-300);
		this.upi = this.policy.updatesPerIteration;
		this.recording = options.recordHistory ?? true;
		// Not recording, it holds only the starting point: the smallest history will do.
		this.history = new History(this.recording ? options.historyCapacity : 4, data.dims + 1);
		this.batch = {rows: null, start: 0, count: 0};
		this.dims = data.dims;
		this.sums = new Float64Array(data.dims + 1);
		this.current = new Float64Array(data.dims + 1).fill(INITIAL_WEIGHT);
		this.current[data.dims] = INITIAL_BIAS;
		this.next = new Float64Array(data.dims + 1);
		this.objective.measure(this.current, this.measured);
		this.gapValue = this.measured[0]!;
		this.lossValue = this.measured[1]!;
		this.point[3] = this.lossValue;
		this.history.record(this.point, this.current);
		if (this.gapValue <= this.finishGap && options.warmUp !== true) {
			this.finishedAt = {iteration: 0, samples: 0, ms: 0};
		}
	}

	/** 'running', 'done' (reached the race's end) or 'diverged'. */
	get state(): RacerState {
		return this.status;
	}

	/** Parameter updates applied. */
	get updates(): number {
		return this.updatesValue;
	}

	/** Sample-gradients spent. */
	get samples(): number {
		return this.samplesValue;
	}

	/** The racer's own CPU time, ms. */
	get ms(): number {
		return this.msValue;
	}

	/** Completed iterations (mb-epoch: completed passes). */
	get iterations(): number {
		return Math.floor(this.updatesValue / this.upi);
	}

	/** Updates per iteration: 1, or the slices of a pass for mb-epoch. */
	get updatesPerIteration(): number {
		return this.upi;
	}

	/** Rows per update it uses (N for full, 1 for one, min(size, N) for random and epoch). */
	get batchSize(): number {
		return this.policy.batchSize;
	}

	/** Its update rule. */
	get rule(): RuleName {
		return this.spec.rule.kind;
	}

	/** The learning rate it uses now. */
	get lr(): number {
		return this.params[PARAM_LR]!;
	}

	/** Every learning-rate change so far, oldest first. */
	get lrChanges(): readonly LrChange[] {
		return this.lrChangeList;
	}

	/**
	 * Uses `lr` from its next update on (recorded, with where it happened, in `lrChanges` and the
	 * saved state). Throws a RangeError unless lr is finite and > 0. No-op when unchanged.
	 */
	setLr(lr: number): void {
		checkLearningRate(lr);
		if (lr === this.params[PARAM_LR]) {
			return;
		}
		const from = this.params[PARAM_LR]!;
		this.params[PARAM_LR] = lr;
		this.lrChangeList = [
			...this.lrChangeList,
			{updates: this.updatesValue, iteration: this.updatesValue / this.upi, samples: this.samplesValue, ms: this.msValue, from, lr},
		];
	}

	/** Current weights, in feature order (a copy). */
	get weights(): number[] {
		return Array.from(this.current.subarray(0, this.dims));
	}

	/** Current bias. */
	get bias(): number {
		return this.current[this.dims]!;
	}

	/** Full-data MSE at the current weights. */
	get loss(): number {
		return this.lossValue;
	}

	/** loss − L*, >= 0, computed without cancellation. */
	get gap(): number {
		return this.gapValue;
	}

	/** First time within tolerance of L*, or null. */
	get finished(): Coordinates | null {
		return this.finishedAt;
	}

	/** Where it diverged, or null. */
	get diverged(): Coordinates | null {
		return this.divergedAt;
	}

	/** Its position in `clock` units: iterations (fractional in a pass), passes' worth of samples, or TIME_UNIT_MS. */
	position(clock: Clock): number {
		switch (clock) {
			case 'iteration': {
				return this.updatesValue / this.upi;
			}
			case 'samples': {
				return this.samplesValue / this.data.rows;
			}
			case 'time': {
				return this.msValue / TIME_UNIT_MS;
			}
		}
	}

	/** Adds a listener; returns the function that removes it. */
	observe(listener: RacerListener): () => void {
		this.listeners = [...this.listeners, listener];
		return () => {
			this.listeners = this.listeners.filter((l) => l !== listener);
		};
	}

	/**
	 * Does updates while behind `target` (in `clock` units). For the iteration and samples clocks it
	 * never overshoots: an update is done only if the position after it is <= target, so equal
	 * budgets are exact and the result does not depend on how calls cut the work. For the time
	 * clock it runs while the position is < target (the overshoot carries over). At the race's end
	 * in the samples clock, a racer whose next batch would pass the end does one last update on the
	 * rows left (the first ones of that batch), so that every racer spends exactly the same number
	 * of sample-gradients — except a full-batch racer, which only spends whole passes. Works in chunks and
	 * checks `deadline` (a performance.now() value) between them, always doing at least one chunk.
	 * Returns true when caught up (or not running), false when the deadline cut the work.
	 * Caught up at a target >= the race's end, the racer is done.
	 */
	advanceTo(target: number, clock: Clock, deadline = Infinity): boolean {
		if (this.status !== 'running') {
			return true;
		}
		// Exact limits: updates and samples are integers, compared with the target's exact product.
		const chunk = this.chunkState;
		chunk[UPDATE_LIMIT] = clock === 'iteration' ? target * this.upi : Infinity;
		chunk[SAMPLE_LIMIT] = clock === 'samples' ? target * this.data.rows : Infinity;
		chunk[PARTIAL] = clock === 'samples' && target >= this.epochs && this.policy.kind !== 'full' ? 1 : 0;
		chunk[MS_LIMIT] = clock === 'time' ? target * TIME_UNIT_MS : Infinity;
		for (;;) {
			const msBase = this.msValue;
			const cost = chunk[COST]!;
			// The first update runs alone, timed as it is made (in `step`), so that its cost is
			// measured before more updates are charged against a small time budget or recorded
			// with an estimated time of 0.
			const budget = cost === 0 ? 1 : this.chunk;
			chunk[MS_BASE] = msBase;
			const started = performance.now();
			chunk[STARTED] = started;
			const done = this.runChunk(budget, clock === 'samples');
			const now = performance.now();
			const elapsed = now - started;
			// Never below an estimate already recorded in the history, so ms stays monotone.
			this.msValue = Math.max(msBase + elapsed, msBase + done * cost);
			if (done > 0) {
				chunk[COST] = elapsed / done;
				if (done === budget) {
					const wanted = CHUNK_MS / Math.max(chunk[COST]!, 1e-7);
					this.chunk = Math.max(1, Math.min(MAX_CHUNK, 2 * budget, Math.floor(wanted)));
				}
			}
			if (this.status !== 'running') {
				return true;
			}
			if (this.caughtUp) {
				if (target >= this.epochs) {
					this.status = 'done';
				}
				return true;
			}
			if (now >= deadline) {
				return false;
			}
		}
	}

	/** Its current state, as plain data for the UI and the summaries. */
	snapshot(): RacerSnapshot {
		return {
			id: this.id,
			name: this.name,
			rule: this.spec.rule.kind,
			batch: {kind: this.policy.kind, size: this.policy.batchSize, shuffle: this.policy.shuffle},
			hyper: ruleHyper(this.spec.rule),
			lr: this.params[PARAM_LR]!,
			lrChanges: this.lrChangeList,
			batchSize: this.policy.batchSize,
			iterations: this.updatesValue / this.upi,
			updates: this.updatesValue,
			samples: this.samplesValue,
			ms: this.msValue,
			weights: this.weights,
			bias: this.bias,
			loss: this.lossValue,
			gap: this.gapValue,
			relativeGap: relativeGap(this.gapValue, this.gapRef),
			state: this.status,
			finished: this.finishedAt,
			diverged: this.divergedAt,
		};
	}

	/** Its complete state as plain data; `restoreState` continues it bit-identically. */
	saveState(): SavedRacer {
		return {
			id: this.id,
			weights: this.weights,
			bias: this.bias,
			updates: this.updatesValue,
			samples: this.samplesValue,
			ms: this.msValue,
			state: this.status,
			finished: this.finishedAt,
			diverged: this.divergedAt,
			rng: this.rng.saveState(),
			lr: this.params[PARAM_LR]!,
			lrChanges: this.lrChangeList,
			batch: this.policy.saveState(),
			rule: {kind: this.spec.rule.kind, values: Array.from(this.ruleState)},
			history: this.history.saveState(),
		};
	}

	/** Continues from `saveState` of a racer with the same spec on the same data. */
	restoreState(saved: SavedRacer): void {
		const {weights, bias, updates, samples, ms} = saved;
		const counters = [updates, samples].every((v) => Number.isSafeInteger(v) && v >= 0);
		if (
			saved.id !== this.id ||
			weights.length !== this.dims ||
			!weights.every(Number.isFinite) ||
			!Number.isFinite(bias) ||
			!counters ||
			!(Number.isFinite(ms) && ms >= 0) ||
			!['running', 'done', 'diverged'].includes(saved.state) ||
			saved.rule?.kind !== this.spec.rule.kind ||
			saved.rule.values.length !== this.ruleState.length ||
			!saved.rule.values.every(Number.isFinite) ||
			!Array.isArray(saved.lrChanges)
		) {
			throw new RangeError(`saved state does not fit racer ${this.id}`);
		}
		checkLearningRate(saved.lr);
		this.rng.restoreState(saved.rng);
		this.policy.restoreState(saved.batch);
		this.ruleState.set(saved.rule.values);
		this.params[PARAM_LR] = saved.lr;
		this.lrChangeList = [...saved.lrChanges];
		this.history.restoreState(saved.history);
		this.current.set(weights);
		this.current[this.dims] = bias;
		this.updatesValue = updates;
		this.samplesValue = samples;
		this.msValue = ms;
		this.status = saved.state;
		this.finishedAt = saved.finished;
		this.divergedAt = saved.diverged;
		this.objective.measure(this.current, this.measured);
		this.gapValue = this.measured[0]!;
		this.lossValue = this.measured[1]!;
	}

	/**
	 * Up to `budget` updates while behind the limits in `chunkState`; returns how many were done
	 * and sets `caughtUp`. The hot loop: its callees take and return no doubles (see `point`).
	 */
	private runChunk(budget: number, bySamples: boolean): number {
		const chunk = this.chunkState;
		const updateLimit = chunk[UPDATE_LIMIT]!;
		const sampleLimit = chunk[SAMPLE_LIMIT]!;
		const msLimit = chunk[MS_LIMIT]!;
		const msBase = chunk[MS_BASE]!;
		const cost = chunk[COST]!;
		const policy = this.policy;
		const point = this.point;
		let done = 0;
		this.caughtUp = false;
		while (done < budget) {
			if (bySamples && this.samplesValue + policy.nextCount() > sampleLimit) {
				const room = sampleLimit - this.samplesValue;
				if (chunk[PARTIAL] === 1 && room >= 1) {
					this.rowCap = Math.floor(room);
				} else {
					this.caughtUp = true;
					break;
				}
			}
			if (this.updatesValue + 1 > updateLimit || msBase + done * cost >= msLimit) {
				this.caughtUp = true;
				break;
			}
			done++;
			// Within a chunk each update's time is estimated from the last chunk's cost per update.
			point[2] = msBase + done * cost;
			if (!this.step()) {
				break;
			}
		}
		return done;
	}

	/**
	 * One update at the estimated time in `point[2]`: select the batch, compute the candidate
	 * weights (and the rule's candidate state) and their loss, and apply them unless the loss is not
	 * finite or explodes (then the racer is diverged and keeps its last good weights and rule state).
	 * Returns whether it was applied.
	 */
	private step(): boolean {
		const batch = this.batch;
		this.policy.select(this.rng, batch);
		if (this.rowCap > 0) {
			batch.count = Math.min(batch.count, this.rowCap);
			this.rowCap = 0;
		}
		const count = batch.count;
		const current = this.current;
		const sums = this.sums;
		gradientSums(this.data, current, batch.rows, batch.start, count, sums);
		const next = this.next;
		const params = this.params;
		const t = this.updatesValue + 1;
		// One call site per rule: each stays monomorphic whatever else races.
		switch (this.ruleCode) {
			case SGD: {
				sgdApply(current, sums, count, params, next);
				break;
			}
			case MOMENTUM: {
				momentumApply(current, sums, count, t, params, this.ruleState, this.rulePending, next);
				break;
			}
			case NESTEROV: {
				nesterovApply(current, sums, count, t, params, this.ruleState, this.rulePending, next);
				break;
			}
			case ADAGRAD: {
				adagradApply(current, sums, count, params, this.ruleState, this.rulePending, next);
				break;
			}
			case RMSPROP: {
				rmspropApply(current, sums, count, params, this.ruleState, this.rulePending, next);
				break;
			}
			case ADAM: {
				adamApply(current, sums, count, t, params, this.ruleState, this.rulePending, next);
				break;
			}
		}
		const measured = this.measured;
		this.objective.measure(next, measured);
		const gap = measured[0]!;
		const loss = measured[1]!;
		const updates = this.updatesValue + 1;
		const samples = this.samplesValue + count;
		const iteration = updates / this.upi;
		const point = this.point;
		const chunk = this.chunkState;
		if (chunk[COST] === 0) {
			// The first update (no cost measured yet to estimate its time from): its time as
			// measured up to here, not the racer's start.
			point[2] = chunk[MS_BASE]! + (performance.now() - chunk[STARTED]!);
		}
		// `!(a <= b)` is also true for NaN.
		if (!(loss <= this.divergenceLoss)) {
			this.status = 'diverged';
			this.divergedAt = {iteration, samples, ms: point[2]!};
			return false;
		}
		this.next = current;
		this.current = next;
		const accepted = this.rulePending;
		this.rulePending = this.ruleState;
		this.ruleState = accepted;
		this.gapValue = gap;
		this.lossValue = loss;
		this.updatesValue = updates;
		this.samplesValue = samples;
		point[0] = iteration;
		point[1] = samples;
		point[3] = loss;
		if (this.recording) this.history.record(point, next);
		if (gap <= this.finishGap && this.finishedAt === null) {
			this.finishedAt = {iteration, samples, ms: point[2]!};
		}
		if (this.listeners.length > 0) {
			this.notify(updates);
		}
		return true;
	}

	private notify(updates: number): void {
		const completed = updates % this.upi === 0;
		for (const listener of this.listeners) {
			listener.onUpdate?.(this);
			if (completed) {
				listener.onIteration?.(this);
			}
		}
	}
}
