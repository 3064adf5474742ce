/**
 * The clock a live session runs on: `now` in milliseconds and `schedule` to run a callback
 * later. The terminal and SSH sessions use the real one; `--cast FILE --render` uses a virtual
 * clock that jumps from one scheduled callback to the next, so a whole race renders as fast as
 * the machine draws, with the same frames at the same (virtual) times on every run.
 */

/** A source of time for the race loop, the frame times and the finish hold. */
export type SessionClock = {
	/** Milliseconds on a monotonic clock. */
	now(): number;
	/** Runs `callback` after `ms` milliseconds of this clock; returns a function that cancels it. */
	schedule(callback: () => void, ms: number): () => void;
	/**
	 * Virtual time does not pass while code runs: the engine then works until it reaches each
	 * tick's target (no wall-clock budget), which makes a render deterministic.
	 */
	readonly virtual: boolean;
};

/** The wall clock: `performance.now` and `setTimeout`. */
export const realClock: SessionClock = {
	now: () => performance.now(),
	schedule(callback, ms) {
		const timer = setTimeout(callback, Math.max(0, ms));
		return () => clearTimeout(timer);
	},
	virtual: false,
};

type Timer = {readonly at: number; readonly seq: number; readonly callback: () => void; cancelled: boolean};

/**
 * Virtual time: callbacks run in time order (ties in the order scheduled), each after the event
 * loop has turned twice since the previous one (so React commits and the frame writer presents
 * what a callback changed before time moves on), and `now` jumps to each callback's time.
 */
export class VirtualClock implements SessionClock {
	readonly virtual = true;
	private time = 0;
	private seq = 0;
	private readonly timers: Timer[] = [];
	private pumping = false;

	now(): number {
		return this.time;
	}

	schedule(callback: () => void, ms: number): () => void {
		const timer: Timer = {at: this.time + Math.max(0, Number.isFinite(ms) ? ms : 0), seq: this.seq++, callback, cancelled: false};
		this.timers.push(timer);
		this.pump();
		return () => {
			timer.cancelled = true;
		};
	}

	/** Callbacks waiting (cancelled ones excluded). */
	get pending(): number {
		return this.timers.filter((timer) => !timer.cancelled).length;
	}

	private pump(): void {
		if (this.pumping) return;
		this.pumping = true;
		setImmediate(() =>
			setImmediate(() => {
				this.pumping = false;
				this.fireNext();
			}),
		);
	}

	private fireNext(): void {
		// Cancelled timers go first: the list stays as short as what is really pending.
		const live = this.timers.filter((timer) => !timer.cancelled);
		this.timers.length = 0;
		this.timers.push(...live);
		if (live.length === 0) return;
		let next = 0;
		for (let i = 1; i < live.length; i++) {
			const timer = live[i]!;
			const best = live[next]!;
			if (timer.at < best.at || (timer.at === best.at && timer.seq < best.seq)) next = i;
		}
		const [timer] = this.timers.splice(next, 1);
		this.time = Math.max(this.time, timer!.at);
		timer!.callback();
		if (this.timers.some((t) => !t.cancelled)) this.pump();
	}
}
