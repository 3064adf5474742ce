/**
 * Test helpers for the frame writer: a fake terminal stream that records what is written, and a
 * headless xterm that plays those bytes back so that a test reads the screen a user would see.
 */
import {EventEmitter} from 'node:events';
import xterm from '@xterm/headless';

/** A terminal stream: records writes, reports a size, and can pretend to be backed up. */
export class FakeTerminal extends EventEmitter {
	columns: number;
	rows: number;
	/** What `write` returns (false: the stream asks the writer to wait for 'drain'). */
	accept = true;
	writableNeedDrain = false;
	readonly chunks: string[] = [];

	constructor(columns: number, rows: number) {
		super();
		this.columns = columns;
		this.rows = rows;
	}

	write(data: string): boolean {
		this.chunks.push(data);
		if (!this.accept) this.writableNeedDrain = true;
		return this.accept;
	}

	/** Everything written since the last call. */
	take(): string {
		const data = this.chunks.join('');
		this.chunks.length = 0;
		return data;
	}

	resize(columns: number, rows: number): void {
		this.columns = columns;
		this.rows = rows;
		this.emit('resize');
	}

	drain(): void {
		this.accept = true;
		this.writableNeedDrain = false;
		this.emit('drain');
	}
}

/** A cell as the tests compare them: text and style, colors encoded like the writer's (0 default, 1+n palette, 257+rgb). */
export type TestCell = {
	readonly char: string;
	readonly fg: number;
	readonly bg: number;
	readonly attrs: number;
};

/** Attribute bits, as in src/ui/terminal/style.ts (restated so that the tests check the encoding). */
export const BITS = {bold: 1, dim: 2, italic: 4, underline: 8, blink: 16, inverse: 32, hidden: 64, strikethrough: 128} as const;

export const BLANK: TestCell = {char: ' ', fg: 0, bg: 0, attrs: 0};

export type Emulator = {
	readonly term: xterm.Terminal;
	/** Plays bytes and waits until the emulator has parsed them. */
	feed(data: string): Promise<void>;
	cell(x: number, y: number): TestCell;
	rowText(y: number): string;
	screen(): TestCell[][];
	/** Whether the cursor is hidden (DECTCEM), read from xterm's core. */
	cursorHidden(): boolean;
};

export function emulator(cols: number, rows: number): Emulator {
	const term = new xterm.Terminal({cols, rows, allowProposedApi: true});
	const feed = (data: string) => new Promise<void>((resolve) => term.write(data, resolve));
	const cell = (x: number, y: number): TestCell => {
		const line = term.buffer.active.getLine(y);
		const c = line?.getCell(x);
		if (!c) return BLANK;
		const color = (mode: 'fg' | 'bg'): number => {
			if (mode === 'fg') {
				if (c.isFgDefault()) return 0;
				return c.isFgRGB() ? 257 + c.getFgColor() : 1 + c.getFgColor();
			}
			if (c.isBgDefault()) return 0;
			return c.isBgRGB() ? 257 + c.getBgColor() : 1 + c.getBgColor();
		};
		let attrs = 0;
		if (c.isBold()) attrs |= BITS.bold;
		if (c.isDim()) attrs |= BITS.dim;
		if (c.isItalic()) attrs |= BITS.italic;
		if (c.isUnderline()) attrs |= BITS.underline;
		if (c.isBlink()) attrs |= BITS.blink;
		if (c.isInverse()) attrs |= BITS.inverse;
		if (c.isInvisible()) attrs |= BITS.hidden;
		if (c.isStrikethrough()) attrs |= BITS.strikethrough;
		// The right half of a wide character reads as width 0, no text.
		const char = c.getWidth() === 0 ? '' : c.getChars() || ' ';
		return {char, fg: color('fg'), bg: color('bg'), attrs};
	};
	return {
		term,
		feed,
		cell,
		rowText(y) {
			let text = '';
			for (let x = 0; x < term.cols; x++) text += cell(x, y).char;
			return text;
		},
		screen() {
			const screen: TestCell[][] = [];
			for (let y = 0; y < term.rows; y++) {
				const row: TestCell[] = [];
				for (let x = 0; x < term.cols; x++) row.push(cell(x, y));
				screen.push(row);
			}
			return screen;
		},
		cursorHidden() {
			const core = (term as unknown as {_core: {coreService: {isCursorHidden: boolean}}})._core;
			return core.coreService.isCursorHidden;
		},
	};
}

/** The first cell where two screens differ, described, or undefined when equal. */
export function firstDifference(actual: TestCell[][], expected: TestCell[][]): string | undefined {
	if (actual.length !== expected.length) return `rows: ${actual.length} vs ${expected.length}`;
	for (let y = 0; y < expected.length; y++) {
		const a = actual[y]!;
		const e = expected[y]!;
		if (a.length !== e.length) return `row ${y} columns: ${a.length} vs ${e.length}`;
		for (let x = 0; x < e.length; x++) {
			const ac = a[x]!;
			const ec = e[x]!;
			if (ac.char !== ec.char || ac.fg !== ec.fg || ac.bg !== ec.bg || ac.attrs !== ec.attrs) {
				return `cell (${x}, ${y}): got ${JSON.stringify(ac)}, expected ${JSON.stringify(ec)}`;
			}
		}
	}
	return undefined;
}

/** Lets queued microtasks (the writer's scheduled present) run. */
export async function settle(): Promise<void> {
	await new Promise<void>((resolve) => setImmediate(resolve));
}
