/**
 * Word wrapping shared by the help overlay and the text summary. Plain TypeScript with no imports,
 * so the headless path can use it without loading anything of the live screen.
 */

/** `text` in lines of at most `width` characters, cut at spaces; a word longer than a line (a path) is cut. */
export function wrapWords(text: string, width: number): string[] {
	if (!(width < text.length)) return [text];
	const size = Math.max(1, width);
	const lines: string[] = [];
	let line = '';
	for (const word of text.split(/ +/)) {
		let rest = word;
		while (rest.length > size) {
			if (line !== '') lines.push(line);
			lines.push(rest.slice(0, size));
			line = '';
			rest = rest.slice(size);
		}
		if (line === '') line = rest;
		else if (line.length + 1 + rest.length <= size) line += ` ${rest}`;
		else {
			lines.push(line);
			line = rest;
		}
	}
	lines.push(line);
	return lines;
}
