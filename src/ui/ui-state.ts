/**
 * The screen's own state (what is shown, not what is raced), changed only through `uiReducer`
 * over a tagged union of actions, so every key's effect is testable without rendering.
 */

/** The chart's y-axis: linear loss, log10 loss, or log10 of the gap to the optimum. */
export type ChartView = 'linear' | 'log' | 'gap';

export type UiState = {
	/** `l`: log scale for the loss (kept as it is while the gap view is on). */
	readonly log: boolean;
	/** `g`: the gap view (always on a log scale). */
	readonly gap: boolean;
	/** Racers hidden from the chart, by index. */
	readonly hidden: ReadonlySet<number>;
	readonly help: boolean;
	/** The racer `[` and `]` act on (↑/↓ move it), by index. */
	readonly selected: number;
};

export type UiAction =
	| {readonly type: 'toggle-log'}
	| {readonly type: 'toggle-gap'}
	| {readonly type: 'toggle-racer'; readonly index: number; readonly racers: number}
	| {readonly type: 'select'; readonly delta: number; readonly racers: number}
	| {readonly type: 'toggle-help'}
	| {readonly type: 'close-help'};

/** @default linear view, every racer shown, no help */
export const initialUiState: UiState = {log: false, gap: false, hidden: new Set(), help: false, selected: 0};

export function uiReducer(state: UiState, action: UiAction): UiState {
	switch (action.type) {
		case 'toggle-log': {
			// The gap view is always log: flipping the switch there would change nothing visible now
			// and surprise later, back in the loss view.
			return state.gap ? state : {...state, log: !state.log};
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
	}
}

/** The view the chart draws: the gap view wins over the log switch, which it implies. */
export function chartView(state: UiState): ChartView {
	if (state.gap) {
		return 'gap';
	}

	return state.log ? 'log' : 'linear';
}
