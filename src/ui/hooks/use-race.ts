import {useCallback, useEffect, useRef, useState} from 'react';
import type {Scheduler} from '../../engine/scheduler.js';
import type {RaceSnapshot} from '../../engine/types.js';
import {realClock} from '../clock.js';
import type {SessionClock} from '../clock.js';
import {ENGINE_SHARE, TICK_MS} from '../../engine/governor.js';
import type {EngineGovernor} from '../../engine/governor.js';

/** Everything one frame shows of the race, taken once per frame. */
export type RaceFrame = {
	readonly snapshot: RaceSnapshot;
	/** Updates per second of wall time over about the last second, per racer. */
	readonly rates: readonly number[];
	/** Wall time the race has been running, pauses excluded, ms. */
	readonly elapsedMs: number;
	readonly paused: boolean;
	/** Clock units per second asked for (`+`/`-`). */
	readonly speed: number;
	/**
	 * Clock units per second achieved over about the last second, when the machine cannot keep up
	 * with `speed` (below 90 % of it); null while it keeps up, paused or over.
	 */
	readonly achieved: number | null;
	/** Counts frames; changes whenever anything shown may have changed. */
	readonly frame: number;
};

/** Commands the screen sends to the scheduler. */
export type RaceCommand = 'pause' | 'step' | 'faster' | 'slower' | 'reclock' | 'restart' | 'redraw';

export type RaceOptions = {
	/** Frames per second the loop aims for. @default 30 */
	readonly fps: number;
	/** The loop's time and timers. @default realClock */
	readonly clock?: SessionClock;
	/** Run the loop. False: the first frame only, the scheduler never ticks (a watching session). @default true */
	readonly enabled?: boolean;
	/** Shares engine time with the process's other sessions (`gdrace serve`). @default the session's engine has its share alone */
	readonly governor?: EngineGovernor;
};

/** A frame that arrives late (a stalled machine, a suspended process) does not turn into a burst. */
const MAX_FRAME_MS = 250;
/** Longest time between two engine ticks, ms, whatever the frame rate. */
const MAX_TICK_INTERVAL_MS = TICK_MS;
/** Window of the updates-per-second figures. */
const RATE_WINDOW_MS = 1000;
/** Shortest window the achieved speed is judged over, ms. */
const SPEED_WINDOW_MS = 500;
/** Below this share of the speed asked for, the header shows the speed achieved. */
const KEEPING_UP = 0.9;

type RateSample = {readonly time: number; readonly updates: readonly number[]; readonly position: number};

/** Clock units per second the race moved between the oldest sample and the newest, or null over too short a window. */
export function achievedSpeed(samples: readonly RateSample[]): number | null {
	const first = samples[0];
	const last = samples.at(-1);
	if (first === undefined || last === undefined || last.time - first.time < SPEED_WINDOW_MS) {
		return null;
	}

	return Math.max(0, (last.position - first.position) / ((last.time - first.time) / 1000));
}

/** Updates per second per racer between the oldest sample in the window and the newest. */
export function ratesFrom(samples: readonly RateSample[]): number[] {
	const first = samples[0];
	const last = samples.at(-1);
	if (first === undefined || last === undefined || last.time <= first.time) {
		return last ? last.updates.map(() => 0) : [];
	}

	const seconds = (last.time - first.time) / 1000;
	return last.updates.map((updates, index) => Math.max(0, (updates - (first.updates[index] ?? 0)) / seconds));
}

/** What decides whether a new frame is worth drawing. */
export function frameKey(snapshot: RaceSnapshot, paused: boolean, speed: number): string {
	let updates = 0;
	for (const racer of snapshot.racers) {
		updates += racer.updates;
	}

	return `${snapshot.seed}|${snapshot.clock}|${snapshot.position}|${updates}|${snapshot.over}|${paused}|${speed}`;
}

/**
 * Drives the scheduler from the event loop: time-boxed ticks at least 30 times a second, so that
 * keys are handled between them even at the highest speed, and one React state update per frame
 * (not per tick or per update). A frame whose content would not change (paused, or over) is not drawn.
 */
export default function useRace(scheduler: Scheduler, {fps, clock = realClock, enabled = true, governor}: RaceOptions): [RaceFrame, (command: RaceCommand) => void] {
	const periodMs = 1000 / fps;
	const elapsed = useRef(0);
	const rateSamples = useRef<RateSample[]>([]);
	const lastKey = useRef('');
	const frameCount = useRef(0);

	const take = useCallback((snapshot: RaceSnapshot = scheduler.race.snapshot()): RaceFrame => {
		const now = clock.now();
		const samples = rateSamples.current;
		samples.push({time: now, updates: snapshot.racers.map(racer => racer.updates), position: snapshot.position});
		while (samples.length > 2 && now - (samples[0]?.time ?? now) > RATE_WINDOW_MS) {
			samples.shift();
		}

		lastKey.current = frameKey(snapshot, scheduler.paused, scheduler.speed);
		frameCount.current++;
		const achieved = achievedSpeed(samples);
		const lagging = !scheduler.paused && !snapshot.over && achieved !== null && achieved < KEEPING_UP * scheduler.speed;
		return {
			snapshot,
			rates: ratesFrom(samples),
			elapsedMs: elapsed.current,
			paused: scheduler.paused,
			speed: scheduler.speed,
			achieved: lagging ? achieved : null,
			frame: frameCount.current,
		};
	}, [scheduler, clock]);

	const [frame, setFrame] = useState(() => take());

	useEffect(() => {
		if (!enabled) {
			return;
		}

		let last = clock.now();
		let cancel: (() => void) | undefined;
		// The engine ticks at least 30 times a second whatever the frame rate, each tick time-boxed,
		// so that keys are read within a few tens of ms even at --fps 1 and the highest speed.
		const tickMs = Math.min(periodMs, MAX_TICK_INTERVAL_MS);
		let lastFrame = Number.NEGATIVE_INFINITY;
		// Ticks keep to fixed deadlines, so that timer lateness is made up instead of adding up.
		let nextTick = clock.now() + tickMs;
		// Virtual time stands still while the engine works: it works until each target is reached.
		const budgetMs = clock.virtual ? Number.POSITIVE_INFINITY : tickMs * ENGINE_SHARE;
		const seat = governor?.join();
		const loop = () => {
			const start = clock.now();
			const dt = Math.min(start - last, MAX_FRAME_MS);
			last = start;
			const race = scheduler.race;
			let busy = false;
			if (!race.over) {
				busy = !scheduler.tick(dt, seat === undefined ? budgetMs : budgetMs * seat.share());
				if (!scheduler.paused) {
					elapsed.current += dt;
				}
			}
			seat?.report(busy);

			// A frame is due a period after the last one (half a tick early is on time).
			if (start - lastFrame >= periodMs - tickMs / 2) {
				const snapshot = scheduler.race.snapshot();
				if (frameKey(snapshot, scheduler.paused, scheduler.speed) !== lastKey.current) {
					setFrame(take(snapshot));
					lastFrame = start;
				} else if (rateSamples.current.length > 1) {
					// Nothing ran (paused, over): the rates fall to zero on screen at once.
					rateSamples.current = [];
					setFrame(take(snapshot));
					lastFrame = start;
				}
			}

			nextTick += tickMs;
			const now = clock.now();
			// After a stall, start over from now rather than run a burst of late ticks.
			if (nextTick < now - tickMs) nextTick = now + tickMs;
			cancel = clock.schedule(loop, Math.max(0, nextTick - now));
		};

		cancel = clock.schedule(loop, tickMs);
		return () => {
			cancel?.();
			seat?.leave();
		};
	}, [scheduler, periodMs, take, clock, enabled, governor]);

	const command = useCallback(
		(name: RaceCommand) => {
			switch (name) {
				case 'pause': {
					scheduler.togglePause();
					break;
				}

				case 'step': {
					if (!scheduler.paused) {
						scheduler.pause();
					}

					scheduler.step();
					break;
				}

				case 'faster': {
					scheduler.faster();
					break;
				}

				case 'slower': {
					scheduler.slower();
					break;
				}

				case 'reclock': {
					scheduler.restartWithNextClock();
					elapsed.current = 0;
					rateSamples.current = [];
					break;
				}

				case 'restart': {
					scheduler.restart();
					elapsed.current = 0;
					rateSamples.current = [];
					break;
				}
			}

			setFrame(take());
		},
		[scheduler, take],
	);

	return [frame, command];
}
