/**
 * Engine time shared by the live sessions of one process. Each session's loop lets its engine
 * race for a share of every tick (src/ui/hooks/use-race.ts); `gdrace serve` runs a session per
 * viewer on one event loop, and a viewer who pushes the speed up with `+` would otherwise take
 * that share for itself alone: three such viewers took the whole thread and every other screen
 * fell from 30 to 7 frames/s. With a governor, the sessions whose engine ran out of its time at
 * their last tick (those racing flat out) split one session's share among themselves; a session
 * that keeps up takes what it needs. So the engines together never take more than one session's
 * share of the thread, and every screen keeps its frame rate; a greedy viewer's header shows the
 * speed achieved.
 */

/** Share of each tick a session's engine may race: the rest is for drawing and keys. */
export const ENGINE_SHARE = 0.45;
/** A tick of a session's loop at its slowest, ms (30 a second). */
export const TICK_MS = 1000 / 30;

/** One session's place in a governor. */
export type GovernorSeat = {
	/** The part of its engine share the session may use at its next tick: 1 alone, 1/n among n busy sessions. */
	share(): number;
	/** After a tick: whether the engine ran out of its time (it did not catch up with the race's target). */
	report(busy: boolean): void;
	/** The session ended. Idempotent. */
	leave(): void;
};

/** Shares engine time among sessions (see the module comment). */
export class EngineGovernor {
	/** Each seated session, and whether its engine was busy at its last tick. */
	private readonly seats = new Map<symbol, boolean>();
	private busyCount = 0;

	/** Sessions seated. */
	get sessions(): number {
		return this.seats.size;
	}

	/** Sessions whose engine was busy at their last tick. */
	get busy(): number {
		return this.busyCount;
	}

	/** Seats a session. */
	join(): GovernorSeat {
		const id = Symbol('session');
		this.seats.set(id, false);
		return {
			share: () => {
				// As if this session were busy too: it may become so within the tick it asks for.
				const others = this.busyCount - (this.seats.get(id) === true ? 1 : 0);
				return 1 / (others + 1);
			},
			report: (busy) => {
				const was = this.seats.get(id);
				if (was === undefined || was === busy) return;
				this.seats.set(id, busy);
				this.busyCount += busy ? 1 : -1;
			},
			leave: () => {
				const was = this.seats.get(id);
				if (was === undefined) return;
				if (was) this.busyCount--;
				this.seats.delete(id);
			},
		};
	}
}
