/**
 * Reserved rows: Ink's frame flows around the rows left to layers, so a screen of mostly
 * layers is a short frame for Ink. And the TextLayer's canvas: text spans to cells.
 */
import {afterEach, beforeEach, describe, expect, it, vi} from 'vitest';
import {spansCanvas} from '../../../src/ui/components/TextLayer.js';
import {FrameWriter} from '../../../src/ui/terminal/frame-writer.js';
import {emulator, FakeTerminal, settle} from './helpers.js';

async function setup(cols: number, rows: number) {
	const term = new FakeTerminal(cols, rows);
	const writer = new FrameWriter(term);
	const emu = emulator(cols, rows);
	writer.start();
	await settle();
	await emu.feed(term.take());
	const show = async (): Promise<string[]> => {
		await settle();
		await emu.feed(term.take());
		return Array.from({length: rows}, (_, y) => emu.rowText(y).trimEnd());
	};
	return {term, writer, emu, show};
}

describe('FrameWriter.reserveRows', () => {
	it('pours Ink’s lines into the rows no band reserves, in order', async () => {
		const {writer, show} = await setup(12, 7);
		writer.reserveRows('chart', {y: 1, height: 2});
		writer.reserveRows('table', {y: 4, height: 1});
		writer.write('title\naxis\nheader\nfooter');
		expect(await show()).toEqual(['title', '', '', 'axis', '', 'header', 'footer']);
	});

	it('draws layers in the reserved rows and follows a band that moves or goes', async () => {
		const {writer, show} = await setup(10, 5);
		writer.write('a\nb\nc');
		writer.reserveRows('table', {y: 1, height: 1});
		writer.setLayer('table', {x: 0, y: 1, width: 5, height: 1}, spansCanvas([[{text: 'rows!'}]], 5, 1, [{}]));
		expect(await show()).toEqual(['a', 'rows!', 'b', 'c', '']);
		writer.reserveRows('table', {y: 0, height: 1});
		writer.setLayer('table', {x: 0, y: 0, width: 5, height: 1}, spansCanvas([[{text: 'top'}]], 5, 1, [{}]));
		expect(await show()).toEqual(['top', 'a', 'b', 'c', '']);
		writer.reserveRows('table', null);
		writer.setLayer('table', null);
		expect(await show()).toEqual(['a', 'b', 'c', '', '']);
	});

	it('ignores empty bands and clips bands below the screen', async () => {
		const {writer, show} = await setup(6, 3);
		writer.reserveRows('none', {y: 0, height: 0});
		writer.reserveRows('low', {y: 2, height: 10});
		writer.write('1\n2\n3');
		expect(await show()).toEqual(['1', '2', '']);
	});
});

describe('spansCanvas', () => {
	it('lays spans out left to right with their palette index, pads with blanks and clips', () => {
		const canvas = spansCanvas([[{text: 'ab'}, {text: 'cd', style: 2}], [{text: 'toolongline'}]], 5, 3, [{}, {}, {fg: 'red'}]);
		const rows = [0, 1, 2].map((y) => String.fromCharCode(...canvas.chars.subarray(y * 5, y * 5 + 5)));
		expect(rows).toEqual(['abcd ', 'toolo', '     ']);
		expect([...canvas.styles.subarray(0, 5)]).toEqual([0, 0, 2, 2, 0]);
	});

	it('turns wide, astral and control characters into ? so that every cell stays one column', () => {
		const canvas = spansCanvas([[{text: '漢😀\u0007é'}]], 4, 1, [{}]);
		expect(String.fromCharCode(...canvas.chars)).toBe('???é');
	});
});

describe('FrameWriter.declareSize', () => {
	// The writer's quarter second is measured on a fake clock (`performance.now` only: the emulator
	// needs real timers): a loaded machine that stalls between the resize and the check cannot let
	// it run out, and the test need not sleep through it.
	beforeEach(() => {
		vi.useFakeTimers({toFake: ['performance']});
	});
	afterEach(() => {
		vi.useRealTimers();
	});

	it('after a resize, waits for a frame laid out for the new size before drawing', async () => {
		const {term, writer, show} = await setup(12, 4);
		writer.declareSize(12, 4);
		writer.write('wide layout');
		expect((await show())[0]).toBe('wide layout');
		term.resize(8, 4);
		// Ink re-renders the old tree at the new width first: that frame is held back.
		writer.write('stale');
		await settle();
		expect(term.take()).toBe('');
		writer.write('narrow');
		writer.declareSize(8, 4);
		await settle();
		const bytes = term.take();
		expect(bytes).toContain('narrow');
		expect(bytes).not.toContain('stale');
	});

	it('draws anyway when no frame for the new size comes within a quarter second', async () => {
		const {term, writer} = await setup(12, 4);
		writer.declareSize(12, 4);
		writer.write('old');
		await settle();
		term.take();
		term.resize(9, 3);
		writer.write('still old');
		await settle();
		expect(term.take()).toBe('');
		vi.advanceTimersByTime(249);
		writer.present();
		expect(term.take()).toBe('');
		vi.advanceTimersByTime(2);
		// The writer's own retry (a real timer) draws it.
		let bytes = '';
		await vi.waitFor(() => {
			bytes += term.take();
			expect(bytes).toContain('still old');
		}, {timeout: 10_000});
	});
});
