import {describe, expect, it} from 'vitest';
import {chartView, initialUiState, uiReducer, viewClock} from '../../src/ui/ui-state.js';

describe('uiReducer', () => {
	it('toggles the log scale and the gap view; the gap view wins', () => {
		let state = uiReducer(initialUiState, {type: 'toggle-log'});
		expect(chartView(state)).toBe('log');
		state = uiReducer(state, {type: 'toggle-gap'});
		expect(chartView(state)).toBe('gap');
		state = uiReducer(state, {type: 'toggle-gap'});
		expect(chartView(state)).toBe('log');
		state = uiReducer(state, {type: 'toggle-log'});
		expect(chartView(state)).toBe('linear');
	});

	it('hides and shows racers by index, ignoring indexes past the last racer', () => {
		let state = uiReducer(initialUiState, {type: 'toggle-racer', index: 1, racers: 4});
		expect([...state.hidden]).toEqual([1]);
		state = uiReducer(state, {type: 'toggle-racer', index: 1, racers: 4});
		expect(state.hidden.size).toBe(0);
		expect(uiReducer(state, {type: 'toggle-racer', index: 4, racers: 4})).toBe(state);
	});

	it('`c` cycles the measured clock from the race\'s own; a new race resets it', () => {
		let state = initialUiState;
		const seen = [];
		for (let i = 0; i < 3; i++) {
			state = uiReducer(state, {type: 'cycle-view', race: 'samples'});
			seen.push([state.view, viewClock(state, 'samples')]);
		}
		expect(seen).toEqual([
			['time', 'time'],
			['iteration', 'iteration'],
			[null, 'samples'],
		]);
		state = uiReducer(state, {type: 'cycle-view', race: 'iteration'});
		expect(uiReducer(state, {type: 'reset-view'}).view).toBeNull();
		expect(uiReducer(initialUiState, {type: 'reset-view'})).toBe(initialUiState);
	});

	it('opens and closes the help', () => {
		const open = uiReducer(initialUiState, {type: 'toggle-help'});
		expect(open.help).toBe(true);
		expect(uiReducer(open, {type: 'close-help'}).help).toBe(false);
		expect(uiReducer(initialUiState, {type: 'close-help'})).toBe(initialUiState);
	});
});

describe('`l` in the gap view', () => {
	it('flips nothing: back in the loss view the scale is what it was', () => {
		const gap = uiReducer(initialUiState, {type: 'toggle-gap'});
		expect(uiReducer(gap, {type: 'toggle-log'})).toBe(gap);
		const back = uiReducer(uiReducer(gap, {type: 'toggle-log'}), {type: 'toggle-gap'});
		expect(chartView(back)).toBe('linear');
	});
});
