/**
 * The real `gdrace` in a pseudo-terminal: `m` shows the map in place of the chart, the replay
 * keys move a cursor through the paused race (the header and the table follow), `e` smooths the
 * curves, the map is beside the chart from 160 columns, and NO_COLOR draws it without color.
 * Every wait polls the screen.
 */
import {afterEach, describe, expect, it} from 'vitest';
import {calculateLayout} from '../../src/ui/layout.js';
import type {FullLayout} from '../../src/ui/layout.js';
import {OPTIMUM_GLYPH, START_GLYPH} from '../../src/ui/map.js';
import {disposeAll, spawnGdrace} from './pty.js';
import type {TerminalSession} from './pty.js';

afterEach(disposeAll);

const TIMEOUT = 20_000;

function layoutFor(columns: number, rows: number): FullLayout {
	const layout = calculateLayout(columns, rows, 4, 2);
	if (layout.kind !== 'full') throw new Error(`${columns}×${rows} is too small`);
	return layout;
}

function line(term: TerminalSession, row: number): string {
	return term.screen()[row] ?? '';
}

async function quit(term: TerminalSession): Promise<void> {
	term.press('q');
	expect(await term.waitForExit(10_000)).toEqual({exitCode: 0, signal: null});
	expect(term.isAltScreen()).toBe(false);
}

describe('the landscape in the real CLI', () => {
	it('`m` shows the map in place of the chart and back; `e` smooths; replay after a pause', async () => {
		const term = spawnGdrace(['--speed', '1024'], {cols: 100, rows: 30});
		const layout = layoutFor(100, 30);
		await term.waitFor(/^GD +[1-9][\d,]* /m, {timeout: 10_000});
		term.press('m');
		await term.waitFor((session) => /^map RM → LSTAT ↑/.test(session.screen()[layout.legend.y] ?? ''));
		// The frame may still be arriving: wait for the whole map.
		const plot = (session: TerminalSession): string => session.screen().slice(layout.plot.y, layout.plot.y + layout.plot.height).join('\n');
		await term.waitFor((session) => plot(session).includes(OPTIMUM_GLYPH) && plot(session).includes(START_GLYPH));
		await term.waitFor((session) => /^ +RM → /.test(session.screen()[layout.xAxis.y + 1] ?? ''));
		term.press('m');
		await term.waitFor((session) => /^1 /.test(session.screen()[layout.legend.y] ?? ''));

		term.press('e');
		await term.waitFor((session) => /smooth 0\.6$/.test(session.screen()[layout.legend.y] ?? ''));
		term.press('e');
		await term.waitFor((session) => /smooth 0\.9$/.test(session.screen()[layout.legend.y] ?? ''));

		term.press('space');
		await term.waitFor((session) => / paused$/.test(session.screen()[0] ?? '') && /^clock iteration [\d,]+ /.test(session.screen()[1] ?? ''));
		const position = Number(/^clock iteration ([\d,]+) /.exec(line(term, 1))![1]!.replace(/,/g, ''));
		term.press('left');
		await term.waitFor((session) => / replay$/.test(session.screen()[0] ?? ''));
		await term.waitFor((session) => /^replay at iteration [\d,]+ /.test(session.screen()[1] ?? ''));
		const at = Number(/^replay at iteration ([\d,]+) /.exec(line(term, 1))![1]!.replace(/,/g, ''));
		// The target is fractional (speed × time): the header shows it rounded down, the cursor is below it.
		expect(at).toBeLessThanOrEqual(position);
		// The table's GD row is at the cursor (or the last kept point before it).
		await term.waitFor((session) => {
			const gd = /^GD +([\d,]+) /m.exec(session.text());
			return gd !== null && Number(gd[1]!.replace(/,/g, '')) <= at;
		});
		term.press('home');
		await term.waitFor((session) => /^replay at iteration 0 /.test(session.screen()[1] ?? ''));
		await term.waitFor(/^GD +0 +0 +0\.0000 +0\.0000 +1\.0000 /m);
		term.press('end');
		await term.waitFor((session) => / paused$/.test(session.screen()[0] ?? ''));
		await quit(term);
	}, TIMEOUT);

	it('from 160 columns the map stands beside the chart, and NO_COLOR draws it without color', async () => {
		const term = spawnGdrace([], {cols: 170, rows: 40, env: {NO_COLOR: '1'}});
		const layout = layoutFor(170, 40);
		await term.waitFor((session) => /^1 .* map RM → LSTAT ↑/.test(session.screen()[layout.legend.y] ?? ''), {timeout: 10_000});
		await term.waitFor((session) => session.screen().slice(layout.plot.y, layout.plot.y + layout.plot.height).join('').includes(OPTIMUM_GLYPH));
		expect(term.usesColor()).toBe(false);
		for (const row of term.screen()) expect([...row].length).toBeLessThanOrEqual(170);
		await quit(term);
	}, TIMEOUT);
});
