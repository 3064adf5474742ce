/**
 * One race shown in many places (`gdrace serve --shared`): the presenting session drives the race
 * and publishes, after every commit, what its screen shows (the race frame and the view state);
 * each watching session renders the newest publication at its own size and rate and steers
 * nothing. Publications are immutable and replace each other: a watcher that falls behind skips
 * to the newest, nothing is queued.
 */
import type {Race} from '../engine/race.js';
import type {RaceFrame} from './hooks/use-race.js';
import type {UiState} from './ui-state.js';

/** What the presenter's screen shows, as of one commit. */
export type SharedView = {
	readonly frame: RaceFrame;
	/** The presenter's view state (its help overlay is its own: watchers use theirs). */
	readonly ui: UiState;
	/** The race the frame was taken from (a restart makes a new one). */
	readonly race: Race;
};

/** A session's part in a shared race. */
export type ShareRole = {readonly race: SharedRace; readonly role: 'present' | 'watch'};

/** The newest view of the presenter, and a line about the audience for the presenter's screen. */
export class SharedRace {
	private viewValue: SharedView | undefined;
	private statusValue = '';
	private readonly listeners = new Set<() => void>();

	/** The newest publication; undefined until the presenter's first commit. */
	get view(): SharedView | undefined {
		return this.viewValue;
	}

	/** A short line for the presenter's screen (who watches, how to join). */
	get status(): string {
		return this.statusValue;
	}

	publish(view: SharedView): void {
		const last = this.viewValue;
		if (last !== undefined && last.frame === view.frame && last.ui === view.ui && last.race === view.race) return;
		this.viewValue = view;
		this.notify();
	}

	setStatus(status: string): void {
		if (status === this.statusValue) return;
		this.statusValue = status;
		this.notify();
	}

	/** Calls `listener` after every publication or status change; returns the unsubscribe. */
	subscribe(listener: () => void): () => void {
		this.listeners.add(listener);
		return () => {
			this.listeners.delete(listener);
		};
	}

	private notify(): void {
		for (const listener of [...this.listeners]) listener();
	}
}
