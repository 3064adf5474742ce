/**
 * Text measured in terminal columns, not in UTF-16 code units: a CSV's column names may be Korean
 * (`방수`, 4 columns for 2 code units), Chinese, Japanese or emoji, and a table padded by
 * `.length` puts every cell after such a name out of line. Used wherever gdrace pads, cuts or
 * wraps text that can hold names from the data (the summary, the weights table, the map's axis,
 * the help). The frame writer places characters on the screen's grid by the same `codePointWidth`
 * (src/ui/terminal/cells.ts takes it from here), so text padded here lands where it is drawn.
 * Plain TypeScript with no imports: the headless path uses it too.
 */

// [first, last] code points that take two cells.
const WIDE_RANGES: readonly (readonly [number, number])[] = [
	[0x1100, 0x115f],
	[0x231a, 0x231b],
	[0x2329, 0x232a],
	[0x23e9, 0x23ec],
	[0x23f0, 0x23f0],
	[0x23f3, 0x23f3],
	[0x25fd, 0x25fe],
	[0x2614, 0x2615],
	[0x2648, 0x2653],
	[0x267f, 0x267f],
	[0x2693, 0x2693],
	[0x26a1, 0x26a1],
	[0x26aa, 0x26ab],
	[0x26bd, 0x26be],
	[0x26c4, 0x26c5],
	[0x26ce, 0x26ce],
	[0x26d4, 0x26d4],
	[0x26ea, 0x26ea],
	[0x26f2, 0x26f3],
	[0x26f5, 0x26f5],
	[0x26fa, 0x26fa],
	[0x26fd, 0x26fd],
	[0x2705, 0x2705],
	[0x270a, 0x270b],
	[0x2728, 0x2728],
	[0x274c, 0x274c],
	[0x274e, 0x274e],
	[0x2753, 0x2755],
	[0x2757, 0x2757],
	[0x2795, 0x2797],
	[0x27b0, 0x27b0],
	[0x27bf, 0x27bf],
	[0x2b1b, 0x2b1c],
	[0x2b50, 0x2b50],
	[0x2b55, 0x2b55],
	[0x2e80, 0x303e],
	[0x3041, 0x33ff],
	[0x3400, 0x4dbf],
	[0x4e00, 0x9fff],
	[0xa000, 0xa4cf],
	[0xa960, 0xa97f],
	[0xac00, 0xd7a3],
	[0xf900, 0xfaff],
	[0xfe10, 0xfe19],
	[0xfe30, 0xfe6f],
	[0xff00, 0xff60],
	[0xffe0, 0xffe6],
	[0x16fe0, 0x16fe4],
	[0x17000, 0x18aff],
	[0x1b000, 0x1b2ff],
	[0x1f004, 0x1f004],
	[0x1f0cf, 0x1f0cf],
	[0x1f18e, 0x1f18e],
	[0x1f191, 0x1f19a],
	[0x1f200, 0x1f251],
	[0x1f300, 0x1f64f],
	[0x1f680, 0x1f6ff],
	[0x1f900, 0x1f9ff],
	[0x1fa70, 0x1faff],
	[0x20000, 0x3fffd],
];

// [first, last] code points that take no cell: controls, combining marks, joiners, selectors.
const ZERO_RANGES: readonly (readonly [number, number])[] = [
	[0x0000, 0x001f],
	[0x007f, 0x009f],
	[0x0300, 0x036f],
	[0x0483, 0x0489],
	[0x0591, 0x05bd],
	[0x0610, 0x061a],
	[0x064b, 0x065f],
	[0x1ab0, 0x1aff],
	[0x1dc0, 0x1dff],
	[0x200b, 0x200f],
	[0x2028, 0x202e],
	[0x2060, 0x2064],
	[0x20d0, 0x20ff],
	[0xd800, 0xdfff],
	[0xfe00, 0xfe0f],
	[0xfe20, 0xfe2f],
	[0xfeff, 0xfeff],
	[0x1f3fb, 0x1f3ff],
	[0xe0000, 0xe0fff],
];

let bmpWidths: Uint8Array | undefined;

/** Widths of the Basic Multilingual Plane, one byte per code unit, built on first use. */
function bmpTable(): Uint8Array {
	if (bmpWidths === undefined) {
		const table = new Uint8Array(0x10000).fill(1);
		for (const [first, last] of WIDE_RANGES) {
			if (first < 0x10000) table.fill(2, first, Math.min(last, 0xffff) + 1);
		}
		for (const [first, last] of ZERO_RANGES) {
			if (first < 0x10000) table.fill(0, first, Math.min(last, 0xffff) + 1);
		}
		bmpWidths = table;
	}
	return bmpWidths;
}

function inRanges(codePoint: number, ranges: readonly (readonly [number, number])[]): boolean {
	for (const [first, last] of ranges) {
		if (codePoint >= first && codePoint <= last) return true;
	}
	return false;
}

/** Terminal cells a code point takes: 0 (dropped: control or zero-width), 1, or 2 (wide). */
export function codePointWidth(codePoint: number): 0 | 1 | 2 {
	if (codePoint < 0x10000) return bmpTable()[codePoint] as 0 | 1 | 2;
	if (codePoint > 0x10ffff || inRanges(codePoint, ZERO_RANGES)) return 0;
	return inRanges(codePoint, WIDE_RANGES) ? 2 : 1;
}

/** Printable ASCII only: one column a character. */
const ASCII = /^[\x20-\x7e]*$/;

/** Columns `text` takes in a terminal. */
export function textWidth(text: string): number {
	if (ASCII.test(text)) return text.length;
	let width = 0;
	for (const character of text) width += codePointWidth(character.codePointAt(0)!);
	return width;
}

/**
 * The longest start of `text` that takes at most `width` columns (never half a wide character or a
 * surrogate pair), and the rest.
 */
export function splitAtWidth(text: string, width: number): [head: string, rest: string] {
	if (textWidth(text) <= width) return [text, ''];
	let used = 0;
	let end = 0;
	for (const character of text) {
		const size = textWidth(character);
		if (used + size > width) break;
		used += size;
		end += character.length;
	}
	return [text.slice(0, end), text.slice(end)];
}

/** `text` in at most `width` columns, ending in '…' when it had to be cut. */
export function truncateToWidth(text: string, width: number): string {
	if (textWidth(text) <= width) return text;
	if (width <= 0) return '';
	return `${splitAtWidth(text, width - 1)[0]}…`;
}

/** `text` and spaces after it to `width` columns (as `padEnd`, in columns). */
export function padEndToWidth(text: string, width: number): string {
	return text + ' '.repeat(Math.max(0, width - textWidth(text)));
}

/** Spaces and then `text` to `width` columns (as `padStart`, in columns). */
export function padStartToWidth(text: string, width: number): string {
	return ' '.repeat(Math.max(0, width - textWidth(text))) + text;
}
