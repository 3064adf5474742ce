/**
 * The frame writer's core property: after any sequence of frames, layers, resizes, repaints and
 * spells of backpressure, the screen a terminal emulator (xterm) shows after playing the
 * writer's bytes equals the composed frame, cell by cell (character, colors, attributes). Frames
 * are generated from a seeded generator as cells (wide characters and clipping included), turned
 * into Ink-style text with randomly chosen SGR forms, and the expected screen is composed here
 * independently of the writer's own code.
 */
import {describe, expect, it} from 'vitest';
import {Rng} from '../../../src/engine/rng.js';
import type {Canvas} from '../../../src/ui/terminal/cells.js';
import {FrameWriter} from '../../../src/ui/terminal/frame-writer.js';
import type {CellStyle, Color} from '../../../src/ui/terminal/style.js';
import {BITS, BLANK, emulator, FakeTerminal, firstDifference, settle} from './helpers.js';
import type {TestCell} from './helpers.js';

const ESC = '\u001B';
const NAMES = ['black', 'red', 'green', 'yellow', 'blue', 'magenta', 'cyan', 'white'];
const NARROW = 'abcdefghijklmnopqrstuvwxyz0123456789 .,:;-+*/=%()[]─│╭╮╰╯┤┼━┃═║╌×·…−';
const WIDE = '漢字日本語';
const LAYER_GLYPHS = '─│╭╮╰╯┤┼╌×ab ';

type Style = {readonly fg: number; readonly bg: number; readonly attrs: number};
/** A span of an Ink frame line: one character (wide ones take two columns) and its style. */
type Item = {readonly char: string; readonly wide: boolean; readonly style: Style};
type Frame = Item[][];

function randomStyle(rng: Rng): Style {
	const color = () => {
		const kind = rng.int(6);
		if (kind <= 1) return 0;
		if (kind === 2) return 1 + rng.int(8);
		if (kind === 3) return 1 + 8 + rng.int(8);
		if (kind === 4) return 1 + rng.int(256);
		return 257 + rng.int(0x1000000);
	};
	let attrs = 0;
	for (const bit of [BITS.bold, BITS.dim, BITS.italic, BITS.underline, BITS.inverse, BITS.strikethrough]) {
		if (rng.int(5) === 0) attrs |= bit;
	}
	if (rng.int(40) === 0) attrs |= BITS.blink;
	return {fg: rng.int(3) === 0 ? 0 : color(), bg: rng.int(3) === 0 ? color() : 0, attrs};
}

function randomLine(rng: Rng, width: number, styles: readonly Style[]): Item[] {
	const items: Item[] = [];
	let used = 0;
	const target = rng.int(width + 1);
	let style = styles[rng.int(styles.length)]!;
	while (used < target) {
		if (rng.int(6) === 0) style = styles[rng.int(styles.length)]!;
		const wide = rng.int(25) === 0;
		const pool = wide ? WIDE : NARROW;
		items.push({char: pool[rng.int(pool.length)]!, wide, style});
		used += wide ? 2 : 1;
	}
	return items;
}

/** SGR parameters for a color, in one of the forms chalk or another program might use. */
function colorSgr(color: number, base: 30 | 40, rng: Rng): string {
	if (color === 0) return String(base + 9);
	if (color >= 257) {
		const rgb = color - 257;
		const [r, g, b] = [(rgb >> 16) & 255, (rgb >> 8) & 255, rgb & 255];
		return rng.int(2) === 0 ? `${base + 8};2;${r};${g};${b}` : `${base + 8}:2::${r}:${g}:${b}`;
	}
	const index = color - 1;
	if (index < 16 && rng.int(3) > 0) return index < 8 ? String(base + index) : String(base + 60 + index - 8);
	return `${base + 8};5;${index}`;
}

const ON: Record<number, number> = {1: 1, 2: 2, 4: 3, 8: 4, 16: 5, 32: 7, 64: 8, 128: 9};
const OFF: Record<number, number> = {4: 23, 8: 24, 16: 25, 32: 27, 64: 28, 128: 29};

/** The escape sequences that change the pen from `from` to `to`: a full reset or an incremental change, at random. */
function sgr(from: Style, to: Style, rng: Rng): string {
	if (from.fg === to.fg && from.bg === to.bg && from.attrs === to.attrs) return '';
	const codes: string[] = [];
	if (rng.int(3) === 0) {
		codes.push(rng.int(2) === 0 ? '0' : '');
		for (const bit of Object.keys(ON).map(Number)) if (to.attrs & bit) codes.push(String(ON[bit]));
		if (to.fg) codes.push(colorSgr(to.fg, 30, rng));
		if (to.bg) codes.push(colorSgr(to.bg, 40, rng));
	} else {
		let attrs = from.attrs;
		if (attrs & ~to.attrs & (BITS.bold | BITS.dim)) {
			codes.push('22');
			attrs &= ~(BITS.bold | BITS.dim);
		}
		for (const bit of Object.keys(ON).map(Number)) {
			if (to.attrs & bit && !(attrs & bit)) codes.push(String(ON[bit]));
			else if (attrs & bit && !(to.attrs & bit)) codes.push(String(OFF[bit]));
		}
		if (from.fg !== to.fg) codes.push(colorSgr(to.fg, 30, rng));
		if (from.bg !== to.bg) codes.push(colorSgr(to.bg, 40, rng));
	}
	// chalk writes one sequence per code; others combine them.
	return rng.int(2) === 0 ? codes.map((code) => `${ESC}[${code}m`).join('') : `${ESC}[${codes.join(';')}m`;
}

const PLAIN: Style = {fg: 0, bg: 0, attrs: 0};

/** Ink-style text for a frame: lines joined by '\n', styles closed at each line's end or carried over, trailing plain spaces trimmed. */
function inkText(frame: Frame, rng: Rng): string {
	let pen = PLAIN;
	const lines = frame.map((items) => {
		let line = '';
		for (const item of items) {
			line += sgr(pen, item.style, rng) + item.char;
			pen = item.style;
		}
		if (rng.int(2) === 0) {
			line += sgr(pen, PLAIN, rng);
			pen = PLAIN;
			line = line.replace(/ +$/, '');
		}
		return line;
	});
	return lines.join('\n');
}

type TestLayer = {x: number; y: number; width: number; height: number; canvas: Canvas; styles: readonly Style[]};

function encode(color: Color | undefined): number {
	if (color === undefined) return 0;
	if (typeof color === 'number') return 1 + color;
	if (color.startsWith('#')) return 257 + Number.parseInt(color.slice(1), 16);
	return 1 + NAMES.indexOf(color);
}

function randomLayer(rng: Rng, cols: number, rows: number): TestLayer {
	const palette: CellStyle[] = [];
	const styles: Style[] = [];
	for (let k = 0; k < 1 + rng.int(4); k++) {
		const kind = rng.int(3);
		const fg: Color | undefined = kind === 0 ? NAMES[rng.int(NAMES.length)]! as Color : kind === 1 ? 16 + rng.int(240) : undefined;
		const bg: Color | undefined = rng.int(4) === 0 ? (`#${rng.int(0x1000000).toString(16).padStart(6, '0')}` as Color) : undefined;
		const dim = rng.int(3) === 0;
		const bold = rng.int(4) === 0;
		palette.push({fg, bg, dim, bold});
		styles.push({fg: encode(fg), bg: encode(bg), attrs: (dim ? BITS.dim : 0) | (bold ? BITS.bold : 0)});
	}
	const width = 1 + rng.int(cols);
	const height = 1 + rng.int(rows);
	const canvasWidth = Math.max(1, width + rng.int(3) - 1);
	const canvasHeight = Math.max(1, height + rng.int(3) - 1);
	const size = canvasWidth * canvasHeight;
	const chars = new Uint16Array(size);
	const cellStyles = new Uint8Array(size);
	for (let i = 0; i < size; i++) {
		chars[i] = rng.int(8) === 0 ? 0 : LAYER_GLYPHS.charCodeAt(rng.int(LAYER_GLYPHS.length));
		cellStyles[i] = rng.int(palette.length);
	}
	return {
		x: rng.int(cols + 2) - 1,
		y: rng.int(rows + 2) - 1,
		width,
		height,
		canvas: {width: canvasWidth, height: canvasHeight, chars, styles: cellStyles, palette},
		styles,
	};
}

/** The screen a user should see: the frame's cells, clipped, then the layers, then orphaned wide halves blanked. */
function compose(frame: Frame, layers: readonly TestLayer[], cols: number, rows: number, color: boolean): TestCell[][] {
	const screen: TestCell[][] = Array.from({length: rows}, () => Array.from({length: cols}, () => BLANK));
	const wideHead: boolean[][] = Array.from({length: rows}, () => Array.from({length: cols}, () => false));
	frame.slice(0, rows).forEach((items, y) => {
		let x = 0;
		for (const {char, wide, style} of items) {
			if (!wide && x < cols) screen[y]![x] = {char, ...style};
			if (wide && x + 1 < cols) {
				screen[y]![x] = {char, ...style};
				screen[y]![x + 1] = {char: '', ...style};
				wideHead[y]![x] = true;
			} else if (wide && x < cols) {
				screen[y]![x] = {char: ' ', ...style};
			}
			x += wide ? 2 : 1;
		}
	});
	for (const layer of layers) {
		const {canvas} = layer;
		for (let cy = 0; cy < Math.min(layer.height, canvas.height); cy++) {
			for (let cx = 0; cx < Math.min(layer.width, canvas.width); cx++) {
				const x = layer.x + cx;
				const y = layer.y + cy;
				const code = canvas.chars[cy * canvas.width + cx]!;
				if (x < 0 || y < 0 || x >= cols || y >= rows || code === 0) continue;
				screen[y]![x] = {char: String.fromCharCode(code), ...layer.styles[canvas.styles[cy * canvas.width + cx]!]!};
				wideHead[y]![x] = false;
			}
		}
	}
	for (let y = 0; y < rows; y++) {
		for (let x = 0; x < cols; x++) {
			const cell = screen[y]![x]!;
			const isTail = cell.char === '';
			if (wideHead[y]![x] && screen[y]![x + 1]?.char !== '') screen[y]![x] = {...cell, char: ' '};
			else if (isTail && !wideHead[y]![x - 1]) screen[y]![x] = {...cell, char: ' '};
			else if (wideHead[y]![x]) x++;
		}
	}
	if (!color) {
		for (const row of screen) row.forEach((cell, x) => (row[x] = {...cell, fg: 0, bg: 0}));
	}
	return screen;
}

async function race(seed: number, color: boolean, steps: number): Promise<void> {
	const rng = Rng.fromSeed(seed, 'frame-writer');
	let cols = 2 + rng.int(40);
	let rows = 1 + rng.int(12);
	const term = new FakeTerminal(cols, rows);
	const writer = new FrameWriter(term, {color});
	const emu = emulator(cols, rows);
	writer.start();
	const styles = Array.from({length: 12}, () => randomStyle(rng));
	let frame: Frame = [];
	let drawn: Frame = [];
	let backedUp = false;
	let layers = new Map<string, TestLayer>();
	for (let step = 0; step < steps; step++) {
		if (rng.int(12) === 0) {
			cols = 2 + rng.int(40);
			rows = 1 + rng.int(12);
			term.resize(cols, rows);
			emu.term.resize(cols, rows);
		}
		const change = rng.int(10);
		let write = true;
		if (change === 0 || frame.length === 0) {
			frame = Array.from({length: 1 + rng.int(rows + 2)}, () => randomLine(rng, cols + 3, styles));
		} else if (change <= 6) {
			// A few lines change, as in a live table.
			frame = frame.map((line) => (rng.int(4) === 0 ? randomLine(rng, cols + 3, styles) : line));
		} else if (change === 9) {
			// Only the layers (or nothing) change this time.
			write = false;
		}
		const text = inkText(frame, rng);
		if (write) writer.write(text);
		// A write with nothing to draw (no character, no line break) is not a frame: the screen keeps the last one.
		if (write && /[^\u001B]/.test(text.replace(/\u001B\[[\d;:]*m/g, ''))) drawn = frame;
		if (rng.int(4) === 0) {
			const id = `layer${rng.int(3)}`;
			if (rng.int(4) === 0) {
				layers.delete(id);
				writer.setLayer(id, null);
			} else {
				const layer = randomLayer(rng, cols, rows);
				// Re-setting an id keeps its place in the stack.
				layers = new Map(layers).set(id, layer);
				writer.setLayer(id, {x: layer.x, y: layer.y, width: layer.width, height: layer.height}, layer.canvas);
			}
		}
		if (rng.int(30) === 0) writer.invalidate();
		// Now and then the terminal backs up: frames are put off until it drains.
		if (!backedUp && rng.int(15) === 0) {
			term.accept = false;
			backedUp = true;
		}
		await settle();
		if (backedUp && rng.int(3) === 0) {
			term.drain();
			backedUp = false;
		}
		await emu.feed(term.take());
		if (backedUp) continue;
		const expected = compose(drawn, [...layers.values()], cols, rows, color);
		const difference = firstDifference(emu.screen(), expected);
		expect(difference, `seed ${seed}, step ${step}, ${cols}×${rows}`).toBeUndefined();
	}
	writer.stop();
	await emu.feed(term.take());
	expect(emu.term.buffer.active.type).toBe('normal');
	expect(writer.stats.deferred).toBeGreaterThan(0);
}

describe('FrameWriter on a terminal emulator', () => {
	it('shows exactly the composed frame after every present (random frames, layers, resizes; colors on)', async () => {
		for (const seed of [1, 2, 3, 5, 8]) await race(seed, true, 120);
	});

	it('shows exactly the composed frame without colors (NO_COLOR)', async () => {
		await race(4, false, 120);
	});
});
