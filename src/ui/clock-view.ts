/**
 * What the screen measures in: the race is scheduled by its own clock (fixed for the race), while
 * `c` chooses the clock the x-axis, the header and the finish coordinates are measured in. Every
 * racer records all three coordinates, so any of them can be shown; these pure functions turn a
 * snapshot into positions in the measured clock.
 */
import type {Clock, RaceSnapshot, RacerSnapshot} from '../engine/types.js';
import {TIME_UNIT_MS} from '../engine/types.js';

/** A racer's position in `clock` units: iterations (fractional in a pass), passes' worth of samples, or TIME_UNIT_MS. */
export function positionIn(racer: RacerSnapshot, clock: Clock, dataRows: number): number {
	if (clock === 'samples') return racer.samples / dataRows;
	if (clock === 'time') return racer.ms / TIME_UNIT_MS;
	return racer.iterations;
}

/** The lowest and highest position of the racers in `clock` units ([0, 0] without racers). */
export function positionRange(racers: readonly RacerSnapshot[], clock: Clock, dataRows: number): [number, number] {
	if (racers.length === 0) return [0, 0];
	const positions = racers.map((racer) => positionIn(racer, clock, dataRows));
	return [Math.min(...positions), Math.max(...positions)];
}

/** Mantissas of the round numbers an axis may end at. */
const NICE = [1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10];

/** The smallest round number (1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6 or 8 × 10^k) that is >= value (value > 0). */
export function niceCeiling(value: number): number {
	const power = 10 ** Math.floor(Math.log10(value));
	for (const step of NICE) {
		// A little slack for 10^k computed inexactly.
		if (step * power >= value * (1 - 1e-12)) return step * power;
	}
	return 10 * power;
}

/**
 * How far the x-axis runs, in `view` units. In the race's own clock: the race's end. In another
 * clock: where the furthest racer will be at the end, extrapolated from its pace so far (exact
 * between iterations and samples, an estimate for time), rounded up to a round number so the
 * axis keeps still; the race's end until a racer has moved.
 */
export function viewExtent(snapshot: RaceSnapshot, view: Clock, dataRows: number): number {
	if (view === snapshot.clock) return snapshot.epochs;
	let extent = 0;
	for (const racer of snapshot.racers) {
		const own = positionIn(racer, snapshot.clock, dataRows);
		const there = positionIn(racer, view, dataRows);
		if (!(own > 0 && there > 0)) continue;
		// A racer that stopped (done, diverged) is where it ends; a running one is extrapolated.
		const end = racer.state === 'running' ? (there / own) * snapshot.epochs : there;
		extent = Math.max(extent, end);
	}
	return Number.isFinite(extent) && extent > 0 ? niceCeiling(extent) : snapshot.epochs;
}
