/**
 * Plays an asciicast v2 recording back through a headless xterm.js, as `asciinema play` would
 * draw it, and returns the screen at the end (or after a given number of events).
 */
// @xterm/headless is CommonJS without named ESM exports: its classes come off the default export.
import xterm from '@xterm/headless';

/** A parsed recording. */
export type Cast = {
	readonly header: {readonly version: number; readonly width: number; readonly height: number; readonly timestamp: number; readonly env: {readonly TERM: string}};
	readonly events: readonly (readonly [number, 'o' | 'r' | 'i' | 'm', string])[];
};

/** Parses the lines of an asciicast v2 file; throws on anything that is not one. */
export function parseCast(text: string): Cast {
	const lines = text.split('\n');
	if (lines.at(-1) !== '') throw new Error('a recording ends with a newline');
	const [head, ...rest] = lines.slice(0, -1);
	const header = JSON.parse(head ?? '') as Cast['header'];
	if (header.version !== 2) throw new Error(`not asciicast v2: ${head}`);
	const events = rest.map((line) => JSON.parse(line) as Cast['events'][number]);
	return {header, events};
}

/** The screen's lines (right-trimmed) after playing `count` events (all by default). */
export async function replayCast(text: string, count?: number): Promise<string[]> {
	const {header, events} = parseCast(text);
	const term = new xterm.Terminal({cols: header.width, rows: header.height, allowProposedApi: true, scrollback: 0});
	try {
		for (const [, kind, data] of events.slice(0, count ?? events.length)) {
			if (kind === 'o') await new Promise<void>((resolve) => term.write(data, resolve));
			else if (kind === 'r') {
				const [cols, rows] = data.split('x').map(Number);
				term.resize(cols ?? header.width, rows ?? header.height);
			}
		}
		const buffer = term.buffer.active;
		return Array.from({length: term.rows}, (_, row) => buffer.getLine(buffer.baseY + row)?.translateToString(true) ?? '');
	} finally {
		term.dispose();
	}
}
