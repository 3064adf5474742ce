/**
 * A race: the racers of a config on one data set, brought together to a common target position
 * in the current clock. The headless CLI runs it flat out (`advance(epochs)`); the live screen
 * drives it through the `Scheduler`, a deadline at a time.
 */
import {curvature} from './curvature.js';
import {DEFAULT_HISTORY_CAPACITY} from './history.js';
import {assertTrainingData, directLoss} from './linear-model.js';
import {Objective} from './optimum.js';
import {INITIAL_BIAS, INITIAL_WEIGHT, Racer} from './racer.js';
import {CLOCKS} from './types.js';
import type {Clock, Curvature, FinalStatus, Optimum, RaceConfig, RaceSnapshot, RacerSnapshot} from './types.js';

/** The smallest round, in clock units (unless less is left): racers stay level within one unit. */
export const MIN_STEP = 1;
/** Iterations each spec's throwaway racer runs before the race (see the constructor)… */
const WARM_UP_ITERATIONS = 16;
/** …or for at most about this many ms (a cold process), whichever comes first. */
const WARM_UP_MS = 1;
/**
 * Under the time clock the throwaway racers run in turns (each to a doubling target, at most
 * WARM_UP_MS a turn) until V8 has compiled the hot code and swapped it in, so that the racers'
 * CPU time goes to the code they run for the rest of the race: with 16 iterations, the book
 * race's finish times in ms were the JIT's, and their order changed from run to run. Compiled is
 * taken to be when no throwaway's cost per update has fallen by a tenth for WARM_UP_CALM_TURNS
 * turns, after at least TIME_WARM_UP_MS and at most TIME_WARM_UP_MAX_MS (the live screen loads
 * React's code as well, and its compiler queue is longer).
 */
const TIME_WARM_UP_MS = 20;
const TIME_WARM_UP_MAX_MS = 100;
const WARM_UP_CALM_TURNS = 3;
/** Share of the time left before a deadline that one round is sized to take. */
const ROUND_SHARE = 0.5;

/** Throws a RangeError naming the first thing wrong with `config`. */
export function assertRaceConfig(config: RaceConfig): void {
	assertTrainingData(config.data);
	if (config.racers.length === 0) {
		throw new RangeError('a race needs at least one racer');
	}
	const seen = new Set<string>();
	for (const spec of config.racers) {
		if (typeof spec.id !== 'string' || spec.id === '') {
			throw new RangeError(`a racer id must be a non-empty string (got ${JSON.stringify(spec.id)})`);
		}
		if (seen.has(spec.id)) {
			throw new RangeError(`racer ${spec.id} appears twice`);
		}
		seen.add(spec.id);
	}
	if (!Number.isFinite(config.seed)) {
		throw new RangeError(`seed must be a finite number (got ${config.seed})`);
	}
	if (!CLOCKS.includes(config.clock)) {
		throw new RangeError(`unknown clock: ${String(config.clock)} (expected one of ${CLOCKS.join(', ')})`);
	}
	if (!(Number.isFinite(config.epochs) && config.epochs > 0)) {
		throw new RangeError(`epochs must be a finite number > 0 (got ${config.epochs})`);
	}
	if (!(config.tolerance > 0 && config.tolerance < 1)) {
		throw new RangeError(`tolerance must be in (0, 1) (got ${config.tolerance})`);
	}
}

/** How a racer ended, for the summaries: diverged beats finished beats done. */
export function finalStatus(s: RacerSnapshot): FinalStatus {
	if (s.state === 'diverged') {
		return 'diverged';
	}
	return s.finished === null ? 'done' : 'finished';
}

/**
 * The racers of a config, the optimum, and how far they have been brought together.
 *
 * Two positions, in clock units: the target (where the speed wants the race to be: `extend`) and
 * the level (where every running racer has been brought: `position`). `catchUp` moves the level
 * toward the target in rounds: each round raises it by a step and brings every racer to the new
 * level before the next round starts, so between calls the racers are level — in the iteration
 * and samples clocks each is at the last update that does not pass the level, in the time clock
 * each has spent at least the level's CPU time — and a deadline only decides how many rounds run.
 * The step is sized from the measured cost of a clock unit so that a round fits the time left
 * before the deadline (at least one unit, or what is left to the target).
 */
export class Race {
	/** The config it was made from. */
	readonly config: RaceConfig;
	/** The data's least-squares problem, shared by the racers. */
	readonly objective: Objective;
	/** The closed-form optimum (the finish line). */
	readonly optimum: Optimum;
	/** The Hessian's extreme eigenvalues and the stable step bound of plain full-batch GD. */
	readonly curvature: Curvature;
	/** The full-data loss at the initial weights (0 and bias 1), computed directly. */
	readonly initialLoss: number;
	/** The racers, in config order. */
	readonly racers: readonly Racer[];
	private targetValue = 0;
	private levelValue = 0;
	/** Measured ms per clock unit of a round (every racer's work), 0 until measured. */
	private unitCost = 0;
	/** The largest round so far, in units: a round is at most twice as large (a bad first estimate costs little). */
	private maxStep = 0;

	/** Builds the data statistics and the optimum once, then the racers. Throws a RangeError for a bad config. */
	constructor(config: RaceConfig) {
		assertRaceConfig(config);
		this.config = config;
		this.objective = new Objective(config.data);
		this.optimum = this.objective.optimum;
		this.curvature = curvature(config.data);
		const initialWeights = new Float64Array(config.data.dims).fill(INITIAL_WEIGHT);
		this.initialLoss = directLoss(config.data, initialWeights, INITIAL_BIAS);
		if (!Number.isFinite(this.initialLoss) || !Number.isFinite(this.optimum.loss)) {
			throw new RangeError('the data values are too large: their squared error overflows');
		}
		const options = {
			objective: this.objective,
			seed: config.seed,
			epochs: config.epochs,
			tolerance: config.tolerance,
			historyCapacity: config.historyCapacity ?? DEFAULT_HISTORY_CAPACITY,
			recordHistory: config.recordHistory ?? true,
			initialLoss: this.initialLoss,
		};
		this.racers = config.racers.map((spec) => new Racer(spec, options));
		// The first racer to run would pay for compiling the code every racer shares, and its CPU
		// time (the time clock's budget, and a coordinate of every history point) would show it. A
		// throwaway racer per spec (another seed, a small history, no end) runs first, so every
		// racer starts on warm code: under the time clock until the code is optimized
		// (TIME_WARM_UP_MS), under the others briefly (the results do not depend on time there, and
		// `gdrace --json` starts sooner). That happens on the first `extend`, not here: a live
		// screen draws its first frame (iteration 0) before any racing.
		this.warmUp = () => {
			// Under the time clock, with the racers' own history size: recording is part of an update's cost.
			const timed = config.clock === 'time';
			const throwaways = config.racers.map(
				(spec) => new Racer(spec, {...options, epochs: Infinity, seed: config.seed + 1, historyCapacity: timed ? options.historyCapacity : 4, warmUp: true}),
			);
			const began = performance.now();
			const least = began + (timed ? TIME_WARM_UP_MS : 0);
			const most = began + (timed ? TIME_WARM_UP_MAX_MS : 0);
			// Each throwaway's lowest cost per update so far, ms.
			const best = throwaways.map(() => Infinity);
			let calm = 0;
			let target = WARM_UP_ITERATIONS;
			do {
				let faster = false;
				throwaways.forEach((throwaway, index) => {
					const {updates, ms} = throwaway;
					throwaway.advanceTo(target, 'iteration', performance.now() + WARM_UP_MS);
					if (throwaway.updates === updates) return;
					const cost = (throwaway.ms - ms) / (throwaway.updates - updates);
					if (cost < 0.9 * best[index]!) faster = true;
					best[index] = Math.min(best[index]!, cost);
				});
				calm = faster ? 0 : calm + 1;
				target *= 2;
				const now = performance.now();
				if (now >= most || (now >= least && calm >= WARM_UP_CALM_TURNS)) break;
			} while (throwaways.some((throwaway) => throwaway.state === 'running'));
		};
	}

	/** Runs the throwaway racers once, before the first racing (see the constructor). */
	private warmUp: (() => void) | null;

	private warmUpOnce(): void {
		const warmUp = this.warmUp;
		if (warmUp === null) return;
		this.warmUp = null;
		warmUp();
	}

	/**
	 * The clock the race is scheduled by, fixed for the race: every racer gets the same budget in
	 * it. (What a screen measures its axis in is the screen's business: every racer records all
	 * three coordinates.)
	 */
	get clock(): Clock {
		return this.config.clock;
	}

	/**
	 * Where every racer is, in clock units: the level all running racers have been brought to (at
	 * most `config.epochs`). When every racer has diverged, the furthest point any of them reached
	 * (the level may have been raised past where they stopped).
	 */
	get position(): number {
		if (this.racers.some((racer) => racer.state !== 'diverged')) {
			return this.levelValue;
		}
		return Math.max(0, ...this.racers.map((racer) => racer.position(this.config.clock)));
	}

	/** Where the race is headed (raised by `extend`, at most `config.epochs`); `position` catches up with it. */
	get target(): number {
		return this.targetValue;
	}

	/** True when every racer is done or diverged. */
	get over(): boolean {
		return this.racers.every((racer) => racer.state !== 'running');
	}

	/** Raises the target by `units` (capped at the end) without doing any work. */
	extend(units: number): void {
		if (!(Number.isFinite(units) && units >= 0)) {
			throw new RangeError(`units must be a finite number >= 0 (got ${units})`);
		}
		this.warmUpOnce();
		this.targetValue = Math.min(this.config.epochs, this.targetValue + units);
	}

	/** Drops what is left of the target: it becomes the level, so no further call moves a racer. */
	hold(): void {
		this.targetValue = this.levelValue;
	}

	/**
	 * Raises the target by `units` (capped at the end) and works toward it until every racer is
	 * caught up or `deadline` (a performance.now() value) passes. True when all are caught up.
	 */
	advance(units: number, deadline = Infinity): boolean {
		this.extend(units);
		return this.catchUp(deadline);
	}

	/**
	 * Brings the racers to the target in level rounds (see the class comment) until they are
	 * there or `deadline` passes; every call runs at least one round, so even a past deadline
	 * makes progress. True when all are caught up.
	 */
	catchUp(deadline = Infinity): boolean {
		this.warmUpOnce();
		const clock = this.config.clock;
		for (let rounds = 0; ; rounds++) {
			if (this.levelValue >= this.targetValue || this.over) {
				return true;
			}
			const started = performance.now();
			if (rounds > 0 && started >= deadline) {
				return false;
			}
			const left = this.targetValue - this.levelValue;
			let step = left;
			if (deadline !== Infinity) {
				const fits = this.unitCost > 0 ? (ROUND_SHARE * (deadline - started)) / this.unitCost : 0;
				step = Math.min(left, Math.max(MIN_STEP, Math.min(fits, 2 * this.maxStep)));
			}
			const level = step === left ? this.targetValue : this.levelValue + step;
			for (const racer of this.racers) {
				racer.advanceTo(level, clock);
			}
			const elapsed = performance.now() - started;
			const units = level - this.levelValue;
			if (units >= MIN_STEP && elapsed > 0) {
				this.unitCost = elapsed / units;
			}
			this.maxStep = Math.max(this.maxStep, units);
			this.levelValue = level;
		}
	}

	/** The racer with this id, if it races. */
	racer(id: string): Racer | undefined {
		return this.racers.find((racer) => racer.id === id);
	}

	/** The whole race as plain data. */
	snapshot(): RaceSnapshot {
		return {
			clock: this.config.clock,
			position: this.position,
			target: this.targetValue,
			epochs: this.config.epochs,
			seed: this.config.seed,
			over: this.over,
			tolerance: this.config.tolerance,
			optimum: this.optimum,
			curvature: this.curvature,
			racers: this.racers.map((racer) => racer.snapshot()),
		};
	}
}
