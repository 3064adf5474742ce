import {describe, expect, it} from 'vitest';
import {blankCanvas} from '../../../src/ui/terminal/cells.js';
import type {Canvas} from '../../../src/ui/terminal/cells.js';
import {FrameWriter, SYNC_BEGIN, SYNC_END} from '../../../src/ui/terminal/frame-writer.js';
import type {CellStyle} from '../../../src/ui/terminal/style.js';
import {BITS, emulator, FakeTerminal, settle} from './helpers.js';

const ESC = '\u001B';

/** A writer on a fake terminal with an emulator beside it; `frame` writes, presents and plays the bytes back. */
async function setup(cols: number, rows: number, options: {color?: boolean; altScreen?: boolean} = {}) {
	const term = new FakeTerminal(cols, rows);
	const writer = new FrameWriter(term, options);
	const emu = emulator(cols, rows);
	writer.start();
	await settle();
	await emu.feed(term.take());
	return {
		term,
		writer,
		emu,
		/** Writes an Ink frame, lets the scheduled present run, plays the bytes; returns them. */
		async frame(text: string): Promise<string> {
			writer.write(text);
			await settle();
			const bytes = term.take();
			await emu.feed(bytes);
			return bytes;
		},
		async flush(): Promise<string> {
			await settle();
			const bytes = term.take();
			await emu.feed(bytes);
			return bytes;
		},
	};
}

function canvasOf(lines: readonly string[], palette: readonly CellStyle[], style = 0): Canvas {
	const width = Math.max(...lines.map((line) => line.length));
	const canvas = blankCanvas(width, lines.length, palette);
	lines.forEach((line, y) => {
		for (let x = 0; x < line.length; x++) {
			canvas.chars[y * width + x] = line === '' ? 0 : line.charCodeAt(x);
			canvas.styles[y * width + x] = style;
		}
	});
	return canvas;
}

describe('FrameWriter', () => {
	it('looks like a TTY of the terminal’s size to Ink, with 80×24 when the terminal reports none', () => {
		const term = new FakeTerminal(100, 30);
		const writer = new FrameWriter(term);
		expect(writer.isTTY).toBe(true);
		expect([writer.columns, writer.rows]).toEqual([100, 30]);
		term.columns = 0;
		term.rows = Number.NaN;
		expect([writer.columns, writer.rows]).toEqual([80, 24]);
	});

	it('enters the alternate screen with the cursor hidden and draws the frame there', async () => {
		const {emu, frame} = await setup(20, 4);
		expect(emu.term.buffer.active.type).toBe('alternate');
		expect(emu.cursorHidden()).toBe(true);
		expect(emu.term.modes.wraparoundMode).toBe(false);
		await frame('hello\n  world');
		expect(emu.rowText(0)).toBe('hello'.padEnd(20));
		expect(emu.rowText(1)).toBe('  world'.padEnd(20));
	});

	it('wraps every frame in one synchronized-output block', async () => {
		const {frame} = await setup(20, 4);
		const bytes = await frame('abc');
		expect(bytes.startsWith(SYNC_BEGIN)).toBe(true);
		expect(bytes.endsWith(SYNC_END)).toBe(true);
		expect(bytes.split(SYNC_BEGIN)).toHaveLength(2);
	});

	it('writes nothing for an unchanged frame', async () => {
		const {writer, frame} = await setup(20, 4);
		await frame(`${ESC}[31mred${ESC}[39m\nline two`);
		const before = writer.stats;
		expect(await frame(`${ESC}[31mred${ESC}[39m\nline two`)).toBe('');
		// The same cells written with other codes are the same frame too.
		expect(await frame(`${ESC}[38;5;1mred${ESC}[0m\nline two   `)).toBe('');
		expect(writer.stats).toEqual(before);
	});

	it('writes only the changed cells: one moved cursor and one character for a one-cell change', async () => {
		const {frame, emu} = await setup(40, 6);
		await frame('iteration 1234\nloss 30.5290\nfooter');
		const bytes = await frame('iteration 1235\nloss 30.5290\nfooter');
		expect(bytes).toBe(`${SYNC_BEGIN}${ESC}[1;14H${ESC}[0m5${SYNC_END}`);
		expect(emu.rowText(0).trimEnd()).toBe('iteration 1235');
	});

	it('rewrites a few unchanged cells rather than move over them, and moves over many', async () => {
		const {frame, emu} = await setup(40, 2);
		await frame('abcdef                        z');
		const near = await frame('XbcdeY                        z');
		expect(near).toContain('XbcdeY');
		const far = await frame('QbcdeY                        W');
		// From column 2 to column 31: a 29-cell move is shorter than 29 characters.
		expect(far).toContain(`Q${ESC}[29CW`);
		expect(emu.rowText(0)).toBe('QbcdeY                        W'.padEnd(40));
	});

	it('sends SGR only when the pen changes', async () => {
		const {frame, emu} = await setup(30, 2);
		await frame('x');
		const bytes = await frame(`${ESC}[1;36mone two${ESC}[22;39m ${ESC}[36mcyan${ESC}[39m`);
		// The blank between the words did not change and is moved over; cyan bold → cyan is just 22.
		expect(bytes.match(/\u001B\[[\d;]*m/g)).toEqual([`${ESC}[0;1;36m`, `${ESC}[22m`]);
		expect(emu.cell(0, 0)).toEqual({char: 'o', fg: 1 + 6, bg: 0, attrs: BITS.bold});
		expect(emu.cell(8, 0)).toEqual({char: 'c', fg: 1 + 6, bg: 0, attrs: 0});
	});

	it('erases the rest of a line that became shorter', async () => {
		const {frame, emu} = await setup(40, 2);
		await frame('a long line of text that will shrink');
		const bytes = await frame('a long');
		expect(bytes).toContain(`${ESC}[K`);
		expect(bytes.length).toBeLessThan(30);
		expect(emu.rowText(0)).toBe('a long'.padEnd(40));
	});

	it('repaints everything after invalidate()', async () => {
		const {writer, frame, flush, emu} = await setup(20, 3);
		await frame('top\nmiddle\nbottom');
		writer.invalidate();
		const bytes = await flush();
		expect(bytes).toContain(`${ESC}[2J`);
		for (const word of ['top', 'middle', 'bottom']) expect(bytes).toContain(word);
		expect([emu.rowText(0), emu.rowText(1), emu.rowText(2)].map((row) => row.trimEnd())).toEqual(['top', 'middle', 'bottom']);
	});

	it('follows a resize down to 1×1 and back without wrapping anything', async () => {
		const {term, writer, frame, flush, emu} = await setup(20, 4);
		let resizes = 0;
		writer.on('resize', () => resizes++);
		await frame('0123456789abcdefghij\nsecond line\nthird');
		term.resize(1, 1);
		// xterm's smallest screen is 2×1: the writer must leave the second column alone.
		emu.term.resize(2, 1);
		await flush();
		expect(resizes).toBe(1);
		expect(emu.cell(0, 0).char).toBe('0');
		expect(emu.cell(1, 0).char).toBe(' ');
		await frame('x\ny');
		expect(emu.cell(0, 0).char).toBe('x');
		term.resize(20, 4);
		emu.term.resize(20, 4);
		await frame('0123456789abcdefghij\nsecond line\nthird');
		expect([0, 1, 2, 3].map((y) => emu.rowText(y).trimEnd())).toEqual(['0123456789abcdefghij', 'second line', 'third', '']);
	});

	it('drops every color with color off and keeps the attributes NO_COLOR allows', async () => {
		const {frame, emu} = await setup(20, 2, {color: false});
		const bytes = await frame(`${ESC}[1;31;44mbold red${ESC}[0m ${ESC}[2;38;2;1;2;3mdim${ESC}[0m`);
		expect(bytes).not.toMatch(/\u001B\[[\d;]*(3[0-8]|4[0-8]|9\d|10\d)[;m]/);
		expect(emu.cell(0, 0)).toEqual({char: 'b', fg: 0, bg: 0, attrs: BITS.bold});
		expect(emu.cell(9, 0)).toEqual({char: 'd', fg: 0, bg: 0, attrs: BITS.dim});
	});

	it('lays layers over Ink’s frame, in order, clipped to their rect and the screen', async () => {
		const {writer, frame, flush, emu} = await setup(12, 4);
		await frame('ABCDEFGHIJKL\nabcdefghijkl\n0123456789');
		const palette: CellStyle[] = [{fg: 'green'}, {fg: 'red', dim: true}];
		writer.setLayer('plot', {x: 2, y: 1, width: 3, height: 2}, canvasOf(['─╭╮#', '│╰╯#', '####'], palette));
		await flush();
		expect(emu.rowText(1)).toBe('ab─╭╮fghijkl');
		expect(emu.rowText(2)).toBe('01│╰╯56789  ');
		expect(emu.cell(2, 1)).toEqual({char: '─', fg: 1 + 2, bg: 0, attrs: 0});
		// A transparent cell (0) shows what is below; a later layer is drawn on top.
		const top = canvasOf(['x', ''], palette, 1);
		top.chars[1] = 0;
		writer.setLayer('top', {x: 10, y: 0, width: 5, height: 5}, top);
		await flush();
		expect(emu.rowText(0)).toBe('ABCDEFGHIJxL');
		expect(emu.cell(10, 0)).toEqual({char: 'x', fg: 1 + 1, bg: 0, attrs: BITS.dim});
		writer.setLayer('plot', null);
		await flush();
		expect(emu.rowText(1)).toBe('abcdefghijkl');
	});

	it('sends an Ink frame and a layer change made in the same tick as one write', async () => {
		const {term, writer, emu} = await setup(20, 3);
		writer.write('frame one');
		writer.setLayer('plot', {x: 0, y: 1, width: 3, height: 1}, canvasOf(['abc'], [{}]));
		await settle();
		expect(term.chunks).toHaveLength(1);
		await emu.feed(term.take());
		expect(emu.rowText(1).trimEnd()).toBe('abc');
		expect(writer.stats.frames).toBe(2); // the first is start()'s repaint: a clear of the empty screen
	});

	it('coalesces frames while the terminal is backed up and sends the newest against what was sent', async () => {
		const {term, writer, frame, emu} = await setup(20, 3);
		term.accept = false;
		await frame('first frame');
		expect(term.writableNeedDrain).toBe(true);
		writer.write('second frame');
		await settle();
		writer.write('third frame\nmore');
		await settle();
		expect(term.chunks).toHaveLength(0);
		expect(writer.stats.deferred).toBe(2);
		term.drain();
		expect(term.chunks).toHaveLength(1);
		await emu.feed(term.take());
		expect(emu.rowText(0).trimEnd()).toBe('third frame');
		expect(emu.rowText(1).trimEnd()).toBe('more');
	});

	it('ignores Ink’s bare escape writes and empty writes', async () => {
		const {frame, emu} = await setup(20, 2);
		await frame('kept');
		expect(await frame(`${ESC}[?25h`)).toBe('');
		expect(await frame('')).toBe('');
		expect(emu.rowText(0).trimEnd()).toBe('kept');
		expect(emu.cursorHidden()).toBe(true);
	});

	it('stop() restores the terminal, once, and frames after it are ignored', async () => {
		const {term, writer, frame, emu} = await setup(20, 2);
		await frame(`${ESC}[1;35mbold${ESC}[0m`);
		writer.stop();
		const restore = term.take();
		await emu.feed(restore);
		expect(emu.term.buffer.active.type).toBe('normal');
		expect(emu.cursorHidden()).toBe(false);
		expect(emu.term.modes.wraparoundMode).toBe(true);
		expect(restore).toContain(`${ESC}[0m`);
		writer.stop();
		expect(term.chunks).toHaveLength(0);
		expect(await frame('after stop')).toBe('');
		// A new start draws the newest frame in full again.
		writer.start();
		await settle();
		await emu.feed(term.take());
		expect(emu.term.buffer.active.type).toBe('alternate');
		expect(emu.rowText(0).trimEnd()).toBe('after stop');
	});

	it('draws in the main screen with altScreen off', async () => {
		const {term, emu, frame} = await setup(20, 2, {altScreen: false});
		await frame('main');
		expect(emu.term.buffer.active.type).toBe('normal');
		expect(emu.rowText(0).trimEnd()).toBe('main');
		expect(term.chunks).toHaveLength(0);
	});

	it('keeps colors right when frames bring more distinct styles than its ids hold (the table is rebuilt)', async () => {
		const {frame, emu} = await setup(40, 25);
		let rebuilt = false;
		let color = 0;
		// 36 frames of 1000 new truecolors each: past the 32768 styles that trigger a rebuild.
		for (let k = 0; k < 36; k++) {
			const first = color;
			const lines = Array.from({length: 25}, () => {
				let line = '';
				for (let x = 0; x < 40; x++) line += `${ESC}[38;2;${(color >> 16) & 255};${(color >> 8) & 255};${color++ & 255}mx`;
				return `${line}${ESC}[39m`;
			});
			const bytes = await frame(lines.join('\n'));
			if (k > 0 && bytes.includes(`${ESC}[2J`)) rebuilt = true;
			expect(emu.cell(0, 0).fg).toBe(257 + first);
			expect(emu.cell(39, 24).fg).toBe(257 + color - 1);
		}
		expect(rebuilt).toBe(true);
	});

	it('counts bytes as UTF-8', async () => {
		const {term, writer} = await setup(20, 2);
		const before = writer.stats.bytes;
		writer.write('─');
		await settle();
		const written = term.take();
		expect(writer.stats.bytes - before).toBe(Buffer.byteLength(written));
		expect(Buffer.byteLength(written)).toBeGreaterThan(written.length);
	});
});
