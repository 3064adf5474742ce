/**
 * The live learning-rate keys (issue 7) in the real `gdrace` in a pseudo-terminal: ↑/↓ move the
 * selection (› in the lr column), `]` doubles and `[` halves the selected racer's lr from its next
 * update on; the header shows the stable step bound and flags plain GD above it; the summary left
 * on quit and the export say when each lr changed. Every wait polls the screen.
 */
import {mkdtempSync, readFileSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterAll, afterEach, describe, expect, it} from 'vitest';
import {disposeAll, spawnGdrace} from './pty.js';
import type {TerminalSession} from './pty.js';

afterEach(disposeAll);
const scratch = mkdtempSync(join(tmpdir(), 'gdrace-lr-keys-'));
afterAll(() => rmSync(scratch, {recursive: true, force: true}));

/** Generous: Node loading Ink on a loaded machine takes seconds. */
const TIMEOUT = 60_000;

/** The lr cell of a racer's table row (before upd/s at 120 columns): the marker (› or blank) and the number. */
function lrCell(term: TerminalSession, label: string): string | undefined {
	const row = term.screen().find((line) => line.startsWith(`${label} `));
	const match = row === undefined ? null : /([› ]) *([\d.e+-]+!?) +\S+\/s$/.exec(row);
	return match === null ? undefined : `${match[1]}${match[2]}`;
}

/** Waits until a racer's lr cell reads `text` (e.g. '›0.02': selected, lr 0.02; ' 0.01': not selected). */
async function expectLr(term: TerminalSession, label: string, text: string): Promise<void> {
	await term.waitFor((session) => lrCell(session, label) === text, {timeout: 20_000});
}

describe('the lr keys', () => {
	it('↑/↓ select, ] doubles, [ halves; the header flags GD above 2/λmax; the summary and the export say when', async () => {
		const exported = join(scratch, 'history.csv');
		// 2 iterations a second: a few updates happen between the keys, as a user would see.
		const term = spawnGdrace(['--optimizers', 'gd,momentum,adam:lr=0.1', '--speed', '2', '--export', exported], {cols: 120, rows: 30});
		await term.waitFor(/^optimum /m, {timeout: 30_000});
		expect(term.screen().find((line) => line.startsWith('racer '))).toMatch(/ status +lr +upd\/s$/);
		// The first racer is selected at the start.
		await expectLr(term, 'GD', '›0.01');
		await expectLr(term, 'momentum', ' 0.01');
		await expectLr(term, 'adam', ' 0.1');
		expect(term.screen()[1]).toMatch(/ · lr < 2\/λmax = 0\.732$/);

		term.press(']');
		await expectLr(term, 'GD', '›0.02');
		term.press('up'); // already the first: stays
		term.press('down');
		await expectLr(term, 'momentum', '›0.01');
		await expectLr(term, 'GD', ' 0.02');
		term.press('[', '[');
		await expectLr(term, 'momentum', '›0.0025');
		term.press('down', ']');
		await expectLr(term, 'adam', '›0.2');
		term.press('down'); // already the last: stays
		term.press(']');
		await expectLr(term, 'adam', '›0.4');

		// GD from 0.02 to 1.28, above 2/λmax = 0.732: flagged in its lr cell and in the header.
		term.press('up', 'up', ']', ']', ']', ']', ']', ']');
		await expectLr(term, 'GD', '›1.28!');
		await term.waitFor((session) => / · lr < 2\/λmax = 0\.732: GD above!$/.test(session.screen()[1] ?? ''));

		term.press('q');
		expect(await term.waitForExit(20_000)).toEqual({exitCode: 0, signal: null});
		const lines = term.scrollback();
		const at = (id: string) => lines.findIndex((line) => line.startsWith(`  ${id} `));
		const racerLine = (id: string) => lines[at(id)] ?? '';
		const changesLine = (id: string) => (lines[at(id) + 1] ?? '').trim();
		expect(racerLine('gd')).toMatch(/^ {2}gd +Gradient descent +rule sgd, batch full \(506\), lr 0\.01 → 1\.28$/);
		expect(changesLine('gd')).toMatch(/^lr changes: 0\.02 @\d+, 0\.04 @\d+, 0\.08 @\d+, 0\.16 @\d+, 0\.32 @\d+, 0\.64 @\d+, 1\.28 @\d+ \(@ iteration\)$/);
		expect(racerLine('momentum')).toMatch(/^ {2}momentum +Momentum +rule momentum \(momentum 0\.9\), batch full \(506\), lr 0\.01 → 0\.0025$/);
		expect(changesLine('momentum')).toMatch(/^lr changes: 0\.005 @\d+, 0\.0025 @\d+ \(@ iteration\)$/);
		expect(racerLine('adam')).toMatch(/rule adam \(beta1 0\.9, beta2 0\.999, eps 1e-8\), batch full \(506\), lr 0\.1 → 0\.4$/);
		expect(changesLine('adam')).toMatch(/^lr changes: 0\.2 @\d+, 0\.4 @\d+ \(@ iteration\)$/);
		expect(lines.some((line) => /^Curvature λmax 2\.731, λmin 0\.01342, condition 203\.5, stable lr < 2\/λmax = 0\.7323$/.test(line))).toBe(true);

		// The export: each point's lr, changing where the summary says.
		const rows = readFileSync(exported, 'utf8').trimEnd().split('\n').slice(1).map((line) => line.split(','));
		const lrs = (id: string) => rows.filter((row) => row[0] === id).map((row) => Number(row[5]));
		// (The last points may predate the last change: a change applies from the next update on.)
		const momentum = lrs('momentum');
		expect(momentum[0]).toBe(0.01);
		expect([...new Set(momentum)]).toEqual([0.01, 0.005, 0.0025].filter((lr) => momentum.includes(lr)));
		const change = /^lr changes: 0\.005 @(\d+)/.exec(changesLine('momentum'));
		const changedAt = Number(change?.[1]);
		const momentumRows = rows.filter((row) => row[0] === 'momentum');
		for (const row of momentumRows) {
			if (Number(row[1]) <= changedAt) expect(Number(row[5])).toBe(0.01);
		}
		expect(lrs('adam').every((lr) => [0.1, 0.2, 0.4].includes(lr))).toBe(true);
	}, TIMEOUT);

	it('nine racers, without colors: each its own glyphs, every row in the table, everything within the width', async () => {
		const names = ['gd', 'sgd', 'mb-random', 'mb-epoch', 'momentum', 'nesterov', 'adagrad', 'rmsprop', 'adam'];
		const term = spawnGdrace(['--optimizers', names.join(','), '--no-color'], {cols: 100, rows: 30});
		await term.waitFor(/^optimum /m, {timeout: 30_000});
		const screen = term.screen();
		for (const line of screen) expect([...line].length).toBeLessThanOrEqual(100);
		const labels = ['GD', 'SGD', 'MB-random', 'MB-epoch', 'momentum', 'nesterov', 'adagrad', 'rmsprop', 'adam'];
		const table = screen.findIndex((line) => line.startsWith('racer '));
		labels.forEach((label, slot) => expect(screen[table + 1 + slot]).toMatch(new RegExp(`^${label} +[\\d,]+ `)));
		expect(screen[table + 10]).toMatch(/^optimum /);
		expect(screen[29]).toBe('');
		// The legend names as many as fit, each with its own glyph (no colors to tell them apart).
		const legend = screen[2] ?? '';
		const glyphs = [...legend.matchAll(/(?:^| )(\d) (\S)\2? /g)].map((match) => match[2]);
		expect(glyphs.length, legend).toBeGreaterThanOrEqual(5);
		expect(new Set(glyphs).size).toBe(glyphs.length);
		term.press('q');
		expect(await term.waitForExit(20_000)).toEqual({exitCode: 0, signal: null});
	}, TIMEOUT);
});

describe('showing and hiding the picked racer', () => {
	/** The cell under the first letter of a racer's row in the table (its name), and of the optimum row. */
	const nameCell = (term: TerminalSession, label: string) => term.cell(0, term.screen().findIndex((line) => line.startsWith(`${label} `)));

	it('`v` hides the picked racer, the tenth too: its name dims (and stays inverse while picked); the optimum row and upd/s are dim', async () => {
		const optimizers = 'gd,sgd,mb-random,mb-epoch,momentum,nesterov,adagrad,rmsprop,adam,gd:lr=0.02';
		for (const color of [[], ['--no-color']]) {
			const term = spawnGdrace(['--optimizers', optimizers, '--speed', '2', ...color], {cols: 120, rows: 40});
			await term.waitFor(/^optimum /m, {timeout: 30_000});
			expect(nameCell(term, 'optimum').dim).toBe(true);
			const gd = term.screen().findIndex((line) => line.startsWith('GD '));
			const rate = term.screen()[gd]!.search(/\S+\/s$/);
			expect(term.cell(rate, gd).dim).toBe(true);
			expect(nameCell(term, 'gd-2')).toMatchObject({dim: false, inverse: false});
			expect(nameCell(term, 'GD')).toMatchObject({dim: false, inverse: true});

			term.press(...Array.from({length: 9}, () => 'down'));
			await expectLr(term, 'gd-2', '›0.02');
			term.press('v');
			await term.waitFor((session) => nameCell(session, 'gd-2').dim, {timeout: 20_000});
			expect(nameCell(term, 'gd-2').inverse).toBe(true);
			term.press('up');
			await term.waitFor((session) => !nameCell(session, 'gd-2').inverse, {timeout: 20_000});
			// Hidden, not picked: dim only.
			expect(nameCell(term, 'gd-2')).toMatchObject({dim: true, inverse: false});
			expect(nameCell(term, 'adam')).toMatchObject({dim: false, inverse: true});
			term.press('down', 'v');
			await term.waitFor((session) => !nameCell(session, 'gd-2').dim, {timeout: 20_000});
			term.press('q');
			expect(await term.waitForExit(20_000)).toEqual({exitCode: 0, signal: null});
		}
	}, TIMEOUT);
});
