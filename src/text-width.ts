/**
 * Text measured in terminal columns, not in UTF-16 code units: a CSV's column names may be Korean
 * (`방수`, 4 columns for 2 code units), Chinese, Japanese or emoji, and a table padded by
 * `.length` puts every cell after such a name out of line. Used wherever gdrace pads, cuts or
 * wraps text that can hold names from the data (the summary, the weights table, the map's axis,
 * the help). In dist/ `string-width` is the bundle's fast stand-in (src/build/fast-string-width.mjs),
 * which answers ASCII and gdrace's own symbols from a table.
 */
import stringWidth from 'string-width';

/** Columns `text` takes in a terminal. */
export function textWidth(text: string): number {
	return stringWidth(text);
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
