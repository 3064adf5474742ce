import {describe, expect, it} from 'vitest';
import {footerText} from '../../src/ui/components/Footer.js';
import {helpLines, HELP_TITLE} from '../../src/ui/components/HelpOverlay.js';
import {wrapWords} from '../../src/wrap-words.js';
import {ACTIONS, KEYMAP, RUNNING} from '../../src/ui/keymap.js';
import {MIN_COLUMNS} from '../../src/ui/layout.js';

describe('footerText', () => {
	it('always offers `? help` and `q quit`, at every width from the minimum up', () => {
		for (let width = MIN_COLUMNS; width <= 200; width++) {
			for (const context of [RUNNING, {...RUNNING, paused: true}, {...RUNNING, over: true}, {...RUNNING, view: 'gap' as const}, {...RUNNING, chartHidden: true}]) {
				const text = footerText(width, context);
				expect(text.length, `${width}`).toBeLessThanOrEqual(width);
				expect(text.endsWith('? help  q quit'), `${width}: ${text}`).toBe(true);
			}
		}
	});

	it('gives way from the end of the key map, so a wider footer only adds keys', () => {
		expect(footerText(100)).toBe('space pause  s step  + faster  - slower  c clock  l log  g gap  m map  1-9 show/hide  ? help  q quit');
		expect(footerText(111)).toBe('space pause  s step  + faster  - slower  c clock  l log  g gap  m map  1-9 show/hide  r restart  ? help  q quit');
		expect(footerText(80)).toBe('space pause  s step  + faster  - slower  c clock  l log  g gap  ? help  q quit');
		expect(footerText(60)).toBe('space pause  s step  + faster  - slower  ? help  q quit');
		expect(footerText(53)).toBe('space pause  s step  + faster  ? help  q quit');
		let last = footerText(MIN_COLUMNS).split('  ').slice(0, -2);
		for (let width = MIN_COLUMNS; width <= 200; width++) {
			const keys = footerText(width).split('  ').slice(0, -2);
			expect(keys.slice(0, last.length), `${width}`).toEqual(last);
			last = keys;
		}
	});

	it('after the race offers no key that moves it (space, s, + and -)', () => {
		const over = footerText(200, {...RUNNING, over: true});
		expect(over).toBe('c clock  l log  g gap  m map  1-9 show/hide  r restart  ? help  q quit');
		expect(footerText(200, {...RUNNING, paused: true})).toContain('space pause  s step  + faster  - slower');
	});

	it('offers `m` (the map) where there is room: at 100 columns, and at 80 in the gap view', () => {
		expect(footerText(100)).toContain('  g gap  m map  ');
		expect(footerText(80, {...RUNNING, view: 'gap'})).toBe('space pause  s step  + faster  - slower  c clock  g gap  m map  ? help  q quit');
		// `f` refits a map already shown: the footer names `m` alone.
		expect(footerText(200)).not.toContain('m/f');
	});

	it('with the map in the chart\'s place, does not offer the chart\'s own keys (`l`, `g`)', () => {
		const alone = footerText(200, {...RUNNING, chartHidden: true});
		expect(alone).toBe('space pause  s step  + faster  - slower  c clock  m map  1-9 show/hide  r restart  ↑↓[] lr  ? help  q quit');
		expect(footerText(80, {...RUNNING, chartHidden: true})).toBe('space pause  s step  + faster  - slower  c clock  m map  ? help  q quit');
	});

	it('does not offer `l` in the gap view, which is always log', () => {
		expect(footerText(200, {...RUNNING, view: 'gap'})).not.toContain('l log');
		expect(footerText(200, {...RUNNING, view: 'log'})).toContain('l log');
	});
});

describe('the help overlay', () => {
	it('wraps words, never cutting one that fits a line', () => {
		expect(wrapWords('cycle the clock: iteration → samples', 16)).toEqual(['cycle the clock:', 'iteration →', 'samples']);
		expect(wrapWords('abcdefghij', 4)).toEqual(['abcd', 'efgh', 'ij']);
	});

	// 15 keys and the title, and four texts that wrap: 20 rows (the map's and the lr keys made it more than 16).
	it.each([
		[53, 20],
		[60, 20],
		[80, 20],
		[100, 26],
	])('at %i columns and %i rows shows every help text whole', (width, height) => {
		const lines = helpLines(width, height);
		expect(lines.length).toBeLessThanOrEqual(height);
		expect(lines[0]!.text).toBe(HELP_TITLE);
		for (const line of lines) expect(line.label.length + line.text.length, line.text).toBeLessThanOrEqual(width - 2);
		const text = lines.map((line) => line.label + line.text).join('\n');
		for (const action of ACTIONS) {
			const {label, help} = KEYMAP[action];
			const start = lines.findIndex((line) => line.label.trimEnd() === label);
			expect(start, action).toBeGreaterThan(0);
			const words: string[] = [];
			for (let index = start; index < lines.length && (index === start || lines[index]!.label.trim() === ''); index++) {
				words.push(lines[index]!.text);
			}
			expect(words.join(' '), action).toBe(help);
		}
		expect(text).not.toMatch(/…$/m);
	});

	it('gives each key one line, cut with …, when the rows are too few to wrap', () => {
		const lines = helpLines(53, ACTIONS.length + 1);
		expect(lines).toHaveLength(ACTIONS.length + 1);
		expect(lines.some((line) => line.text.endsWith('…'))).toBe(true);
		for (const line of lines) expect(line.label.length + line.text.length).toBeLessThanOrEqual(51);
	});
});
