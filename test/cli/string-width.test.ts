/**
 * The bundle's stand-in for `string-width` (src/build/fast-string-width.mjs) answers strings of
 * narrow characters from a table and hands the rest to the real module: it must measure exactly
 * as the copy it stands in for. Both copies the bundle holds are checked: string-width itself
 * (Ink, yargs) and the older one wrap-ansi and cliui depend on.
 */
import {createRequire} from 'node:module';
import {dirname} from 'node:path';
import {pathToFileURL} from 'node:url';
import stripAnsi from 'strip-ansi';
import {beforeAll, describe, expect, it} from 'vitest';
// @ts-expect-error: a plain .mjs build helper without type declarations
import {LIMIT, fastWidth, narrowRanges, narrowTable} from '../../src/build/fast-string-width.mjs';
import {generator} from '../random.js';

type Width = (text: string, options?: {ambiguousIsNarrow?: boolean; countAnsiEscapeCodes?: boolean}) => number;
type Ranges = [number, number][];
const helpers = {narrowRanges, narrowTable, fastWidth, LIMIT} as {
	narrowRanges: (width: Width) => Ranges;
	narrowTable: (ranges: Ranges) => Uint8Array;
	fastWidth: (table: Uint8Array, strip: (text: string) => string, text: unknown, options?: object) => number;
	LIMIT: number;
};

const require = createRequire(import.meta.url);
/** The two copies: the top-level one and wrap-ansi's own (resolved as wrap-ansi resolves it). */
const COPIES = {
	'string-width': require.resolve('string-width'),
	"wrap-ansi's string-width": createRequire(`${dirname(require.resolve('wrap-ansi'))}/index.js`).resolve('string-width'),
};

describe.each(Object.entries(COPIES))('the stand-in for %s', (_name, path) => {
	let real: Width;
	let ranges: Ranges;
	let table: Uint8Array;
	const fast = (text: unknown, options?: object): number => helpers.fastWidth(table, stripAnsi, text, options);

	beforeAll(async () => {
		real = ((await import(pathToFileURL(path).href)) as {default: Width}).default;
		ranges = helpers.narrowRanges(real);
		table = helpers.narrowTable(ranges);
	});

	it.runIf(_name === 'string-width')('covers what gdrace draws (so Ink never loads the real module for it)', () => {
		// The non-ASCII characters of src/ui's strings, the braille dots of the map and asciichart's.
		const drawn = '±·×λ–—…›←↑→↓−≤─━│┃┄┅┆┇┈┊┏┓└┗┛┤┬┼╌╎═║╔╗╚╝╭╮╯╰╴╶○★⠀⠁⡀⢀⣿';
		for (const ch of drawn) expect([ch, table[ch.charCodeAt(0)]]).toEqual([ch, 1]);
	});

	it('measures every character of its table as the real module does, alone and in company', () => {
		for (const [first, last] of ranges) {
			for (let code = first; code <= last; code++) {
				const ch = String.fromCharCode(code);
				expect(fast(ch)).toBe(real(ch));
				expect(fast(`x${ch}${ch}y`)).toBe(real(`x${ch}${ch}y`));
			}
		}
	});

	it('agrees on random strings of table characters, with and without colours', () => {
		const random = generator(2023);
		const codes = ranges.flatMap(([first, last]) => Array.from({length: last - first + 1}, (_, i) => first + i));
		const styles = ['\u001B[31m', '\u001B[1m', '\u001B[0m', '\u001B[38;5;208m', '\u001B[7m'];
		for (let n = 0; n < 2000; n++) {
			let text = '';
			const length = 1 + Math.floor(random() * 40);
			for (let i = 0; i < length; i++) {
				text += random() < 0.1 ? styles[Math.floor(random() * styles.length)] : String.fromCharCode(codes[Math.floor(random() * codes.length)]!);
			}
			expect(fast(text)).toBe(real(text));
		}
	});

	it('hands everything else to the real module', () => {
		for (const text of ['日本', 'e\u0301', '👍', '⭐', 'a\tb', 'a\nb', '\u200D', '\uD83D', 'x\uFE0F']) expect(fast(text)).toBe(-1);
		expect(fast('±', {ambiguousIsNarrow: false})).toBe(-1);
		expect(fast('\u001B[31mx', {countAnsiEscapeCodes: true})).toBe(-1);
		expect(fast('')).toBe(0);
		expect(fast(undefined)).toBe(0);
		// Code points past the table's end are never answered from it.
		expect(fast(String.fromCharCode(helpers.LIMIT))).toBe(-1);
	});
});
