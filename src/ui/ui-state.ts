import type {Clock} from '../engine/types.js';
import {nextClock} from '../engine/scheduler.js';

/**
 * The screen's own state (what is shown, not what is raced), changed only through `uiReducer`
 * over a tagged union of actions, so every key's effect is testable without rendering.
 */
import {nextSmoothing} from './smoothing.js';

/** The chart's y-axis: linear loss, log10 loss, or log10 of the gap to the optimum. */
export type ChartView = 'linear' | 'log' | 'gap';

export type UiState = {
	/**
	 * `l`: log scale for the loss (kept as it is while the gap view is on); null until the first
	 * `l`: the chart's own choice (see `chartView`).
	 */
	readonly log: boolean | null;
	/** `g`: the gap view (always on a log scale). */
	readonly gap: boolean;
	/** Racers hidden from the chart, by index. */
	readonly hidden: ReadonlySet<number>;
	readonly help: boolean;
	/** `m`: the landscape map shown; null until the first `m`: shown where it fits beside the chart. */
	readonly map: boolean | null;
	/** `f` counts refits of the map's view. */
	readonly mapFit: number;
	/** `e`: the smoothing weight of the curves (0 = off). */
	readonly smoothing: number;
	/** The replay cursor in clock units, or null when live. */
	readonly cursor: number | null;
	/** `c`: the clock the x-axis and the header measure in; null = the race's own clock. */
	readonly view: Clock | null;
	/** The racer `[` and `]` act on (↑/↓ move it), by index. */
	readonly selected: number;
};

export type UiAction =
	| {readonly type: 'toggle-log'; readonly from?: boolean}
	| {readonly type: 'toggle-map'; readonly from: boolean}
	| {readonly type: 'refit-map'}
	| {readonly type: 'cycle-smoothing'}
	/** Moves the cursor to `to` (clamped to [0, end]); `to` = null leaves the replay. */
	| {readonly type: 'replay'; readonly to: number | null; readonly end: number}
	| {readonly type: 'toggle-gap'}
	| {readonly type: 'toggle-racer'; readonly index: number; readonly racers: number}
	| {readonly type: 'select'; readonly delta: number; readonly racers: number}
	| {readonly type: 'toggle-help'}
	/** `c`: the next clock to measure in, after the one shown (`race` is the race's clock). */
	| {readonly type: 'cycle-view'; readonly race: Clock}
	/** A new race under another clock: measure in its clock. */
	| {readonly type: 'reset-view'}
	| {readonly type: 'close-help'};

/** @default the chart's own scale, every racer shown, no help, the map where it fits, no smoothing, live, measured in the race's clock, the first racer selected */
export const initialUiState: UiState = {log: null, gap: false, hidden: new Set(), help: false, map: null, mapFit: 0, smoothing: 0, cursor: null, view: null, selected: 0};

/** What the chart's area opens on (`--view`): the loss, the gap to the optimum, or the map. */
export type StartView = 'loss' | 'gap' | 'map';

/** The state a screen opens in: `initialUiState`, in the gap view or with the map shown. @default 'loss' */
export function startState(view: StartView = 'loss'): UiState {
	if (view === 'gap') return {...initialUiState, gap: true};
	if (view === 'map') return {...initialUiState, map: true};
	return initialUiState;
}

export function uiReducer(state: UiState, action: UiAction): UiState {
	switch (action.type) {
		case 'toggle-log': {
			// The gap view is always log: flipping the switch there would change nothing visible now
			// and surprise later, back in the loss view.
			return state.gap ? state : {...state, log: !(state.log ?? action.from ?? false)};
		}

		case 'toggle-map': {
			return {...state, map: !(state.map ?? action.from)};
		}

		case 'refit-map': {
			return {...state, mapFit: state.mapFit + 1};
		}

		case 'cycle-smoothing': {
			return {...state, smoothing: nextSmoothing(state.smoothing)};
		}

		case 'replay': {
			if (action.to === null || !Number.isFinite(action.to)) {
				return state.cursor === null ? state : {...state, cursor: null};
			}

			const cursor = Math.min(Math.max(0, action.end), Math.max(0, action.to));
			return cursor === state.cursor ? state : {...state, cursor};
		}

		case 'toggle-gap': {
			return {...state, gap: !state.gap};
		}

		case 'toggle-racer': {
			if (action.index < 0 || action.index >= action.racers) {
				return state;
			}

			const hidden = new Set(state.hidden);
			if (hidden.has(action.index)) {
				hidden.delete(action.index);
			} else {
				hidden.add(action.index);
			}

			return {...state, hidden};
		}

		case 'select': {
			// Stops at the first and last racer.
			const selected = Math.min(Math.max(0, state.selected + action.delta), Math.max(0, action.racers - 1));
			return selected === state.selected ? state : {...state, selected};
		}

		case 'toggle-help': {
			return {...state, help: !state.help};
		}

		case 'close-help': {
			return state.help ? {...state, help: false} : state;
		}

		case 'cycle-view': {
			const next = nextClock(state.view ?? action.race);
			return {...state, view: next === action.race ? null : next};
		}

		case 'reset-view': {
			return state.view === null ? state : {...state, view: null};
		}
	}
}

/** The clock the screen measures in: the chosen one, or the race's. */
export function viewClock(state: UiState, race: Clock): Clock {
	return state.view ?? race;
}

/**
 * The view the chart draws: the gap view wins over the log switch, which it implies. Until the
 * first `l` the scale is `autoLog`'s (log when the losses span more than a decade).
 */
export function chartView(state: UiState, autoLog = false): ChartView {
	if (state.gap) {
		return 'gap';
	}

	return (state.log ?? autoLog) ? 'log' : 'linear';
}

/** Whether the chart opens in log scale: the losses it shows (from the start's down to L*) span more than a decade. */
export function spansDecade(initialLoss: number, lossStar: number): boolean {
	return initialLoss > 10 * lossStar;
}
