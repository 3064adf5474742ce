/**
 * The real `gdrace` (dist/cli.cjs) on its live screen, in a pseudo-terminal read through a headless
 * xterm: what a user sees at 100×30, pausing, help, resizing down to "too small" and back, the
 * ways out (q, Ctrl+C, --exit-on-finish) with the terminal restored and the summary left in the
 * scrollback, and no colors with NO_COLOR or --no-color.
 *
 * Every wait polls the screen (no fixed sleeps except the one that checks a paused race stays
 * put). The harness gives the program a user's environment, without CI, whatever the runner has.
 */
import {existsSync} from 'node:fs';
import {afterEach, describe, expect, it} from 'vitest';
import {footerText, NO_KEYS_TEXT} from '../../src/ui/components/Footer.js';
import {ACTIONS, KEYMAP, RUNNING} from '../../src/ui/keymap.js';
import {calculateLayout} from '../../src/ui/layout.js';
import type {FullLayout} from '../../src/ui/layout.js';
import {disposeAll, gdraceCommand, spawnGdrace, spawnTerminal} from './pty.js';
import type {TerminalSession} from './pty.js';

afterEach(disposeAll);

/** Each test takes about 2–4 s (most of it Node loading Ink); the waits are generous for a busy machine. */
const TIMEOUT = 60_000;

const RACERS = ['GD', 'SGD', 'MB-random', 'MB-epoch'] as const;

/** The table's optimum row is on screen: the race is shown (not the help, not "too small"). */
const RACE_SHOWN = /^optimum /m;

function layoutFor(columns: number, rows: number): FullLayout {
	const layout = calculateLayout(columns, rows, RACERS.length, 2);
	if (layout.kind !== 'full') throw new Error(`${columns}×${rows} is too small`);
	return layout;
}

/** GD's iteration count in the table, or undefined when its row is not on screen. */
function gdIterations(term: TerminalSession): number | undefined {
	const match = /^GD +([\d,]+) /m.exec(term.text());
	return match?.[1] === undefined ? undefined : Number(match[1].replace(/,/g, ''));
}

/**
 * Every racer's rate is 0/s: a frame found that nothing had run since the last one (the rates fall
 * to zero at once then), so a paused race has caught up with its frozen target.
 */
function allRatesZero(term: TerminalSession): boolean {
	const text = term.text();
	return RACERS.every((name) => new RegExp(`^${name} .* 0/s$`, 'm').test(text));
}

/** Rows (1-based) the program moved the cursor to with CUP (`ESC [ row ; col H`). */
function cursorRows(raw: string): number[] {
	return [...raw.matchAll(/\u001B\[(\d+)(?:;\d+)?H/g)].map((match) => Number(match[1]));
}

/** SGR parameters that set a color: 30–38/40–48 (and 39/49), 90–97, 100–107. */
function colorCodes(raw: string): string[] {
	const found: string[] = [];
	for (const match of raw.matchAll(/\u001B\[([\d;:]*)m/g)) {
		for (const parameter of (match[1] ?? '').split(/[;:]/)) {
			const code = Number(parameter);
			if (parameter !== '' && ((code >= 30 && code <= 49) || (code >= 90 && code <= 97) || (code >= 100 && code <= 107))) {
				found.push(match[0]);
			}
		}
	}
	return found;
}

/**
 * Checks that the screen is the race laid out for the terminal's size, row by row (a wrapped or
 * shifted line would move the rows below it), and that the last row is blank.
 */
function expectRaceLayout(term: TerminalSession): void {
	const layout = layoutFor(term.cols, term.rows);
	const screen = term.screen();
	for (const line of screen) expect([...line].length).toBeLessThanOrEqual(term.cols);
	expect(screen[0]).toMatch(/^gdrace {2}boston\.csv · 506 rows/);
	expect(screen[0]).toMatch(/ (running|paused|done)$/);
	expect(screen[1]).toMatch(/^clock iteration [\d,]+ \/ 5,000 · speed /);
	// Each racer's number, its glyph twice (once when short of room; without colors each has its own) and its name.
	RACERS.forEach((name, slot) => expect(screen[layout.legend.y]).toMatch(new RegExp(`(^| )${slot + 1} (\\S)\\2? ${name}\\b`)));
	// Then what the y-axis shows, at every width.
	expect(screen[layout.legend.y]).toMatch(/ (loss|loss \(log( scale)?\)|loss − L\* \(log scale\)|gap \(log\))$/);
	// The y-axis: labels ending in a tick '┤' or the axis '│' in the label column's last cell, every plot row.
	for (let row = layout.plot.y; row < layout.plot.y + layout.plot.height; row++) {
		expect(screen[row]![layout.plot.x], `plot row ${row}`).toMatch(/[┤│]/);
	}
	expect(screen[layout.plot.y]).toMatch(/^ *\S+ ┤/);
	expect(screen[layout.xAxis.y]).toMatch(/^ {10}└─+┬/);
	expect(screen[layout.xAxis.y + 1]).toMatch(/^ +iter 0 /);
	expect(screen[layout.table.y]).toMatch(/^racer +iter /);
	RACERS.forEach((name, slot) => expect(screen[layout.table.y + 1 + slot]).toMatch(new RegExp(`^${name} +[\\d,]+ `)));
	expect(screen[layout.table.y + 1 + RACERS.length]).toMatch(/^optimum /);
	expect(screen[layout.footer.y]).toBe(footerText(term.cols));
	expect(layout.height).toBe(term.rows - 1);
	expect(screen[term.rows - 1]!.trim()).toBe('');
}

/** Waits until the race is on screen, laid out for the current size (generous: Node loading Ink on a busy machine is slow). */
async function waitForRace(term: TerminalSession, timeout = 30_000): Promise<void> {
	await term.waitFor(
		function raceLaidOut(session) {
			try {
				expectRaceLayout(session);
				return true;
			} catch {
				return false;
			}
		},
		{timeout},
	);
	// Once more, outside the predicate, so that a failure says which row is wrong.
	expectRaceLayout(term);
}

/** The summary gdrace prints on its way out, read from the normal buffer's scrollback. */
function expectSummary(term: TerminalSession): string[] {
	const lines = term.scrollback();
	expect(lines.some((line) => /^Data {6}.*boston\.csv: 506 rows, RM, LSTAT → MEDV, scale minmax$/.test(line))).toBe(true);
	const results = lines.find((line) => line.startsWith('Results'));
	expect(results).toMatch(/^Results +gd +sgd +mb-random +mb-epoch +optimum$/);
	expect(lines.some((line) => /^loss +[\d.]+ +[\d.]+ +[\d.]+ +[\d.]+ +30\.51246878$/.test(line))).toBe(true);
	// The live screen was in the alternate buffer: none of it is left behind.
	expect(lines.join('\n')).not.toContain(footerText(100));
	expect(lines.join('\n')).not.toContain('┤');
	return lines;
}

/** The program ended with code 0 and left the terminal as it found it. */
async function expectCleanExit(term: TerminalSession): Promise<void> {
	expect(await term.waitForExit(30_000)).toEqual({exitCode: 0, signal: null});
	expect(term.isAltScreen()).toBe(false);
	expect(term.cursorVisible()).toBe(true);
}

describe('the live screen at 100×30', () => {
	it('shows the header, the legend, the chart with its axes, the table and the footer, and leaves the last row empty', async () => {
		const term = spawnGdrace([], {cols: 100, rows: 30});
		await waitForRace(term);
		expect(term.isAltScreen()).toBe(true);
		expect(term.cursorVisible()).toBe(false);
		const screen = term.screen();
		const layout = layoutFor(100, 30);
		expect(screen[layout.legend.y]).toContain('L* 30.5125');
		expect(screen[layout.table.y]).toMatch(/^racer +iter +samples +RM +LSTAT +bias +loss +gap +status$/);
		expect(screen[layout.table.y + 5]).toMatch(/^optimum +26\.5897 +-23\.2791 +15\.6730 +30\.512469 +L\*$/);
		expect(screen[layout.xAxis.y + 1]).toMatch(/ 5k$/);
		// Colors are on in a terminal by default.
		expect(term.usesColor()).toBe(true);
		// Nothing was ever drawn on the last row: it is untouched, not even blanked.
		expect(screen[29]).toBe('');
		expect(Math.max(...cursorRows(term.raw()))).toBeLessThanOrEqual(29);

		term.press('q');
		await expectCleanExit(term);
	}, TIMEOUT);

	it('space pauses (the header says so and GD’s iterations stop) and space resumes', async () => {
		// Wide enough for the upd/s column (from 106 columns), which says when nothing runs any more.
		const term = spawnGdrace([], {cols: 110, rows: 30});
		await term.waitFor((session) => (gdIterations(session) ?? 0) > 0);
		expect(term.screen()[0]).toMatch(/ running$/);

		term.press('space');
		await term.waitFor((session) => / paused$/.test(session.screen()[0] ?? ''));
		// Racers still catching up with the frozen target may take a frame or two: wait until nothing runs.
		await term.waitFor(allRatesZero);
		const paused = gdIterations(term) ?? 0;
		const clock = term.screen()[1];
		expect(paused).toBeGreaterThan(0);
		// Then it must not move for half a second (a window to watch, not a wait for something: a
		// slow machine can only make it see less).
		await new Promise((resolve) => setTimeout(resolve, 500));
		await term.settled();
		expect(gdIterations(term)).toBe(paused);
		expect(term.screen()[1]).toBe(clock);
		expect(term.screen()[0]).toMatch(/ paused$/);

		term.press('space');
		await term.waitFor((session) => / running$/.test(session.screen()[0] ?? ''));
		await term.waitFor((session) => (gdIterations(session) ?? 0) > paused);

		term.press('q');
		await expectCleanExit(term);
	}, TIMEOUT);

	it('`?` shows every key’s help and `?` hides it; Escape closes it too', async () => {
		const term = spawnGdrace([]);
		await waitForRace(term);

		term.press('?');
		await term.waitFor('Keys (? or Esc closes this help)');
		const screen = term.screen();
		for (const action of ACTIONS) {
			const {label, help} = KEYMAP[action];
			expect(
				screen.some((line) => line.trimStart().startsWith(`${label} `) && line.endsWith(help)),
				`help for ${action}`,
			).toBe(true);
		}
		expect(term.text()).not.toMatch(RACE_SHOWN);
		expect(screen[layoutFor(100, 30).footer.y]).toBe(footerText(100));

		term.press('?');
		await waitForRace(term);
		expect(term.text()).not.toContain('Keys (?');

		term.press('?');
		await term.waitFor('Keys (? or Esc closes this help)');
		term.press('escape');
		await waitForRace(term);
		expect(term.text()).not.toContain('Keys (?');

		term.press('q');
		await expectCleanExit(term);
	}, TIMEOUT);

	it('fits 60×20, says "terminal too small" at 30×8, and shows the race again back at 100×30', async () => {
		const term = spawnGdrace([], {cols: 100, rows: 30});
		await waitForRace(term);

		term.resize(60, 20);
		await waitForRace(term);
		const narrow = term.screen();
		const layout = layoutFor(60, 20);
		// The optional columns gave way; the required ones are whole.
		expect(narrow[layout.table.y]).toMatch(/^racer +iter +loss +gap +status\b/);
		expect(narrow[layout.footer.y]).toBe('space pause  s step  + faster  - slower  ? help  q quit');

		term.resize(30, 8);
		await term.waitFor('terminal too small');
		await term.waitFor('have 30×8');
		expect(term.screen().slice(0, 3)).toEqual(['terminal too small', 'need 53×17', 'have 30×8']);
		expect(term.screen().slice(3).every((line) => line.trim() === '')).toBe(true);

		term.resize(100, 30);
		await waitForRace(term);
		expect(term.text()).not.toContain('too small');

		term.press('q');
		await expectCleanExit(term);
		expectSummary(term);
	}, TIMEOUT);

	it('fits the smallest full size, 53×17, with the last row empty', async () => {
		const term = spawnGdrace([], {cols: 53, rows: 17});
		await waitForRace(term);
		expect(term.screen()[16]).toBe('');
		expect(Math.max(...cursorRows(term.raw()))).toBeLessThanOrEqual(16);
		term.press('q');
		await expectCleanExit(term);
	}, TIMEOUT);
});

/** The help text of each key as read on screen: its line and the continuation lines under it, joined. */
function helpOnScreen(screen: readonly string[]): Map<string, string> {
	const found = new Map<string, string>();
	const labels = new Set(ACTIONS.map((action) => KEYMAP[action].label));
	let current: string | undefined;
	for (const line of screen) {
		// A label may hold a blank ('1-9 v'): the line starts with one of them, then the padding.
		const label = [...labels].find((candidate) => line.startsWith(` ${candidate} `) && /^ +\S/.test(line.slice(candidate.length + 1)));
		if (label !== undefined) {
			current = label;
			found.set(current, line.slice(label.length + 1).trim());
		} else if (current !== undefined && /^ {3,}\S/.test(line)) {
			found.set(current, `${found.get(current)!} ${line.trim()}`);
		} else {
			current = undefined;
		}
	}
	return found;
}

describe('what the screen offers (issue 10)', () => {
	it.each([
		[100, 30],
		[80, 24],
		[60, 20],
		[53, 17],
	])('at %i×%i the footer offers `? help` and `q quit`', async (cols, rows) => {
		const term = spawnGdrace([], {cols, rows});
		await waitForRace(term);
		expect(term.screen()[layoutFor(cols, rows).footer.y]).toMatch(/ {2}\? help {2}q quit$/);
		term.press('q');
		await expectCleanExit(term);
	}, TIMEOUT);

	// 60×24: one row more since the lr keys joined the help.
	it.each([
		[60, 24],
		[53, 24],
	])('at %i×%i the help shows every key’s text whole, wrapped into the free rows; `Q` (Caps Lock) quits', async (cols, rows) => {
		const term = spawnGdrace([], {cols, rows});
		await waitForRace(term);
		term.press('?');
		await term.waitFor('Keys (? or Esc closes this help)');
		const help = helpOnScreen(term.screen());
		for (const action of ACTIONS) expect(help.get(KEYMAP[action].label), action).toBe(KEYMAP[action].help);
		term.press('?');
		await waitForRace(term);
		term.press('Q');
		await expectCleanExit(term);
	}, TIMEOUT);

	it('Caps Lock: `G` shows the gap view, `L` there flips nothing and is not offered; `G` goes back to the loss view', async () => {
		const term = spawnGdrace([], {cols: 60, rows: 20});
		await waitForRace(term);
		const layout = layoutFor(60, 20);
		// The book race's losses span more than a decade: it opens in log scale.
		expect(term.screen()[layout.legend.y]).toMatch(/ loss \(log\)$/);
		term.press('G');
		// At 60 columns the legend still says what the y-axis shows.
		await term.waitFor((session) => / gap \(log\)$/.test(session.screen()[layout.legend.y] ?? ''));
		expect(term.screen()[layout.footer.y]).toBe(footerText(60, {...RUNNING, view: 'gap'}));
		expect(term.screen()[layout.footer.y]).not.toContain('l log');
		term.press('L');
		term.press('G');
		await term.waitFor((session) => / loss \(log\)$/.test(session.screen()[layout.legend.y] ?? ''));
		expect(term.screen()[layout.footer.y]).toContain('? help  q quit');
		term.press('L');
		await term.waitFor((session) => / loss$/.test(session.screen()[layout.legend.y] ?? ''));
		term.press('q');
		await expectCleanExit(term);
	}, TIMEOUT);

	it('once the race is over, the footer offers no key that would move it (space, s, +, -)', async () => {
		const term = spawnGdrace(['--speed', '100000'], {cols: 100, rows: 30});
		await term.waitFor((session) => / done$/.test(session.screen()[0] ?? ''), {timeout: 10_000});
		const footer = layoutFor(100, 30).footer.y;
		await term.waitFor((session) => session.screen()[footer] === footerText(100, {...RUNNING, over: true}));
		expect(term.screen()[footer]).not.toMatch(/space pause|s step|\+ faster|- slower/);
		expect(term.screen()[footer]).toMatch(/^c clock .*\? help {2}q quit$/);
		term.press('q');
		await expectCleanExit(term);
	}, TIMEOUT);
});

/** Summary lines as printed: a label, a heading, or a continuation indented under one; a line the terminal wrapped would start otherwise. */
const SUMMARY_LINE =
	/^(Data|Settings|Curvature|Stopped) +\S|^ {10}\S|^Racers$|^ {2}[a-z-]+ {2,}\S|^ {7,}\S|^Results +\S|^(iterations|updates|samples|RM|LSTAT|bias|loss|gap to L\*|gap %|status|  at iteration|  at samples|  at ms) +\S/;

describe('what the screen says (issue 10)', () => {
	it.each([
		[80, 24],
		[60, 20],
	])('the summary after `q` fits %i columns: racers in blocks, no word or number split', async (cols, rows) => {
		const term = spawnGdrace([], {cols, rows});
		await waitForRace(term);
		term.press('q');
		await expectCleanExit(term);
		const lines = term.scrollback();
		const summary = lines.slice(lines.findIndex((line) => line.startsWith('Data')));
		for (const line of summary.filter((candidate) => candidate.trim() !== '')) expect(line, line).toMatch(SUMMARY_LINE);
		const headers = summary.filter((line) => line.startsWith('Results')).flatMap((line) => line.split(/\s+/).slice(1));
		expect(headers).toEqual(['gd', 'sgd', 'mb-random', 'mb-epoch', 'optimum']);
		const losses = summary.filter((line) => line.startsWith('loss ')).flatMap((line) => line.split(/\s+/).slice(1));
		expect(losses).toHaveLength(5);
		for (const loss of losses) expect(loss).toMatch(/^\d+\.\d{8}$/);
		expect(losses.at(-1)).toBe('30.51246878');
	}, TIMEOUT);

	it('at the end of the race the table says when each racer reached ±1%, with separators, apart from its gap', async () => {
		const term = spawnGdrace(['--speed', '100000'], {cols: 100, rows: 30});
		await term.waitFor((session) => / done$/.test(session.screen()[0] ?? ''), {timeout: 10_000});
		const table = layoutFor(100, 30).table.y;
		await term.waitFor((session) => /^MB-epoch +5,000 /.test(session.screen()[table + 4] ?? ''));
		const screen = term.screen();
		expect(screen[table]).toMatch(/^racer +iter +samples +RM +LSTAT +bias +loss +gap +status$/);
		// The study note's GD, to the digits shown.
		expect(screen[table + 1]).toMatch(/^GD +5,000 +2,530,000 +25\.4186 +-23\.6005 +16\.3857 +30\.529067 +0\.054% reached ±1% @2,748 *$/);
		expect(screen[table + 2]).toMatch(/^SGD +5,000 +5,000 .* 3\.23% reached ±1% @2,951 *$/);
		expect(screen[table + 4]).toMatch(/^MB-epoch +5,000 +2,530,000 .* 0\.\d{3}% reached ±1% @162\.88 *$/);
		term.press('q');
		await expectCleanExit(term);
	}, TIMEOUT);

	it('under the samples clock every racer’s samples show in full, to compare the compute each spent', async () => {
		const term = spawnGdrace(['--clock', 'samples', '--speed', '64'], {cols: 100, rows: 30});
		const table = layoutFor(100, 30).table.y;
		await term.waitFor((session) => /^GD +\S+ +\d{2,3},\d{3} /.test(session.screen()[table + 1] ?? ''), {timeout: 10_000});
		term.press('space');
		await term.waitFor((session) => / paused$/.test(session.screen()[0] ?? ''));
		const screen = term.screen();
		for (let slot = 0; slot < 4; slot++) {
			const samples = screen[table + 1 + slot]!.slice(9, 9 + 19).trim().split(/ +/)[1];
			expect(samples, screen[table + 1 + slot]).toMatch(/^\d{1,3}(,\d{3})+$/);
		}
		term.press('q');
		await expectCleanExit(term);
	}, TIMEOUT);
});

describe('leaving the live screen', () => {
	it('`q` exits 0, restores the terminal and leaves the summary in the scrollback', async () => {
		const term = spawnGdrace([]);
		await waitForRace(term);
		term.press('q');
		await expectCleanExit(term);
		const lines = expectSummary(term);
		expect(lines).toContain('Stopped   by quitting before the end: the numbers are where each racer was');
	}, TIMEOUT);

	it('the Ctrl+C key exits 0 the same way', async () => {
		const term = spawnGdrace([]);
		await waitForRace(term);
		term.press('ctrl+c');
		await expectCleanExit(term);
		expectSummary(term);
	}, TIMEOUT);

	it('--exit-on-finish --speed 100000 runs the race to the end and exits 0 by itself', async () => {
		const term = spawnGdrace(['--exit-on-finish', '--speed', '100000']);
		await expectCleanExit(term);
		// It did draw the live screen first.
		expect(term.raw()).toContain('\u001B[?1049h');
		const lines = expectSummary(term);
		expect(lines.some((line) => line.startsWith('Stopped'))).toBe(false);
		expect(lines.find((line) => line.startsWith('iterations'))).toMatch(/^iterations +5,000 +5,000 +5,000 +5,000$/);
	}, TIMEOUT);
});

describe('colors', () => {
	type Session = {
		/** Everything the program wrote, summary included. */
		readonly raw: string;
		/** Whether any cell on screen had a color while the race was paused. */
		readonly colored: boolean;
		/** The header's first cell was bold, and the state word "paused" was in inverse video (the cue without colors). */
		readonly bold: boolean;
		readonly pausedInverse: boolean;
	};

	/** Runs the race until it is drawn, pauses it (another color), quits. */
	async function session(args: readonly string[], env: Record<string, string>): Promise<Session> {
		const term = spawnGdrace(args, {env});
		await waitForRace(term);
		term.press('space');
		await term.waitFor((t) => / paused$/.test(t.screen()[0] ?? ''));
		const header = term.screen()[0]!;
		const result = {
			colored: term.usesColor(),
			bold: term.cell(0, 0).bold,
			pausedInverse: term.cell(header.lastIndexOf('paused'), 0).inverse,
		};
		term.press('q');
		await expectCleanExit(term);
		expectSummary(term);
		return {raw: term.raw(), ...result};
	}

	it('are on by default in a terminal (so the checks below can fail)', async () => {
		const {raw, colored, bold} = await session([], {});
		expect(colorCodes(raw).length).toBeGreaterThan(0);
		expect(colored).toBe(true);
		expect(bold).toBe(true);
	}, TIMEOUT);

	it.each([
		['NO_COLOR=1', [], {NO_COLOR: '1'}, true],
		// (Without FORCE_COLOR the other styles go too: the known bug below.)
		['--no-color', ['--no-color'], {}, false],
		['--no-color over FORCE_COLOR=3', ['--no-color'], {FORCE_COLOR: '3'}, true],
	] as const)('%s: no color codes at all, on screen or in the summary', async (_name, args, env, styled) => {
		const {raw, colored, bold, pausedInverse} = await session(args, env);
		expect(colorCodes(raw)).toEqual([]);
		expect(colored).toBe(false);
		if (styled) {
			// The styles that are not colors stay: the header is bold, "paused" in inverse video.
			expect(bold).toBe(true);
			expect(pausedInverse).toBe(true);
		}
	}, TIMEOUT);

	// chalk (through Ink) reads `--no-color` from process.argv itself and would turn every style
	// off, bold and inverse included; the live screen sets FORCE_COLOR so that only the frame
	// writer decides, and it drops only colors (see FrameWriterOptions.color).
	it('--no-color keeps them too, as NO_COLOR does', async () => {
		const {bold, pausedInverse} = await session(['--no-color'], {});
		expect(bold).toBe(true);
		expect(pausedInverse).toBe(true);
	}, TIMEOUT);
});

// Ctrl+Z in raw mode is a key, not the terminal's SIGTSTP: gdrace leaves the screen, stops its
// process group as the terminal would (so an interactive shell gets the terminal back) and, once
// continued, takes raw mode and the screen again.
describe.skipIf(process.platform === 'win32' || !existsSync('/bin/bash'))('Ctrl+Z', () => {
	it('suspends to the shell with job control; fg draws the screen again and the keys still work', async () => {
		const [node, cli] = gdraceCommand();
		// The command through variables: the shell's job lines stay short whatever the paths.
		const shell = spawnTerminal('/bin/bash', ['--norc', '--noprofile', '-i'], {env: {PS1: 'shell$ ', HISTFILE: '/dev/null', N: node, C: cli![0]}});
		await shell.waitFor(/shell\$ $/m);
		shell.write('"$N" "$C" --epochs 1000000 --seed 5\r');
		await shell.waitFor((session) => session.isAltScreen() && /^GD +[\d,]*[1-9]/m.test(session.text()));
		shell.press('ctrl+z');
		// The shell says so, on the normal screen, with the cursor back and its prompt.
		await shell.waitFor((session) => !session.isAltScreen() && /Stopped/.test(session.text()) && /shell\$ $/m.test(session.text()));
		expect(shell.cursorVisible()).toBe(true);
		shell.write('jobs\r');
		await shell.waitFor(/^\[1\]\+ +Stopped +.*--seed 5$/m);
		shell.write('fg\r');
		await shell.waitFor((session) => session.isAltScreen() && /^gdrace {2}boston\.csv/m.test(session.text()) && /^optimum /m.test(session.text()));
		expect(shell.cursorVisible()).toBe(false);
		// Raw mode again: a key is read as a key (space pauses), not echoed.
		shell.press('space');
		await shell.waitFor((session) => / paused$/m.test(session.screen()[0] ?? ''));
		shell.press('q');
		await shell.waitFor((session) => !session.isAltScreen() && /shell\$ $/m.test(session.text()));
		// The summary is left behind as on any quit.
		expect([...shell.scrollback(), ...shell.screen()].join('\n')).toMatch(/^Results +gd +sgd +mb-random +mb-epoch +optimum$/m);
		shell.write('exit\r');
		await shell.waitForExit();
	});
});

// With stdin a pipe or a file, the keys come from the controlling terminal (/dev/tty), as less
// reads them; only without one (a service, setsid) are the keys off.
describe.skipIf(process.platform === 'win32' || !existsSync('/bin/sh'))('stdin not a terminal', () => {
	it('`cat data.csv | gdrace --data -`: the keys work (from /dev/tty), and `q` quits as from a terminal', async () => {
		const [node, cli] = gdraceCommand();
		const term = spawnTerminal('/bin/sh', ['-c', 'cat data/boston.csv | "$N" "$C" --data - --epochs 1000000 --speed 64'], {env: {N: node, C: cli![0]}});
		await term.waitFor((session) => /^gdrace {2}stdin · 506 rows/.test(session.screen()[0] ?? '') && /^optimum /m.test(session.text()));
		expect(term.text()).not.toContain('keys off');
		expect(term.screen()[term.rows - 2]).toBe(footerText(term.cols));
		term.press('space');
		await term.waitFor((session) => / paused$/.test(session.screen()[0] ?? ''));
		term.press('g');
		await term.waitFor((session) => / loss − L\* \(log scale\)$/m.test(session.text()));
		term.press('q');
		expect(await term.waitForExit()).toEqual({exitCode: 0, signal: null});
		expect(term.scrollback().join('\n')).toMatch(/^Results +gd +sgd +mb-random +mb-epoch +optimum$/m);
	}, TIMEOUT);

	it.skipIf(!existsSync('/usr/bin/setsid') && !existsSync('/bin/setsid'))(
		'without a controlling terminal (setsid) the keys are off and the footer says so; the race still runs to its end',
		async () => {
			const [node, cli] = gdraceCommand();
			const term = spawnTerminal('/bin/sh', ['-c', 'setsid -w "$N" "$C" --epochs 300 --speed 100 --exit-on-finish --hold 0 < /dev/null'], {env: {N: node, C: cli![0]}});
			await term.waitFor((session) => session.screen()[session.rows - 2] === NO_KEYS_TEXT);
			expect(await term.waitForExit()).toEqual({exitCode: 0, signal: null});
			expect(term.scrollback().join('\n')).toMatch(/^Results +gd +sgd +mb-random +mb-epoch +optimum$/m);
		},
		TIMEOUT,
	);
});

describe('--help in a terminal', () => {
	it.each([
		[['--help'], 50],
		[['--help'], 30],
		[['serve', '--help'], 80],
		[['serve', '--help'], 50],
	])('%j at %i columns: wrapped to the width, so the terminal never breaks a word', async (args, cols) => {
		const term = spawnGdrace(args, {cols, rows: 30});
		expect(await term.waitForExit()).toEqual({exitCode: 0, signal: null});
		const lines = term.raw().split(/\r?\n/);
		expect(lines[0]).toMatch(/^Usage: gdrace/);
		expect(Math.max(...lines.map((line) => line.length))).toBeLessThanOrEqual(cols);
	}, TIMEOUT);
});
