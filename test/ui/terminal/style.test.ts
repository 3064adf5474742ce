import {describe, expect, it} from 'vitest';
import {Rng} from '../../../src/engine/rng.js';
import {encodeColor, MAX_STYLES, StyleTable} from '../../../src/ui/terminal/style.js';
import {BITS} from './helpers.js';

const ESC = '\u001B';

/** The parameters of one SGR sequence. */
function params(sequence: string): string {
	const match = /^\u001B\[([\d;]*)m$/.exec(sequence);
	if (!match) throw new Error(`not one SGR sequence: ${JSON.stringify(sequence)}`);
	return match[1]!;
}

describe('encodeColor', () => {
	it('encodes names, palette indices and hex as 1 + index or 257 + rgb, anything else as the default', () => {
		expect(encodeColor(undefined)).toBe(0);
		expect(encodeColor('black')).toBe(1);
		expect(encodeColor('cyan')).toBe(1 + 6);
		expect(encodeColor('gray')).toBe(1 + 8);
		expect(encodeColor('magentaBright')).toBe(1 + 13);
		expect(encodeColor(196)).toBe(1 + 196);
		expect(encodeColor('#ff8800')).toBe(257 + 0xff8800);
		expect(encodeColor('#f80')).toBe(257 + 0xff8800);
		expect(encodeColor(256)).toBe(0);
		expect(encodeColor(1.5)).toBe(0);
		expect(encodeColor('#zzzzzz')).toBe(0);
	});
});

describe('StyleTable', () => {
	it('interns equal styles to one id and keeps id 0 for the default', () => {
		const table = new StyleTable();
		expect(table.intern(0, 0, 0)).toBe(0);
		const red = table.intern(2, 0, 0);
		expect(table.intern(2, 0, 0)).toBe(red);
		expect(table.internStyle({fg: 'red'})).toBe(red);
		expect(table.internStyle({fg: 'red', bold: true})).not.toBe(red);
		expect(table.size).toBe(3);
	});

	it('stops growing at MAX_STYLES and then answers the default style', () => {
		const table = new StyleTable();
		for (let i = 1; i < MAX_STYLES; i++) table.intern(257 + i, 0, 0);
		expect(table.size).toBe(MAX_STYLES);
		expect(table.intern(257 + MAX_STYLES + 5, 0, 0)).toBe(0);
	});

	it('writes short transitions: only what changes', () => {
		const table = new StyleTable();
		const red = table.applySgr(0, '31');
		const redBold = table.applySgr(red, '1');
		const redDim = table.applySgr(red, '2');
		const blueBold = table.applySgr(redBold, '34');
		expect(table.transition(red, red)).toBe('');
		expect(table.transition(red, redBold)).toBe(`${ESC}[1m`);
		expect(table.transition(redBold, red)).toBe(`${ESC}[22m`);
		// 22 clears bold and dim alike: bold off, dim on is 22 then 2.
		expect(table.transition(redBold, redDim)).toBe(`${ESC}[22;2m`);
		expect(table.transition(redBold, blueBold)).toBe(`${ESC}[34m`);
		expect(table.transition(blueBold, 0)).toBe(`${ESC}[0m`);
		expect(table.transition(-1, redBold)).toBe(`${ESC}[0;1;31m`);
		expect(table.transition(-1, 0)).toBe(`${ESC}[0m`);
	});

	it('writes each color form back in its shortest code', () => {
		const table = new StyleTable();
		const style = (sgr: string) => table.applySgr(0, sgr);
		expect(table.transition(0, style('38;5;3'))).toBe(`${ESC}[33m`);
		expect(table.transition(0, style('38;5;12'))).toBe(`${ESC}[94m`);
		expect(table.transition(0, style('38;5;100'))).toBe(`${ESC}[38;5;100m`);
		expect(table.transition(0, style('48;2;1;2;3'))).toBe(`${ESC}[48;2;1;2;3m`);
		expect(table.transition(0, style('105'))).toBe(`${ESC}[105m`);
	});

	it('turns any style into any other: applying transition(a, b) to a gives b (500 random pairs)', () => {
		const rng = Rng.fromSeed(7, 'styles');
		const table = new StyleTable();
		const randomColor = () => {
			const kind = rng.int(4);
			return kind === 0 ? 0 : kind === 1 ? 1 + rng.int(16) : kind === 2 ? 1 + rng.int(256) : 257 + rng.int(0x1000000);
		};
		const ids = Array.from({length: 60}, () => table.intern(randomColor(), randomColor(), rng.int(256)));
		for (let k = 0; k < 500; k++) {
			const from = ids[rng.int(ids.length)]!;
			const to = ids[rng.int(ids.length)]!;
			const sequence = table.transition(from, to);
			const reached = sequence === '' ? from : table.applySgr(from, params(sequence));
			expect(table.parts(reached)).toEqual(table.parts(to));
		}
	});

	it('drops colors when color is off, keeping bold, dim, italic, underline, inverse', () => {
		const table = new StyleTable(false);
		const id = table.applySgr(0, '1;2;3;4;7;38;2;9;9;9;41');
		expect(table.parts(id)).toEqual({fg: 0, bg: 0, attrs: BITS.bold | BITS.dim | BITS.italic | BITS.underline | BITS.inverse});
		expect(table.internStyle({fg: 'cyan', dim: true})).toBe(table.applySgr(0, '2'));
	});
});
