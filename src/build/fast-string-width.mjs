/**
 * A faster stand-in for the `string-width` package inside the bundle (src/build/build.mjs).
 *
 * string-width builds an Intl.Segmenter and several Unicode-property regular expressions when it
 * loads (tens of ms of every start) and segments every string it measures. Ink measures every
 * piece of text on every frame, and gdrace's text is ASCII plus a few hundred narrow symbols
 * (box drawing, braille, arrows, Greek, math). The stand-in answers those strings from a table
 * and hands any other string to the real module, loaded on first need.
 *
 * The table is computed at build time from the very copy of string-width it stands in for: a
 * code point below U+3000 is in it when the real module measures it as 1 column, alone and
 * between two letters, and it never joins a neighbour into one grapheme cluster. Such characters
 * add up: a string made only of them is as wide as it is long (test/cli/string-width.test.ts
 * checks this against both copies the bundle holds).
 */

/** Code points the table covers: [0, LIMIT). Everything in the BMP below CJK. */
export const LIMIT = 0x3000;

/** The [first, last] ranges of code points below LIMIT that measure 1 column and join nothing. */
export function narrowRanges(stringWidth) {
	const segmenter = new Intl.Segmenter();
	const clusters = (text) => [...segmenter.segment(text)].length;
	const ranges = [];
	for (let code = 0x20; code < LIMIT; code++) {
		// Lone surrogates are never narrow text.
		if (code >= 0xd800 && code <= 0xdfff) continue;
		const ch = String.fromCharCode(code);
		const narrow =
			stringWidth(ch) === 1 && stringWidth(`a${ch}b`) === 3 && stringWidth(ch + ch) === 2 && clusters(`a${ch}b`) === 3 && clusters(ch + ch) === 2;
		if (!narrow) continue;
		const last = ranges.at(-1);
		if (last !== undefined && last[1] === code - 1) last[1] = code;
		else ranges.push([code, code]);
	}
	return ranges;
}

/** A lookup table (1 = narrow) for LIMIT code units, from `narrowRanges`. */
export function narrowTable(ranges) {
	const table = new Uint8Array(LIMIT);
	for (const [first, last] of ranges) table.fill(1, first, last + 1);
	return table;
}

/**
 * The width of `input` when every code unit is narrow (ANSI escape sequences removed first), else
 * -1. `options` as string-width's; ambiguousIsNarrow: false and countAnsiEscapeCodes are left to
 * the real module (-1).
 */
export function fastWidth(table, stripAnsi, input, options) {
	if (typeof input !== 'string' || input.length === 0) return 0;
	if (options !== undefined && (options.ambiguousIsNarrow === false || options.countAnsiEscapeCodes === true)) return -1;
	const text = input.includes('\u001B') || input.includes('\u009B') ? stripAnsi(input) : input;
	for (let i = 0; i < text.length; i++) {
		const code = text.charCodeAt(i);
		if (code >= LIMIT || table[code] !== 1) return -1;
	}
	return text.length;
}

/** The stand-in module's source for the real module at `realPath`, with its table `ranges`. */
export function shimSource(realPath, ranges, helpersPath) {
	return `import stripAnsi from 'strip-ansi';
import {fastWidth, narrowTable} from ${JSON.stringify(helpersPath)};
const table = narrowTable(${JSON.stringify(ranges)});
let real;
export default function stringWidth(input, options) {
	const width = fastWidth(table, stripAnsi, input, options);
	if (width >= 0) return width;
	real ??= require(${JSON.stringify(realPath)}).default;
	return real(input, options);
}
`;
}
