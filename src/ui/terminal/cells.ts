/**
 * Cells: how many terminal columns a character takes, and the canvas a layer is drawn from.
 *
 * gdrace only draws single-width glyphs, but the frame writer treats anything else defensively:
 * a wide character (CJK, most emoji) takes two cells, a zero-width one (combining marks, joiners,
 * variation selectors) and control characters are dropped. The table is a close approximation of
 * Unicode's East Asian Width (W and F) as terminals apply it, not a full grapheme-cluster model.
 */
import type {CellStyle} from './style.js';

export {codePointWidth} from '../../text-width.js';

/** A rectangle of cells, 0-based from the screen's top-left corner. */
export type CellRect = {
	readonly x: number;
	readonly y: number;
	readonly width: number;
	readonly height: number;
};

/**
 * A block of cells to lay over Ink's frame: the chart's plot area. Row-major, `width × height`
 * cells. Each cell is one UTF-16 code unit of a single-width glyph (0 = transparent: the cell
 * below shows; control characters are transparent too) and an index into `palette`.
 */
export type Canvas = {
	readonly width: number;
	readonly height: number;
	/** Character codes, `width × height`, row-major; 0 is transparent. */
	readonly chars: Uint16Array;
	/** Index into `palette` per cell, `width × height`. */
	readonly styles: Uint8Array;
	/** The styles the cells use (at most 256). Reuse the same array across frames: it is interned once. */
	readonly palette: readonly CellStyle[];
};

/** Stands in a grid for the right half of a wide character (never a real character: NUL is dropped). */
export const WIDE_TAIL = 0;

/** The blank cell's character. */
export const SPACE = 0x20;

/** Bytes a code point takes in UTF-8. */
export function utf8Length(codePoint: number): number {
	return codePoint < 0x80 ? 1 : codePoint < 0x800 ? 2 : codePoint < 0x10000 ? 3 : 4;
}

/** A blank canvas (spaces in palette style 0) of `width × height` cells. */
export function blankCanvas(width: number, height: number, palette: readonly CellStyle[]): Canvas {
	const size = Math.max(0, width) * Math.max(0, height);
	return {width, height, chars: new Uint16Array(size).fill(SPACE), styles: new Uint8Array(size), palette};
}
