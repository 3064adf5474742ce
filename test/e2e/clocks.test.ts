/**
 * Issue 10's wrong numbers, on the real live screen (dist/cli.cjs in a pseudo-terminal): every
 * racer's position in the race's clock before and after a key or at a speed, checked against
 * `--json` run to the same point. Waits poll the screen; nothing depends on how fast the machine is.
 */
import {execFileSync} from 'node:child_process';
import {afterEach, describe, expect, it} from 'vitest';
import {disposeAll, gdraceCommand, spawnGdrace} from './pty.js';
import type {TerminalSession} from './pty.js';

afterEach(disposeAll);

/** Generous: Node loading Ink on a loaded machine takes seconds. */
const TIMEOUT = 60_000;
const LABELS = {GD: 'gd', SGD: 'sgd', 'MB-random': 'mb-random', 'MB-epoch': 'mb-epoch'} as const;
type Label = keyof typeof LABELS;

/** One racer's row of the table at 110 columns (upd/s shows from 106): racer iter samples RM LSTAT bias loss gap status upd/s. */
type Row = {readonly iter: string; readonly loss: string};

/** The racers' rows on screen, by label (empty when the table is not shown). */
function rows(term: TerminalSession): Partial<Record<Label, Row>> {
	const found: Partial<Record<Label, Row>> = {};
	for (const line of term.screen()) {
		const cells = line.trim().split(/\s+/);
		const label = cells[0] as Label;
		if (label in LABELS && /^[\d,.]+$/.test(cells[1] ?? '')) found[label] = {iter: cells[1]!, loss: cells[6]!};
	}
	return found;
}

/** The header's clock line. */
const clockLine = (term: TerminalSession): string => (term.screen()[1] ?? '').trimEnd();
/** The number in an `iter` cell: `5,000` → 5000, `2.47` → 2.47. */
const number = (text: string): number => Number(text.replace(/,/g, ''));

/**
 * The rows once every racer's rate shows 0/s: a frame found that nothing had run since the last
 * one (the rates fall to zero at once then), so a paused race has caught up, or the race is over.
 * (Two readings some time apart can agree on a loaded machine while racers still catch up.)
 */
async function steadyRows(term: TerminalSession): Promise<Partial<Record<Label, Row>>> {
	await term.waitFor(function allRatesZero(session) {
		const text = session.text();
		return Object.keys(LABELS).every((label) => new RegExp(`^${label} .* 0/s$`, 'm').test(text));
	});
	const found = rows(term);
	expect(Object.keys(found)).toHaveLength(4);
	return found;
}

type JsonRacer = {id: string; iterations: number; updates: number; samples: number; loss: number; status: string};

/** `gdrace --json` with `args`: its racers by id. */
function json(args: readonly string[]): Record<string, JsonRacer> {
	const [command, cli] = gdraceCommand();
	const out = execFileSync(command, [...cli, '--json', ...args], {encoding: 'utf8', env: {...process.env, NO_COLOR: '1'}});
	const racers = (JSON.parse(out) as {racers: JsonRacer[]}).racers;
	return Object.fromEntries(racers.map((racer) => [racer.id, racer]));
}

/** The shown loss is the JSON's to every digit shown. */
function expectSameLoss(shown: string, exact: number, what: string): void {
	const decimals = shown.split('.')[1]?.length ?? 0;
	expect(Math.abs(Number(shown) - exact), `${what}: shown ${shown}, --json ${exact}`).toBeLessThanOrEqual(0.5 * 10 ** -decimals + 1e-12);
}

/** mb-epoch's updates from its `iter` cell: whole passes × 17 plus the slice whose k/17 truncates to the shown hundredths. */
function mbEpochUpdates(iter: string): number {
	const [whole, hundredths = '00'] = iter.replace(/,/g, '').split('.');
	const k = [...Array(17).keys()].find((slice) => Math.floor((100 * slice) / 17) === Number(hundredths));
	if (k === undefined) throw new Error(`no slice shows as ${iter}`);
	return Number(whole) * 17 + k;
}

describe('the clocks on the live screen (issue 10)', () => {
	it('paused, `c c c` measures in samples, time and back: no racer moves, and each matches --json at that point (items 1, 3, 11)', async () => {
		const term = spawnGdrace(['--speed', '40'], {cols: 110, rows: 30});
		await term.waitFor((session) => number(rows(session).GD?.iter ?? '0') >= 3);
		term.press('space');
		await term.waitFor((session) => / paused$/.test(session.screen()[0] ?? ''));
		const before = await steadyRows(term);
		const header = clockLine(term);
		const level = Number(/^clock iteration ([\d,]+) \//.exec(header)![1]!.replace(/,/g, ''));
		// Level: GD, SGD and MB-random at the iteration the header shows, MB-epoch within a pass of it.
		for (const label of ['GD', 'SGD', 'MB-random'] as const) expect(number(before[label]!.iter), label).toBe(level);
		expect(number(before['MB-epoch']!.iter)).toBeGreaterThanOrEqual(level);
		expect(number(before['MB-epoch']!.iter)).toBeLessThan(level + 1);

		term.press('c');
		await term.waitFor((session) => clockLine(session).includes('x-axis samples'));
		expect(clockLine(term)).toMatch(new RegExp(`^clock iteration ${header.split(' ')[2]} / 5,000 · x-axis samples [\\d.]+–[\\d,.]+ passes · `));
		expect(term.screen().some((line) => /^ +passes /.test(line))).toBe(true); // the x-axis's unit
		term.press('c');
		await term.waitFor((session) => clockLine(session).includes('x-axis time'));
		term.press('c');
		await term.waitFor((session) => !clockLine(session).includes('x-axis'));
		expect(clockLine(term)).toBe(header);
		expect(await steadyRows(term)).toEqual(before);
		expect(term.screen()[0]).toMatch(/ paused$/);

		// The same point from --json: GD, SGD and MB-random at `level` iterations, MB-epoch at its slice.
		const reference = json(['--epochs', String(level)]);
		for (const label of ['GD', 'SGD', 'MB-random'] as const) {
			expect(reference[LABELS[label]]!.iterations).toBe(level);
			expectSameLoss(before[label]!.loss, reference[LABELS[label]]!.loss, label);
		}
		// MB-epoch mid-pass: its row's loss is the loss after exactly the updates its iteration shows.
		const updates = mbEpochUpdates(before['MB-epoch']!.iter);
		const [command, cli] = gdraceCommand();
		const log = execFileSync(command, [...cli, '--log', 'ndjson', '--optimizers', 'mb-epoch', '--epochs', String(level + 1)], {encoding: 'utf8'});
		const point = JSON.parse(log.trim().split('\n')[updates - 1]!) as {loss: number; iteration: number};
		expect(point.iteration).toBeCloseTo(updates / 17, 12);
		expectSameLoss(before['MB-epoch']!.loss, point.loss, 'MB-epoch');

		// `r` while paused restarts into a running race.
		term.press('r');
		await term.waitFor((session) => / running$/.test(session.screen()[0] ?? '') && /seed 2024/.test(clockLine(session)));
		term.press('q');
		expect((await term.waitForExit(20_000)).exitCode).toBe(0);
	}, TIMEOUT);

	it('at the highest speed the racers stay level with the clock shown, the speed shown is the one achieved, and --json agrees (item 2)', async () => {
		const term = spawnGdrace(['--speed', '1e9', '--epochs', '100000000'], {cols: 110, rows: 30});
		// No machine does 16.8M iterations a second of four racers: the header says what it achieves.
		await term.waitFor((session) => /^clock iteration [\d,]+ \/ 100,000,000 · speed \S+ it\/s \(set 16\.8M\) · /.test(clockLine(session)), {timeout: 30_000});
		const achieved = /speed (\S+) it\/s/.exec(clockLine(term))![1]!;
		expect(achieved).not.toBe('16.8M');
		await term.waitFor((session) => number(rows(session).GD?.iter ?? '0') >= 2000, {timeout: 30_000});
		term.press('space');
		await term.waitFor((session) => / paused$/.test(session.screen()[0] ?? ''));
		const shown = await steadyRows(term);
		const level = Number(/^clock iteration ([\d,]+) \//.exec(clockLine(term))![1]!.replace(/,/g, ''));
		for (const label of ['GD', 'SGD', 'MB-random'] as const) expect(number(shown[label]!.iter), label).toBe(level);
		expect(Math.floor(number(shown['MB-epoch']!.iter))).toBe(level);
		const reference = json(['--epochs', String(level), '--optimizers', 'gd,sgd,mb-random']);
		for (const label of ['GD', 'SGD', 'MB-random'] as const) expectSameLoss(shown[label]!.loss, reference[LABELS[label]]!.loss, label);
		term.press('q');
		expect((await term.waitForExit(20_000)).exitCode).toBe(0);
	}, TIMEOUT);

	it('when every racer diverges the header says where they stopped, and "diverged" (item 4)', async () => {
		const term = spawnGdrace(['--lr', '5'], {cols: 110, rows: 30});
		await term.waitFor((session) => / diverged$/.test(session.screen()[0] ?? ''));
		const reference = json(['--lr', '5']);
		const furthest = Math.max(...Object.values(reference).map((racer) => racer.iterations));
		expect(furthest).toBe(3);
		expect(clockLine(term)).toMatch(/^clock iteration 3 \/ 5,000 · /);
		const shown = await steadyRows(term);
		for (const label of Object.keys(LABELS) as Label[]) {
			expect(number(shown[label]!.iter), label).toBe(Math.floor(reference[LABELS[label]]!.iterations * 100) / 100);
		}
		term.press('q');
		expect((await term.waitForExit(20_000)).exitCode).toBe(0);
	}, TIMEOUT);

	it('after the race, `c` shows what each racer used in samples: SGD 20 rows of 20 passes (item 1)', async () => {
		const term = spawnGdrace(['--epochs', '20', '--speed', '1e6'], {cols: 110, rows: 30});
		await term.waitFor((session) => / done$/.test(session.screen()[0] ?? ''));
		term.press('c');
		await term.waitFor((session) => clockLine(session).includes('x-axis'));
		const reference = json(['--epochs', '20']);
		const low = Math.min(...Object.values(reference).map((racer) => racer.samples)) / 506;
		expect(low).toBeCloseTo(20 / 506, 12);
		expect(clockLine(term)).toMatch(/^clock iteration 20 \/ 20 · x-axis samples 0\.03953–20 passes · /);
		term.press('q');
		expect((await term.waitForExit(20_000)).exitCode).toBe(0);
	}, TIMEOUT);
});
