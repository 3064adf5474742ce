/**
 * A screen as a grid of cells, and the parser that turns one of Ink's frames (text with SGR
 * sequences, lines separated by '\n') into one. The grid has the terminal's size: whatever lies
 * beyond its columns or rows is clipped, never wrapped.
 */
import {codePointWidth, SPACE, WIDE_TAIL} from './cells.js';
import {DEFAULT_STYLE} from './style.js';
import type {StyleTable} from './style.js';

/** Cells, row-major: a character (code point, or WIDE_TAIL) and an interned style each. */
export class Grid {
	readonly cols: number;
	readonly rows: number;
	/** Code point per cell; WIDE_TAIL for the right half of a wide character. */
	readonly codes: Uint32Array;
	/** Interned style id per cell. */
	readonly styles: Uint16Array;

	/** A blank grid (spaces, default style). Negative or fractional sizes are floored to >= 0. */
	constructor(cols: number, rows: number) {
		this.cols = Math.max(0, Math.floor(cols) || 0);
		this.rows = Math.max(0, Math.floor(rows) || 0);
		this.codes = new Uint32Array(this.cols * this.rows).fill(SPACE);
		this.styles = new Uint16Array(this.cols * this.rows);
	}

	/** Blanks every cell. */
	clear(): void {
		this.codes.fill(SPACE);
		this.styles.fill(DEFAULT_STYLE);
	}

	/** Copies another grid of the same size. */
	copyFrom(other: Grid): void {
		this.codes.set(other.codes);
		this.styles.set(other.styles);
	}

	/** One row as text (wide tails skipped, trailing spaces kept): for messages and tests. */
	rowText(y: number): string {
		let text = '';
		for (let x = 0; x < this.cols; x++) {
			const code = this.codes[y * this.cols + x]!;
			if (code !== WIDE_TAIL) text += String.fromCodePoint(code);
		}
		return text;
	}
}

const ESC = 0x1b;
const BEL = 0x07;
const NEWLINE = 0x0a;
const LEFT_BRACKET = 0x5b;
const RIGHT_BRACKET = 0x5d;
const BACKSLASH = 0x5c;
const LETTER_M = 0x6d;

/**
 * Index just past the escape sequence starting at `start` (an ESC), and for an SGR sequence its
 * parameters. CSI ends at its final byte (0x40–0x7E); OSC and the other string sequences (DCS,
 * SOS, PM, APC) at BEL or ST (`ESC \`); other escapes after their intermediates and final byte.
 */
function skipEscape(text: string, start: number): {end: number; sgr: string | undefined} {
	const n = text.length;
	const kind = text.charCodeAt(start + 1);
	if (kind === LEFT_BRACKET) {
		let j = start + 2;
		while (j < n) {
			const c = text.charCodeAt(j);
			if (c >= 0x40 && c <= 0x7e) break;
			j++;
		}
		if (j >= n) return {end: n, sgr: undefined};
		const params = text.slice(start + 2, j);
		// A private marker (`<=>?`) makes it something else, e.g. `ESC[>4;1m` (modifyOtherKeys).
		const isSgr = text.charCodeAt(j) === LETTER_M && !/[<=>?]/.test(params.charAt(0)) && /^[\d;:]*$/.test(params);
		return {end: j + 1, sgr: isSgr ? params : undefined};
	}
	if (kind === RIGHT_BRACKET || kind === 0x50 || kind === 0x58 || kind === 0x5e || kind === 0x5f) {
		let j = start + 2;
		while (j < n) {
			const c = text.charCodeAt(j);
			if (c === BEL) return {end: j + 1, sgr: undefined};
			if (c === ESC && text.charCodeAt(j + 1) === BACKSLASH) return {end: j + 2, sgr: undefined};
			j++;
		}
		return {end: n, sgr: undefined};
	}
	let j = start + 1;
	while (j < n && text.charCodeAt(j) >= 0x20 && text.charCodeAt(j) <= 0x2f) j++;
	return {end: Math.min(n, j + 1), sgr: undefined};
}

/** Whether a write holds anything to draw (a character or a line break), not only escape sequences. */
export function hasContent(text: string): boolean {
	let i = 0;
	const n = text.length;
	while (i < n) {
		const c = text.charCodeAt(i);
		if (c === ESC) {
			i = skipEscape(text, i).end;
			continue;
		}
		if (c === NEWLINE || c >= 0x20) return true;
		i++;
	}
	return false;
}

/**
 * Parses one frame into `grid` (cleared first). The style carries over line breaks as it does
 * in a terminal. Returns whether any wide character was placed.
 */
export function parseFrame(text: string, grid: Grid, table: StyleTable): boolean {
	grid.clear();
	const {cols, rows, codes, styles} = grid;
	const n = text.length;
	let style = DEFAULT_STYLE;
	let wide = false;
	let x = 0;
	let y = 0;
	let i = 0;
	while (i < n && y < rows) {
		const c = text.charCodeAt(i);
		if (c === NEWLINE) {
			y++;
			x = 0;
			i++;
			continue;
		}
		if (c === ESC) {
			const {end, sgr} = skipEscape(text, i);
			if (sgr !== undefined) style = table.applySgr(style, sgr);
			i = end;
			continue;
		}
		let codePoint = c;
		if (c >= 0xd800 && c <= 0xdbff && i + 1 < n) {
			const low = text.charCodeAt(i + 1);
			if (low >= 0xdc00 && low <= 0xdfff) {
				codePoint = 0x10000 + ((c - 0xd800) << 10) + (low - 0xdc00);
				i++;
			}
		}
		i++;
		const width = codePointWidth(codePoint);
		if (width === 0) continue;
		const at = y * cols + x;
		if (width === 1) {
			if (x < cols) {
				codes[at] = codePoint;
				styles[at] = style;
			}
			x++;
			continue;
		}
		if (x + 1 < cols) {
			codes[at] = codePoint;
			styles[at] = style;
			codes[at + 1] = WIDE_TAIL;
			styles[at + 1] = style;
			wide = true;
		} else if (x < cols) {
			// Half a wide character cannot be shown: the last column gets a blank instead.
			codes[at] = SPACE;
			styles[at] = style;
		}
		x += 2;
	}
	return wide;
}

/**
 * Blanks the halves of wide characters whose other half a layer covered (a terminal would do the
 * same, but then the writer's idea of the screen and the terminal's would differ).
 */
export function repairWide(grid: Grid): void {
	const {cols, rows, codes} = grid;
	for (let y = 0; y < rows; y++) {
		const row = y * cols;
		for (let x = 0; x < cols; x++) {
			const code = codes[row + x]!;
			if (code === WIDE_TAIL) {
				if (x === 0 || codePointWidth(codes[row + x - 1]!) !== 2) codes[row + x] = SPACE;
			} else if (code >= 0x1100 && codePointWidth(code) === 2) {
				if (x + 1 >= cols || codes[row + x + 1] !== WIDE_TAIL) codes[row + x] = SPACE;
				else x++;
			}
		}
	}
}
