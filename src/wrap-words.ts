/**
 * Word wrapping shared by the help overlay and the text summary, in terminal columns (a data
 * set's Korean or Chinese names take two a character). Nothing of the live screen is imported, so
 * the headless path can use it.
 */
import {splitAtWidth, textWidth} from './text-width.js';

/** `text` in lines of at most `width` columns, cut at spaces; a word longer than a line (a path) is cut. */
export function wrapWords(text: string, width: number): string[] {
	if (!(width < textWidth(text))) return [text];
	const size = Math.max(1, width);
	const lines: string[] = [];
	let line = '';
	for (const word of text.split(/ +/)) {
		let rest = word;
		while (textWidth(rest) > size) {
			if (line !== '') lines.push(line);
			let [head, tail] = splitAtWidth(rest, size);
			// A character wider than the whole line goes on a line of its own.
			if (head === '') {
				const first = String.fromCodePoint(rest.codePointAt(0)!).length;
				[head, tail] = [rest.slice(0, first), rest.slice(first)];
			}
			lines.push(head);
			line = '';
			rest = tail;
		}
		if (rest === '') continue;
		if (line === '') line = rest;
		else if (textWidth(line) + 1 + textWidth(rest) <= size) line += ` ${rest}`;
		else {
			lines.push(line);
			line = rest;
		}
	}
	if (line !== '' || lines.length === 0) lines.push(line);
	return lines;
}
