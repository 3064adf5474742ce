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

/**
 * Work slice per racer per round, ms: when a deadline cuts the work, every racer has had the same
 * number of rounds, so they stay within about a slice of CPU time of each other.
 */
export const SLICE_MS = 0.1;

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

/** The racers of a config, the optimum, and the common target they are brought to. */
export class Race {
	/** The config it was made from (its clock is the starting clock). */
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
	private clockValue: Clock;
	private target = 0;

	/** Builds the data statistics and the optimum once, then the racers. Throws a RangeError for a bad config. */
	constructor(config: RaceConfig) {
		assertRaceConfig(config);
		this.config = config;
		this.clockValue = config.clock;
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
			initialLoss: this.initialLoss,
		};
		this.racers = config.racers.map((spec) => new Racer(spec, options));
	}

	/** The clock positions are measured in. */
	get clock(): Clock {
		return this.clockValue;
	}

	/** The target every racer is being brought to, in clock units (at most `config.epochs`). */
	get position(): number {
		return this.target;
	}

	/** True when every racer is done or diverged. */
	get over(): boolean {
		return this.racers.every((racer) => racer.state !== 'running');
	}

	/**
	 * Switches the clock. Mid-race the target becomes the furthest racer's position in the new
	 * clock (capped at the end), so the racers behind catch up to it, and racers done in the old
	 * clock run again if the end is still ahead of them. Once the race is over only the clock (the
	 * chart's axis) changes: no racer moves.
	 */
	setClock(clock: Clock): void {
		if (!CLOCKS.includes(clock)) {
			throw new RangeError(`unknown clock: ${String(clock)} (expected one of ${CLOCKS.join(', ')})`);
		}
		if (clock === this.clockValue) {
			return;
		}
		const over = this.over;
		this.clockValue = clock;
		this.target = Math.min(this.config.epochs, Math.max(...this.racers.map((racer) => racer.position(clock))));
		if (!over) {
			for (const racer of this.racers) {
				racer.reopen();
			}
		}
	}

	/** Raises the target by `units` (capped at the end) without doing any work. */
	extend(units: number): void {
		if (!(Number.isFinite(units) && units >= 0)) {
			throw new RangeError(`units must be a finite number >= 0 (got ${units})`);
		}
		this.target = Math.min(this.config.epochs, this.target + units);
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
	 * Works toward the current target, round-robin in slices of SLICE_MS per racer, until every
	 * racer is caught up or `deadline` passes (every racer gets at least one chunk per call, so
	 * even a past deadline makes progress). True when all are caught up.
	 */
	catchUp(deadline = Infinity): boolean {
		const clock = this.clockValue;
		const target = this.target;
		for (;;) {
			let caughtUp = true;
			for (const racer of this.racers) {
				if (racer.state !== 'running') {
					continue;
				}
				const sliceEnd = Math.min(deadline, performance.now() + SLICE_MS);
				if (!racer.advanceTo(target, clock, sliceEnd)) {
					caughtUp = false;
				}
			}
			if (caughtUp || performance.now() >= deadline) {
				return caughtUp;
			}
		}
	}

	/** The racer with this id, if it races. */
	racer(id: string): Racer | undefined {
		return this.racers.find((racer) => racer.id === id);
	}

	/** The whole race as plain data. */
	snapshot(): RaceSnapshot {
		return {
			clock: this.clockValue,
			position: this.target,
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
