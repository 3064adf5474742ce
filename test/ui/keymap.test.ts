import {describe, expect, it} from 'vitest';
import {ACTIONS, KEYMAP, resolveKeys} from '../../src/ui/keymap.js';

describe('keymap', () => {
	it('gives every action keys, a label and help', () => {
		for (const action of ACTIONS) {
			const binding = KEYMAP[action];
			expect(binding.keys.length).toBeGreaterThan(0);
			expect(binding.label).not.toBe('');
			expect(binding.help.length).toBeGreaterThan(10);
		}
	});

	it('binds no key twice', () => {
		const keys = ACTIONS.flatMap(action => KEYMAP[action].keys);
		expect(new Set(keys).size).toBe(keys.length);
	});

	it.each([
		[' ', 'pause'],
		['s', 'step'],
		['+', 'faster'],
		['=', 'faster'],
		['-', 'slower'],
		['c', 'clock'],
		['l', 'log'],
		['g', 'gap'],
		['r', 'restart'],
		['?', 'help'],
		['q', 'quit'],
	])('maps %j to %s', (input, action) => {
		expect(resolveKeys(input)).toEqual([{action}]);
	});

	it('maps the digits to 0-based racer toggles', () => {
		expect(resolveKeys('1')).toEqual([{action: 'toggle', index: 0}]);
		expect(resolveKeys('9')).toEqual([{action: 'toggle', index: 8}]);
		expect(resolveKeys('0')).toEqual([]);
	});

	it('maps `v` (and `V`) to showing or hiding the picked racer', () => {
		expect(resolveKeys('v')).toEqual([{action: 'toggle', index: 'selected'}]);
		expect(resolveKeys('V1')).toEqual([
			{action: 'toggle', index: 'selected'},
			{action: 'toggle', index: 0},
		]);
	});

	it('treats Ctrl+C as quit and ignores other control keys', () => {
		expect(resolveKeys('c', {ctrl: true})).toEqual([{action: 'quit'}]);
		expect(resolveKeys('s', {ctrl: true})).toEqual([]);
		expect(resolveKeys('z', {ctrl: true})).toEqual([{action: 'suspend'}]);
	});

	it('handles keys that Ink delivers together', () => {
		expect(resolveKeys('++-')).toEqual([{action: 'faster'}, {action: 'faster'}, {action: 'slower'}]);
	});

	it('ignores unbound keys and escape sequences', () => {
		expect(resolveKeys('x')).toEqual([]);
		expect(resolveKeys('', {escape: true})).toEqual([]);
	});
});

describe('Caps Lock', () => {
	it('uppercase letters do what lowercase ones do', () => {
		for (const [upper, lower] of [['Q', 'q'], ['S', 's'], ['C', 'c'], ['L', 'l'], ['G', 'g'], ['R', 'r'], ['H', 'h']]) {
			expect(resolveKeys(upper!), upper).toEqual(resolveKeys(lower!));
			expect(resolveKeys(upper!), upper).not.toEqual([]);
		}
		expect(resolveKeys('C', {ctrl: true})).toEqual([{action: 'quit'}]);
	});
});
