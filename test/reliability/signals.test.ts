/**
 * "Signals, terminal and output": q, the Ctrl+C key, SIGINT, SIGTERM and SIGHUP each end the live
 * screen with the terminal restored and the export complete, with exit codes 0, 0, 130, 143 and
 * 129; a terminal that really goes away (the pty's master closed, as when an SSH link drops) too;
 * and a closed stdout pipe ends quietly.
 *
 * Terminal restoration is checked three ways: the emulator's state (normal buffer, cursor
 * visible), the raw bytes (the restore sequence after the last frame, nothing but colors after
 * it), and `stty -a` run in the same terminal right after gdrace exits (raw mode off: `icanon`
 * and `echo` back on).
 */
import {spawn as spawnChild} from 'node:child_process';
import {existsSync, readFileSync} from 'node:fs';
import {spawn as spawnPty} from 'node-pty';
import type {IPty} from 'node-pty';
import {afterAll, afterEach, describe, expect, it} from 'vitest';
import {disposeAll, gdraceCommand, spawnTerminal, terminalEnv} from '../e2e/pty.js';
import type {TerminalSession} from '../e2e/pty.js';
import {CLI, RACER_IDS, cleanEnv, expectTerminalRestored, lastFrameBeforeRestore, readCsvExport, scratchDir, sleep, until, waitForStopListeners} from './helpers.js';

const scratch = scratchDir('signals');
afterAll(() => scratch.cleanup());
afterEach(disposeAll);

/** The gdrace process started by the `sh` wrapper (its only child). */
async function childOf(pid: number): Promise<number> {
	let child = 0;
	await until(() => {
		try {
			child = Number(readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/)[0]);
		} catch {
			child = 0;
		}
		return child > 0;
	}, 10_000);
	return child;
}

/**
 * gdrace's live screen in a pseudo-terminal, run by `sh` so that the shell can report gdrace's
 * exit status and run `stty -a` in the same terminal afterwards. The session's exit code is gdrace's.
 */
function liveUnderShell(args: readonly string[]): TerminalSession {
	const [node, [cli]] = gdraceCommand();
	const script = '"$0" "$@"; code=$?; echo "[gdrace exit $code]"; stty -a; exit $code';
	return spawnTerminal('sh', ['-c', script, node, cli as string, ...args], {cwd: scratch.dir, cols: 100, rows: 30});
}

/** The whole dashboard: header, clock line, legend, chart, table rows, footer. */
function expectFullDashboard(frame: readonly string[]): void {
	const screen = frame.map((line) => line.trimEnd());
	const text = screen.join('\n');
	expect(screen[0], text).toMatch(/^gdrace {2}boston\.csv · 506 rows/);
	expect(screen[1], text).toMatch(/^clock iteration [\d,]+ \/ 100,000 · speed /);
	expect(screen[2], text).toMatch(/^1 ── GD {2}2 ── SGD/);
	expect(text).toMatch(/^ +\d+ ┤/m);
	for (const name of ['GD', 'SGD', 'MB-random', 'MB-epoch', 'optimum']) expect(text).toMatch(new RegExp(`^${name} +[\\d-]`, 'm'));
	expect(text).toMatch(/^space pause {2}s step/m);
}

const WAYS = [
	{name: 'q', send: (term: TerminalSession) => term.press('q'), code: 0, stopped: 'by quitting'},
	{name: 'the Ctrl+C key', send: (term: TerminalSession) => term.press('ctrl+c'), code: 0, stopped: 'by quitting'},
	{name: 'SIGINT', signal: 'SIGINT', code: 130, stopped: 'by SIGINT'},
	{name: 'SIGTERM', signal: 'SIGTERM', code: 143, stopped: 'by SIGTERM'},
	{name: 'SIGHUP', signal: 'SIGHUP', code: 129, stopped: 'by SIGHUP'},
] as const;

describe('ending the live screen', () => {
	it.each(WAYS)('$name: exit $code, terminal restored, raw mode off, export complete, no half-drawn last frame', async (way) => {
		const file = `live-${way.name.replace(/\W+/g, '-')}.csv`;
		const term = liveUnderShell(['--export', file, '--epochs', '100000']);
		const gdracePid = await childOf(term.pid);
		// The chart is drawn and the race has moved.
		await term.waitFor(/^GD +[1-9]/m, {timeout: 15_000});
		await term.waitFor('space pause');
		if ('signal' in way) process.kill(gdracePid, way.signal);
		else way.send(term);
		expect(await term.waitForExit(15_000)).toEqual({exitCode: way.code, signal: null});

		// The terminal: normal buffer, cursor shown, restore after the last frame, then only the summary.
		const after = expectTerminalRestored(term);
		// The last frame the user saw before the screen closed is the whole dashboard, not a half-drawn one.
		expectFullDashboard(await lastFrameBeforeRestore(term));
		expect(after).toContain(`[gdrace exit ${way.code}]`);
		// Raw mode is off again: stty, run in the same terminal after gdrace, sees canonical mode with echo.
		const stty = after.slice(after.indexOf('[gdrace exit'));
		expect(stty).toMatch(/(?:^|\s)icanon(?:\s|$)/m);
		expect(stty).toMatch(/(?:^|\s)echo(?:\s|$)/m);
		expect(stty).not.toMatch(/(?:^|\s)-icanon(?:\s|$)/m);
		// The summary stays in the scrollback, saying why the race stopped.
		const scrollback = term.scrollback().join('\n');
		expect(scrollback).toContain(`Stopped   ${way.stopped} before the end`);
		expect(scrollback).toMatch(/^Results +gd +sgd +mb-random +mb-epoch +optimum$/m);

		// The export: complete and valid, every racer in it, no temporary file left.
		const rows = readCsvExport(scratch.path(file));
		expect(new Set(rows.map((row) => row.racer))).toEqual(new Set(RACER_IDS));
		expect(scratch.temporaryFiles(file)).toEqual([]);
	}, 40_000);

	it('--exit-on-finish: exit 0, terminal restored, the last frame shows the finished race, the summary names the export', async () => {
		const args = ['--epochs', '2000', '--speed', '100000', '--exit-on-finish', '--hold', '0.3', '--export', 'finish.csv'];
		const term = spawnTerminal(process.execPath, [CLI, ...args], {cwd: scratch.dir});
		expect(await term.waitForExit(20_000)).toEqual({exitCode: 0, signal: null});
		expectTerminalRestored(term);
		const frame = await lastFrameBeforeRestore(term);
		expect(frame[0]?.trimEnd()).toMatch(/ done$/);
		expect(frame[1]).toMatch(/^clock iteration 2,000 \/ 2,000 /);
		expect(term.scrollback().join('\n')).not.toContain('Stopped');
		const rows = readCsvExport(scratch.path('finish.csv')).length;
		expect(term.scrollback().filter((line) => line.trim() !== '').at(-1)?.trimEnd()).toBe(`wrote ${rows} rows to finish.csv`);
	}, 30_000);
});

describe('the terminal goes away (SSH link dropped: the pty master is closed)', () => {
	it.each([
		['the live screen', ['--epochs', '100000']],
		['a headless run in a terminal', ['--plain', '--epochs', '10000000000', '--optimizers', 'sgd,mb-random']],
	] as const)('%s: exit 129, no crash, the export written', async (_name, args) => {
		const name = `hangup-${args[0]}.csv`;
		const file = scratch.path(name);
		const [node, [cli]] = gdraceCommand();
		// node-pty directly: the harness has no way to close the master while the program runs.
		// `destroy` (close the master, then SIGHUP) is in node-pty's Unix terminal but not in its typings.
		const pty = spawnPty(node, [cli as string, '--export', file, ...args], {
			name: 'xterm-256color',
			cols: 100,
			rows: 30,
			cwd: scratch.dir,
			env: terminalEnv(),
			encoding: null,
		}) as IPty & {destroy(): void};
		let output = '';
		pty.onData((data: string | Buffer) => {
			output += data.toString();
		});
		const exited = new Promise<{exitCode: number; signal?: number}>((resolve) => pty.onExit(resolve));
		try {
			if (args[0] === '--plain') {
				// Headless draws nothing: wait until it listens for SIGHUP (the race starts then).
				await waitForStopListeners(pty.pid);
			} else {
				await until(() => output.includes('space pause'), 15_000);
			}
			pty.destroy();
			const status = await Promise.race([exited, sleep(15_000).then(() => 'still running' as const)]);
			// Before the fix Node 20 aborted here (signal 6, SIGABRT) restoring the modes of a terminal that was gone.
			expect(status).toEqual({exitCode: 129, signal: 0});
		} finally {
			try {
				process.kill(pty.pid, 'SIGKILL');
			} catch {
				// Gone.
			}
		}
		// However far the race got: every racer, from its starting point.
		const rows = readCsvExport(file);
		const racers = args[0] === '--plain' ? ['sgd', 'mb-random'] : [...RACER_IDS];
		expect(new Set(rows.map((row) => row.racer))).toEqual(new Set(racers));
		for (const racer of racers) expect(rows.find((row) => row.racer === racer)?.iteration).toBe(0);
		expect(scratch.temporaryFiles(name)).toEqual([]);
	}, 40_000);
});

describe('a closed stdout pipe', () => {
	/** Runs a bash pipeline; gdrace's exit status is appended to stderr as `[gdrace exit N]`. */
	function pipeline(gdraceArgs: string, reader: string): Promise<{stdout: string; stderr: string; ms: number}> {
		const script = `"${process.execPath}" "${CLI}" ${gdraceArgs} | ${reader}; echo "[gdrace exit \${PIPESTATUS[0]}]" >&2`;
		const start = performance.now();
		const child = spawnChild('bash', ['-c', script], {cwd: scratch.dir, env: cleanEnv(), stdio: ['ignore', 'pipe', 'pipe']});
		let stdout = '';
		let stderr = '';
		child.stdout.setEncoding('utf8').on('data', (text: string) => (stdout += text));
		child.stderr.setEncoding('utf8').on('data', (text: string) => (stderr += text));
		return new Promise((resolve) => child.on('close', () => resolve({stdout, stderr, ms: performance.now() - start})));
	}

	it('gdrace --plain | head -1: one line read, nothing on stderr, exit 0', async () => {
		const result = await pipeline('--plain', 'head -1');
		expect(result.stdout).toMatch(/^Data {6}\S*boston\.csv: 506 rows, RM, LSTAT → MEDV, scale minmax\n$/);
		expect(result.stderr).toBe('[gdrace exit 0]\n');
	}, 30_000);

	it('a 10,000,000,000-iteration log | head -1 ends at once, quietly', async () => {
		// Minutes of racing if the closed pipe went unnoticed.
		const result = await pipeline('--log ndjson --epochs 10000000000 --optimizers sgd', 'head -1');
		expect(JSON.parse(result.stdout)).toMatchObject({racer: 'sgd'});
		expect(result.stderr).toBe('[gdrace exit 0]\n');
		expect(result.ms).toBeLessThan(15_000);
	}, 30_000);

	it('a reader that closes at once (| true): quiet, exit 0, the export still written', async () => {
		const result = await pipeline('--json --epochs 2000 --export piped.csv', 'true');
		expect(result.stderr).toBe('[gdrace exit 0]\n');
		expect(existsSync(scratch.path('piped.csv'))).toBe(true);
		expect(readCsvExport(scratch.path('piped.csv')).length).toBeGreaterThan(2000);
	}, 30_000);
});
