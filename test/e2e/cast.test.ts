/**
 * `--cast FILE` (issue 9, "Recordings"): the real gdrace in a pseudo-terminal records its live
 * screen as asciicast v2; the recording, played back through a headless xterm, ends on the
 * screen the session showed (before and after a resize); the file is written atomically, never
 * clobbering without --force.
 */
import {readFileSync, writeFileSync} from 'node:fs';
import xterm from '@xterm/headless';
import {afterAll, afterEach, describe, expect, it} from 'vitest';
import {expectOneLine, expectTerminalRestored, gdrace, scratchDir} from '../reliability/helpers.js';
import {parseCast, replayCast} from './cast-replay.js';
import {disposeAll, spawnGdrace} from './pty.js';
import type {TerminalSession} from './pty.js';

const scratch = scratchDir('cast');
afterAll(() => scratch.cleanup());
afterEach(disposeAll);

const RESTORE = '\u001B[0m\u001B[?7h\u001B[?25h\u001B[?1049l';

/** The pty's screen just before gdrace restored the terminal: the last frame the user saw. */
async function lastFrame(term: TerminalSession, cols: number, rows: number): Promise<string[]> {
	const raw = term.raw();
	const cut = raw.lastIndexOf(RESTORE);
	expect(cut).toBeGreaterThan(0);
	// Replayed at the final size: only the bytes after the last resize matter for the last frame,
	// and every frame after a resize is a full repaint.
	const replay = new xterm.Terminal({cols, rows, allowProposedApi: true});
	try {
		await new Promise<void>((resolve) => replay.write(raw.slice(0, cut), resolve));
		const buffer = replay.buffer.active;
		return Array.from({length: rows}, (_, row) => buffer.getLine(buffer.baseY + row)?.translateToString(true) ?? '');
	} finally {
		replay.dispose();
	}
}

describe('--cast FILE', () => {
	it('records the live screen: played back, it ends on the screen the session showed, after a resize too', async () => {
		const term = spawnGdrace(['--cast', 'live.cast', '--epochs', '100000'], {cwd: scratch.dir, cols: 100, rows: 30, env: {TERM: 'xterm-256color'}});
		await term.waitFor(/^GD +[\d,]*[1-9]/m, {timeout: 15_000});
		term.resize(80, 24);
		// Redrawn for 80 columns: the footer's first line fits, and nothing is drawn past column 80.
		await term.waitFor((t) => t.screen().length === 24 && /^GD +[\d,]*[1-9]/m.test(t.text()), {timeout: 15_000});
		term.press('space');
		await term.waitFor((t) => / paused$/.test(t.screen()[0]?.trimEnd() ?? ''), {timeout: 15_000});
		term.press('q');
		expect(await term.waitForExit(15_000)).toEqual({exitCode: 0, signal: null});
		expectTerminalRestored(term);
		expect(scratch.temporaryFiles('live.cast')).toEqual([]);

		const text = readFileSync(scratch.path('live.cast'), 'utf8');
		const {header, events} = parseCast(text);
		expect(header).toMatchObject({version: 2, width: 100, height: 30, env: {TERM: 'xterm-256color'}});
		expect(Math.abs(header.timestamp - Date.now() / 1000)).toBeLessThan(600);
		expect(events.filter(([, kind]) => kind === 'r').map(([, , data]) => data)).toEqual(['80x24']);
		const times = events.map(([time]) => time);
		expect(times).toEqual([...times].sort((a, b) => a - b));
		expect(events.every(([, kind]) => kind === 'o' || kind === 'r')).toBe(true);

		const shown = await lastFrame(term, 80, 24);
		expect(shown[0]).toMatch(/ paused\s*$/);
		expect((await replayCast(text)).map((line) => line.trimEnd())).toEqual(shown.map((line) => line.trimEnd()));
		// Before the resize, it showed the 100-column screen.
		const resizeAt = events.findIndex(([, kind]) => kind === 'r');
		const wide = await replayCast(text, resizeAt);
		expect(wide[0]).toMatch(/^gdrace {2}boston\.csv/);
		expect(wide.some((line) => line.length > 80)).toBe(true);
		// The summary says where the recording went.
		expect(term.scrollback().filter((line) => line.trim() !== '').at(-1)).toMatch(/^recorded \d+\.\d s to live\.cast$/);
	}, 60_000);

	it('never replaces an existing file without --force (exit 2 before the race), and replaces it with --force', async () => {
		const path = scratch.write('taken.cast', 'mine\n');
		const refused = gdrace(['--cast', 'taken.cast', '--plain'], {cwd: scratch.dir});
		expect(refused.code).toBe(2);
		expect(expectOneLine(refused.stderr)).toMatch(/--cast records the live screen/);
		const term = spawnGdrace(['--cast', 'taken.cast'], {cwd: scratch.dir});
		expect(await term.waitForExit(15_000)).toEqual({exitCode: 2, signal: null});
		expect(term.text()).toMatch(/gdrace: --cast "taken\.cast": the file exists; add --force/);
		expect(readFileSync(path, 'utf8')).toBe('mine\n');

		const forced = spawnGdrace(['--cast', 'taken.cast', '--force', '--epochs', '50', '--speed', '100000', '--exit-on-finish', '--hold', '0'], {cwd: scratch.dir});
		expect(await forced.waitForExit(15_000)).toEqual({exitCode: 0, signal: null});
		expect(parseCast(readFileSync(path, 'utf8')).header.version).toBe(2);
		expect(scratch.temporaryFiles('taken.cast')).toEqual([]);
	}, 60_000);

	it('keeps the recording in its temporary file when the name is taken during the run: exit 1, one line', async () => {
		const term = spawnGdrace(['--cast', 'appeared.cast', '--epochs', '100000'], {cwd: scratch.dir, cols: 200, rows: 30});
		await term.waitFor(/^GD +[\d,]*[1-9]/m, {timeout: 15_000});
		writeFileSync(scratch.path('appeared.cast'), 'somebody else\n');
		term.press('q');
		expect(await term.waitForExit(15_000)).toEqual({exitCode: 1, signal: null});
		expectTerminalRestored(term);
		const errors = term.scrollback().filter((line) => line.startsWith('gdrace: '));
		expect(errors).toHaveLength(1);
		expect(errors[0]).toMatch(/^gdrace: "appeared\.cast" appeared while the race ran and was left alone; the recording is in "\.appeared\.cast\.\d+\.tmp"/);
		expect(readFileSync(scratch.path('appeared.cast'), 'utf8')).toBe('somebody else\n');
		const [kept] = scratch.temporaryFiles('appeared.cast');
		expect(kept).toBeDefined();
		const {events} = parseCast(readFileSync(scratch.path(kept as string), 'utf8'));
		expect(events.length).toBeGreaterThan(1);
	}, 60_000);
});
