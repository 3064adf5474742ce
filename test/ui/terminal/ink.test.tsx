/**
 * The frame writer under a real Ink 6.8 render (debug mode, as the live screen uses it): what a
 * terminal shows is Ink's frame with the layers on top, a re-render sends only what changed, and
 * Ink's own cursor escape on unmount is not taken for a frame.
 */
import {Box, render, Text} from 'ink';
import {describe, expect, it} from 'vitest';
import {blankCanvas} from '../../../src/ui/terminal/cells.js';
import {FrameWriter, SYNC_BEGIN} from '../../../src/ui/terminal/frame-writer.js';
import {emulator, FakeTerminal, settle} from './helpers.js';

function Screen({count}: {readonly count: number}) {
	return (
		<Box flexDirection="column" width={40}>
			<Text bold>gdrace · boston.csv</Text>
			<Box height={2} />
			<Text>
				iteration <Text color="cyan">{String(count).padStart(5)}</Text>
			</Text>
		</Box>
	);
}

describe('FrameWriter under Ink', () => {
	it('shows Ink’s frames, sends only changes, and survives unmount', async () => {
		const term = new FakeTerminal(40, 8);
		const writer = new FrameWriter(term);
		const emu = emulator(40, 8);
		writer.start();
		const app = render(<Screen count={1} />, {stdout: writer.asStdout(), debug: true, patchConsole: false, exitOnCtrlC: false});
		await settle();
		await emu.feed(term.take());
		expect(emu.rowText(0).trimEnd()).toBe('gdrace · boston.csv');
		expect(emu.rowText(3).trimEnd()).toBe('iteration     1');

		// The plot's canvas goes in the empty box Ink laid out (rows 1–2).
		const canvas = blankCanvas(3, 2, [{fg: 'green'}]);
		canvas.chars.set([0x256d, 0x2500, 0x2500, 0x2502, 0x20, 0x20]);
		writer.setLayer('plot', {x: 0, y: 1, width: 3, height: 2}, canvas);
		app.rerender(<Screen count={2} />);
		await settle();
		const update = term.take();
		expect(update.split(SYNC_BEGIN)).toHaveLength(2);
		await emu.feed(update);
		expect(emu.rowText(1).trimEnd()).toBe('╭──');
		expect(emu.rowText(3).trimEnd()).toBe('iteration     2');

		app.rerender(<Screen count={3} />);
		await settle();
		const small = term.take();
		expect(Buffer.byteLength(small)).toBeLessThan(40);
		await emu.feed(small);

		expect(emu.rowText(3).trimEnd()).toBe('iteration     3');

		// Ink shows the cursor on unmount (its App's cleanup); the writer keeps it hidden until stop().
		app.unmount();
		await app.waitUntilExit();
		await settle();
		await emu.feed(term.take());
		expect(emu.cursorHidden()).toBe(true);
		writer.stop();
		await emu.feed(term.take());
		expect(emu.cursorHidden()).toBe(false);
		expect(emu.term.buffer.active.type).toBe('normal');
	});

	it('lets Ink lay out to the terminal’s width', async () => {
		const term = new FakeTerminal(30, 5);
		const writer = new FrameWriter(term);
		const emu = emulator(30, 5);
		writer.start();
		const app = render(<Text>{'x'.repeat(50)}</Text>, {stdout: writer.asStdout(), debug: true, patchConsole: false, exitOnCtrlC: false});
		await settle();
		await emu.feed(term.take());
		// Ink wraps the text at the writer's 30 columns.
		expect(emu.rowText(0)).toBe('x'.repeat(30));
		expect(emu.rowText(1).trimEnd()).toBe('x'.repeat(20));
		term.resize(20, 5);
		emu.term.resize(20, 5);
		// Ink re-renders on the writer's 'resize' itself, except when CI is set (is-in-ci): render anyway.
		app.rerender(<Text>{'x'.repeat(50)}</Text>);
		await settle();
		await emu.feed(term.take());
		expect([0, 1, 2].map((y) => emu.rowText(y).trimEnd())).toEqual(['x'.repeat(20), 'x'.repeat(20), 'x'.repeat(10)]);
		app.unmount();
		writer.dispose();
	});
});
