/**
 * Replay: a cursor on the clock (in clock units) moved back and forth through the recorded race,
 * and every racer's state at it, read from its history. Pure.
 */
import type {Objective} from '../engine/optimum.js';
import {gapReference, relativeGap} from '../engine/racer.js';
import {TIME_UNIT_MS} from '../engine/types.js';
import type {Clock, Coordinates, RacerSnapshot} from '../engine/types.js';
import type {ReplayMove} from './keymap.js';
import {niceStep} from './scale.js';

/** Steps a far move takes. */
export const FAR_STEPS = 10;
/** A step is a nice 1-2-5 number of clock units, about this share of the recorded race. */
const STEPS_PER_RACE = 100;

/** A history as the engine's `history.columns()` gives it. */
export type ReplayHistory = {
	readonly iteration: ArrayLike<number>;
	readonly samples: ArrayLike<number>;
	readonly ms: ArrayLike<number>;
	readonly loss: ArrayLike<number>;
	readonly theta: readonly ArrayLike<number>[];
};

/** One replay step for a race recorded up to `end` clock units: a nice number, about a hundredth of it. */
export function replayStep(end: number): number {
	return end > 0 && Number.isFinite(end) ? niceStep(end, STEPS_PER_RACE) : 1;
}

/**
 * The cursor after a replay key, for a race recorded up to `end`: steps land on multiples of the
 * step; the first key starts from the live end; `end` (the key) returns to live (null).
 */
export function moveCursor(cursor: number | null, move: ReplayMove, end: number): number | null {
	const step = replayStep(end);
	const from = cursor ?? end;
	const far = move === 'back-far' || move === 'forward-far';
	const size = far ? FAR_STEPS * step : step;
	switch (move) {
		case 'start':
			return 0;
		case 'end':
			return null;
		case 'back':
		case 'back-far':
			// The largest multiple of the size below where it was.
			return Math.max(0, Math.ceil(from / size - 1 - 1e-9) * size);
		case 'forward':
		case 'forward-far':
			return Math.min(end, Math.floor(from / size + 1 + 1e-9) * size);
	}
}

/** The raw history column and its units per clock unit for a clock. */
function clockColumn(history: ReplayHistory, clock: Clock, dataRows: number): {xs: ArrayLike<number>; perUnit: number} {
	if (clock === 'samples') return {xs: history.samples, perUnit: dataRows};
	if (clock === 'time') return {xs: history.ms, perUnit: TIME_UNIT_MS};
	return {xs: history.iteration, perUnit: 1};
}

/** The index of the last kept point at or before `cursor` (clock units), or −1 when none is. */
export function pointAt(history: ReplayHistory, clock: Clock, dataRows: number, cursor: number): number {
	const {xs, perUnit} = clockColumn(history, clock, dataRows);
	const limit = cursor * perUnit * (1 + 1e-12);
	let lo = 0;
	let hi = xs.length;
	while (lo < hi) {
		const mid = (lo + hi) >> 1;
		if (xs[mid]! <= limit) lo = mid + 1;
		else hi = mid;
	}
	return lo - 1;
}

/** A moment at or before the cursor, on the clock. */
function reached(at: Coordinates | null, clock: Clock, dataRows: number, cursor: number): Coordinates | null {
	if (at === null) return null;
	const value = clock === 'samples' ? at.samples / dataRows : clock === 'time' ? at.ms / TIME_UNIT_MS : at.iteration;
	return value <= cursor * (1 + 1e-12) ? at : null;
}

/**
 * A racer as it was at the cursor: iteration, samples, time, weights, bias and loss of its last
 * kept point at or before it (the gap and its share of the finish line's reference from the
 * objective at those weights; `initialLoss` is the race's), finished or diverged only if that
 * happened by then. Everything else (identity, settings) as now.
 */
export function replaySnapshot(
	racer: RacerSnapshot,
	history: ReplayHistory,
	objective: Objective,
	initialLoss: number,
	clock: Clock,
	dataRows: number,
	cursor: number,
): RacerSnapshot {
	const index = Math.max(0, pointAt(history, clock, dataRows, cursor));
	const theta = Float64Array.from(history.theta, (column) => column[index]!);
	const dims = theta.length - 1;
	const diverged = reached(racer.diverged, clock, dataRows, cursor);
	const gap = objective.gap(theta);
	return {
		...racer,
		iterations: Math.floor(history.iteration[index]! + 1e-9),
		samples: history.samples[index]!,
		ms: history.ms[index]!,
		weights: Array.from(theta.subarray(0, dims)),
		bias: theta[dims]!,
		loss: history.loss[index]!,
		gap,
		relativeGap: relativeGap(gap, gapReference(objective.lossStar, initialLoss)),
		finished: reached(racer.finished, clock, dataRows, cursor),
		diverged,
		// At its newest point it is as it is now (done, say); before, it was running.
		state: diverged !== null ? 'diverged' : index === history.loss.length - 1 ? racer.state : 'running',
	};
}
