import {describe, expect, it} from 'vitest';
import {codePointWidth, WIDE_TAIL} from '../../../src/ui/terminal/cells.js';
import {Grid, hasContent, parseFrame, repairWide} from '../../../src/ui/terminal/screen.js';
import {StyleTable} from '../../../src/ui/terminal/style.js';
import {BITS} from './helpers.js';

const ESC = '\u001B';

function parse(text: string, cols = 20, rows = 5, color = true) {
	const table = new StyleTable(color);
	const grid = new Grid(cols, rows);
	const wide = parseFrame(text, grid, table);
	const style = (x: number, y: number) => table.parts(grid.styles[y * cols + x]!);
	return {grid, table, wide, style, row: (y: number) => grid.rowText(y)};
}

describe('parseFrame', () => {
	it('places lines and keeps trailing spaces blank', () => {
		const {row} = parse('ab\n\n  cd   \nxyz', 8, 4);
		expect([row(0), row(1), row(2), row(3)]).toEqual(['ab      ', '        ', '  cd    ', 'xyz     ']);
	});

	it('reads 16-color, bright, 256-color and truecolor SGR forms (colors encoded 1 + palette index, 257 + rgb)', () => {
		const text =
			`${ESC}[31mA${ESC}[39m` +
			`${ESC}[93mB${ESC}[39m` +
			`${ESC}[38;5;200mC${ESC}[39m` +
			`${ESC}[38;2;255;136;0mD${ESC}[39m` +
			`${ESC}[38:2::1:2:3mE${ESC}[0m` +
			`${ESC}[44mF${ESC}[49m` +
			`${ESC}[103mG${ESC}[49m` +
			`${ESC}[48;5;17mH${ESC}[48;2;0;0;255mI${ESC}[m` +
			'J';
		const {style} = parse(text);
		expect(style(0, 0).fg).toBe(1 + 1);
		expect(style(1, 0).fg).toBe(1 + 11);
		expect(style(2, 0).fg).toBe(1 + 200);
		expect(style(3, 0).fg).toBe(257 + 0xff8800);
		expect(style(4, 0).fg).toBe(257 + 0x010203);
		expect(style(5, 0)).toEqual({fg: 0, bg: 1 + 4, attrs: 0});
		expect(style(6, 0).bg).toBe(1 + 11);
		expect(style(7, 0).bg).toBe(1 + 17);
		expect(style(8, 0).bg).toBe(257 + 0x0000ff);
		expect(style(9, 0)).toEqual({fg: 0, bg: 0, attrs: 0});
	});

	it('applies attribute resets the way a terminal does (22 clears bold and dim, 0 and empty clear all)', () => {
		const text = `${ESC}[1m${ESC}[2mA${ESC}[22mB${ESC}[3;4;7;9mC${ESC}[23;24mD${ESC}[27;29mE${ESC}[1;31mF${ESC}[;mG`;
		const {style} = parse(text);
		expect(style(0, 0).attrs).toBe(BITS.bold | BITS.dim);
		expect(style(1, 0).attrs).toBe(0);
		expect(style(2, 0).attrs).toBe(BITS.italic | BITS.underline | BITS.inverse | BITS.strikethrough);
		expect(style(3, 0).attrs).toBe(BITS.inverse | BITS.strikethrough);
		expect(style(4, 0).attrs).toBe(0);
		expect(style(5, 0)).toEqual({fg: 2, bg: 0, attrs: BITS.bold});
		expect(style(6, 0)).toEqual({fg: 0, bg: 0, attrs: 0});
	});

	it('carries the style over a line break, as a terminal does', () => {
		const {style} = parse(`${ESC}[32mA\nB${ESC}[39m\nC`);
		expect(style(0, 1).fg).toBe(1 + 2);
		expect(style(0, 2).fg).toBe(0);
	});

	it('reads Ink 6.8 frames as Ink writes them (chalk codes closed per span)', () => {
		// Captured from Ink 6.8 (debug mode, FORCE_COLOR=3).
		const frame =
			`${ESC}[31mred ${ESC}[1mbold${ESC}[22m plain?${ESC}[39m\n${ESC}[44m${ESC}[93mhex on blue${ESC}[39m${ESC}[49m\n` +
			`${ESC}[7m${ESC}[2mdim inv${ESC}[22m${ESC}[27m\n\n\n${ESC}[38;5;200ma256 x${ESC}[39m\n` +
			`${ESC}[9m${ESC}[4m${ESC}[3m${ESC}[90mgray u s i${ESC}[39m${ESC}[23m${ESC}[24m${ESC}[29m`;
		const {row, style} = parse(frame, 16, 7);
		expect(row(0)).toBe('red bold plain? ');
		expect(row(6)).toBe('gray u s i      ');
		expect(style(4, 0)).toEqual({fg: 2, bg: 0, attrs: BITS.bold});
		expect(style(9, 0)).toEqual({fg: 2, bg: 0, attrs: 0});
		expect(style(0, 1)).toEqual({fg: 12, bg: 5, attrs: 0});
		expect(style(0, 2)).toEqual({fg: 0, bg: 0, attrs: BITS.inverse | BITS.dim});
		expect(style(0, 5).fg).toBe(201);
		expect(style(0, 6)).toEqual({fg: 9, bg: 0, attrs: BITS.strikethrough | BITS.underline | BITS.italic});
		expect(style(12, 6)).toEqual({fg: 0, bg: 0, attrs: 0});
	});

	it('clips what lies beyond the columns and rows instead of wrapping it', () => {
		const {row, grid} = parse('abcdefgh\n12345678\nzzz', 5, 2);
		expect([row(0), row(1)]).toEqual(['abcde', '12345']);
		expect(grid.codes.length).toBe(10);
		const tiny = parse(`${ESC}[31mhello${ESC}[39m\nworld`, 1, 1);
		expect(tiny.row(0)).toBe('h');
	});

	it('drops control characters, OSC strings and non-SGR CSI sequences', () => {
		const text = `a\tb\rc\u0007${ESC}]8;;https://example.com${ESC}\\d${ESC}]0;title\u0007e${ESC}[?25lf${ESC}[2Kg${ESC}[>4;1mh${ESC}(Bi`;
		const {row, style} = parse(text, 12, 1);
		expect(row(0)).toBe('abcdefghi   ');
		// `ESC[>4;1m` is not SGR: nothing turned bold.
		expect(style(7, 0).attrs).toBe(0);
	});

	it('puts a wide character in two cells and blanks one that does not fit the last column', () => {
		const {grid, row, wide} = parse('a漢b\n1234漢', 5, 2);
		expect(wide).toBe(true);
		expect(grid.codes[1]).toBe('漢'.codePointAt(0));
		expect(grid.codes[2]).toBe(WIDE_TAIL);
		expect(row(0)).toBe('a漢b ');
		expect(row(1)).toBe('1234 ');
	});

	it('drops zero-width characters and keeps astral characters whole', () => {
		const {row} = parse('e\u0301x\u200By😀z', 8, 1);
		expect(row(0)).toBe('exy😀z  ');
	});

	it('drops colors with color off and keeps attributes', () => {
		const {style} = parse(`${ESC}[1;31;44mA`, 4, 1, false);
		expect(style(0, 0)).toEqual({fg: 0, bg: 0, attrs: BITS.bold});
	});
});

describe('hasContent', () => {
	it('tells frames from bare escape sequences (Ink writes its cursor show on unmount)', () => {
		expect(hasContent(`${ESC}[?25h`)).toBe(false);
		expect(hasContent('')).toBe(false);
		expect(hasContent(`${ESC}[31m${ESC}[39m`)).toBe(false);
		expect(hasContent(' ')).toBe(true);
		expect(hasContent('\n')).toBe(true);
		expect(hasContent(`${ESC}[31mx`)).toBe(true);
	});
});

describe('repairWide', () => {
	it('blanks the half of a wide character whose other half was covered', () => {
		const grid = new Grid(4, 1);
		parseFrame('漢漢', grid, new StyleTable());
		grid.codes[1] = 'x'.charCodeAt(0); // the first one's tail covered
		grid.codes[2] = 'y'.charCodeAt(0); // the second one's head covered
		repairWide(grid);
		expect(grid.rowText(0)).toBe(' xy ');
	});
});

describe('codePointWidth', () => {
	it('gives the widths terminals use for the glyphs gdrace draws and a few others', () => {
		for (const glyph of '─│╭╮╰╯┤┼━┃┏┓┗┛═║╔╗╚╝┄┆╌·×−…≤') {
			expect(codePointWidth(glyph.codePointAt(0)!), glyph).toBe(1);
		}
		expect(codePointWidth('漢'.codePointAt(0)!)).toBe(2);
		expect(codePointWidth('😀'.codePointAt(0)!)).toBe(2);
		expect(codePointWidth(0x0301)).toBe(0);
		expect(codePointWidth(0x1b)).toBe(0);
		expect(codePointWidth(0x9b)).toBe(0);
	});
});
