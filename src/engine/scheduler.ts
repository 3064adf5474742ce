/**
 * Drives a race for the live screen: the UI calls `tick` from its frame loop and sends the user's
 * commands. No timers inside, so it is tested by calling `tick` by hand.
 */
import {Race} from './race.js';
import {CLOCKS} from './types.js';
import type {Clock, RaceConfig} from './types.js';

/** Clock units per second at start: the 5000-iteration book race takes about 20 s to watch. */
export const DEFAULT_SPEED = 256;
/** Slowest speed, clock units per second. */
export const MIN_SPEED = 1 / 16;
/** Fastest speed, clock units per second (beyond any machine: the tick's budget is the limit). */
export const MAX_SPEED = 2 ** 24;
/**
 * Longest frame interval honoured by `tick`, ms: after a stall (a suspended process, a laptop
 * asleep) the race resumes at its pace instead of jumping ahead.
 */
export const MAX_TICK_MS = 1000;

/** Scheduler settings. */
export type SchedulerOptions = {
	/** Clock units per second, clamped to [MIN_SPEED, MAX_SPEED]. @default 256 */
	readonly speed?: number;
	/** Start paused. @default false */
	readonly paused?: boolean;
};

/** The clock after `clock`: iteration → samples → time → iteration. */
export function nextClock(clock: Clock): Clock {
	return CLOCKS[(CLOCKS.indexOf(clock) + 1) % CLOCKS.length]!;
}

function clampSpeed(speed: number): number {
	if (Number.isNaN(speed)) {
		throw new RangeError('speed must be a number');
	}
	return Math.min(MAX_SPEED, Math.max(MIN_SPEED, speed));
}

/** A race under user control: pause, step, speed, and restart (under the same clock or the next). */
export class Scheduler {
	private raceValue: Race;
	private speedValue: number;
	private pausedValue: boolean;
	private caughtUp = true;

	/** Starts a race from `config`. Throws a RangeError for a bad config or speed. */
	constructor(config: RaceConfig, options: SchedulerOptions = {}) {
		this.raceValue = new Race(config);
		this.speedValue = clampSpeed(options.speed ?? DEFAULT_SPEED);
		this.pausedValue = options.paused ?? false;
	}

	/** The race being run (a new object after `restart`). */
	get race(): Race {
		return this.raceValue;
	}

	/** Whether the target is frozen (steps still work). */
	get paused(): boolean {
		return this.pausedValue;
	}

	/** Clock units per second. */
	get speed(): number {
		return this.speedValue;
	}

	/** The current race's seed. */
	get seed(): number {
		return this.raceValue.config.seed;
	}

	/** The clock the race is scheduled by. */
	get clock(): Clock {
		return this.raceValue.clock;
	}

	/** Whether every racer had reached the target at the end of the last tick. */
	get caughtUpAtLastTick(): boolean {
		return this.caughtUp;
	}

	/** Freezes the race where every racer is (the target drops to the level): nothing moves until resumed or stepped. */
	pause(): void {
		this.pausedValue = true;
		this.raceValue.hold();
		this.caughtUp = true;
	}

	/** Lets the target move again. */
	resume(): void {
		this.pausedValue = false;
	}

	/** Pause if running, resume if paused. */
	togglePause(): void {
		if (this.pausedValue) {
			this.resume();
		} else {
			this.pause();
		}
	}

	/** Twice as fast (at most MAX_SPEED). */
	faster(): void {
		this.speedValue = clampSpeed(this.speedValue * 2);
	}

	/** Half as fast (at least MIN_SPEED). */
	slower(): void {
		this.speedValue = clampSpeed(this.speedValue / 2);
	}

	/** Sets the speed in clock units per second, clamped to [MIN_SPEED, MAX_SPEED]. */
	setSpeed(speed: number): void {
		this.speedValue = clampSpeed(speed);
	}

	/** Raises the target by one clock unit, paused or not; later ticks do the work. */
	step(): void {
		this.raceValue.extend(1);
	}

	/**
	 * A fresh race with the same settings, running (not paused). By default the next seed (seed +
	 * 1) under the same clock, as `r` does; `k` passes the same seed and the next clock.
	 */
	restart({seed = this.seed + 1, clock = this.clock}: {readonly seed?: number; readonly clock?: Clock} = {}): void {
		this.raceValue = new Race({...this.raceValue.config, seed, clock});
		this.pausedValue = false;
		this.caughtUp = true;
	}

	/** Restarts the race under the next clock (iteration → samples → time → iteration) with the same seed. */
	restartWithNextClock(): void {
		this.restart({seed: this.seed, clock: nextClock(this.clock)});
	}

	/**
	 * One frame: unless paused, raises the target by speed × dtMs / 1000 clock units — but never
	 * more than that ahead of where the racers are, so a slow machine builds no backlog — then
	 * brings the racers toward it, level (see `Race.catchUp`), for at most about `budgetMs`.
	 * Returns whether every racer caught up.
	 */
	tick(dtMs: number, budgetMs: number): boolean {
		const deadline = performance.now() + Math.max(0, budgetMs);
		const race = this.raceValue;
		if (!this.pausedValue && !race.over) {
			const dt = Number.isFinite(dtMs) ? Math.min(MAX_TICK_MS, Math.max(0, dtMs)) : 0;
			const units = (this.speedValue * dt) / 1000;
			const position = race.position;
			race.extend(position >= race.target ? units : Math.max(0, position + units - race.target));
		}
		this.caughtUp = race.catchUp(deadline);
		return this.caughtUp;
	}
}
