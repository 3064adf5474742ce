/** The selection and lr keys as data (issue 7): ↑/↓, [ and ], the reducer, the table's lr cell and the header's bound. */
import {describe, expect, it} from 'vitest';
import {lrBoundText} from '../../src/ui/components/Header.js';
import {isPlainFullBatch, lrText} from '../../src/ui/components/WeightsTable.js';
import type {RacerSnapshot} from '../../src/engine/types.js';
import {resolveKeys} from '../../src/ui/keymap.js';
import {initialUiState, uiReducer} from '../../src/ui/ui-state.js';

describe('keys', () => {
	it('↑ and ↓ move the selection; [ halves and ] doubles, each character counting', () => {
		expect(resolveKeys('', {upArrow: true})).toEqual([{action: 'select', delta: -1}]);
		expect(resolveKeys('', {downArrow: true})).toEqual([{action: 'select', delta: 1}]);
		expect(resolveKeys(']][')).toEqual([
			{action: 'lr', factor: 2},
			{action: 'lr', factor: 2},
			{action: 'lr', factor: 0.5},
		]);
	});

	it('the selection starts at the first racer and stops at both ends', () => {
		expect(initialUiState.selected).toBe(0);
		let state = uiReducer(initialUiState, {type: 'select', delta: -1, racers: 3});
		expect(state).toBe(initialUiState);
		state = uiReducer(state, {type: 'select', delta: 1, racers: 3});
		state = uiReducer(state, {type: 'select', delta: 1, racers: 3});
		expect(state.selected).toBe(2);
		expect(uiReducer(state, {type: 'select', delta: 1, racers: 3}).selected).toBe(2);
	});
});

describe('the lr cell and the stable step bound', () => {
	const racer = (overrides: Partial<RacerSnapshot>): RacerSnapshot =>
		({rule: 'sgd', batch: {kind: 'full', size: 506, shuffle: false}, lr: 0.01, ...overrides}) as RacerSnapshot;

	it('marks the selected racer › and a plain full-batch lr at or above 2/λmax !', () => {
		expect(lrText(racer({}), true, 0.732, 8)).toEqual({text: '›   0.01', above: false});
		expect(lrText(racer({lr: 0.00125}), false, 0.732, 8)).toEqual({text: ' 0.00125', above: false});
		expect(lrText(racer({lr: 1.28}), false, 0.732, 8)).toEqual({text: '   1.28!', above: true});
		// Only plain GD on the full batch is bounded by 2/λmax: Adam or a one-row batch is not flagged.
		expect(lrText(racer({lr: 1.28, rule: 'adam'}), false, 0.732, 8).above).toBe(false);
		expect(isPlainFullBatch(racer({batch: {kind: 'one', size: 1, shuffle: false}}))).toBe(false);
	});

	it('the header part', () => {
		expect(lrBoundText(0.7322504489574172, [])).toBe('lr < 2/λmax = 0.732');
		expect(lrBoundText(0.7322504489574172, ['GD'])).toBe('lr < 2/λmax = 0.732: GD above!');
		expect(lrBoundText(0.7322504489574172, ['GD', 'gd-2'])).toBe('lr < 2/λmax = 0.732: GD +1 above!');
	});
});
