/**
 * Shared pieces of the reliability suite: the built CLI run as a child process (headless, stdout
 * a pipe), scratch directories of generated fixtures, and the checks every test repeats (one clean
 * line on stderr, finite numbers, a complete export file, a restored terminal).
 *
 * The suite runs against `dist/` (`npm run build` first, as `npm test` does).
 */
import {spawn, spawnSync} from 'node:child_process';
import type {SpawnSyncOptions} from 'node:child_process';
import {chmodSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import xterm from '@xterm/headless';
import {expect} from 'vitest';
import {gdraceCommand} from '../e2e/pty.js';
import type {TerminalSession} from '../e2e/pty.js';

/** The built CLI. */
export const CLI = gdraceCommand()[1][0] as string;

/** The racers in display order, as the export and --json name them. */
export const RACER_IDS = ['gd', 'sgd', 'mb-random', 'mb-epoch'] as const;

/** How a headless run ended. */
export type RunResult = {
	readonly code: number | null;
	readonly signal: NodeJS.Signals | null;
	readonly stdout: string;
	readonly stderr: string;
	readonly ms: number;
};

/** Options of `gdrace` and `gdraceAsync`. */
export type RunOptions = {
	readonly cwd?: string;
	/** Variables over the clean environment (`undefined` removes one). */
	readonly env?: Readonly<Record<string, string | undefined>>;
	/** Kill after this many ms. @default 60,000 */
	readonly timeout?: number;
	/**
	 * Run without the power to read any file whatever its mode (see `readOverrideDropped`), so that
	 * a chmod 000 file is unreadable even when the tests run as root.
	 */
	readonly unprivileged?: boolean;
};

let dropPrefix: readonly string[] | null | undefined;

/**
 * The command prefix that runs a program unable to read a chmod 000 file: nothing when the tests
 * do not run as root; as root, `setpriv` dropping CAP_DAC_OVERRIDE and CAP_DAC_READ_SEARCH from the
 * bounding set (the program stays uid 0, so the checkout need not be readable by any other user,
 * as running it as `nobody` would need). `null` when that cannot be done here (no setpriv, or a
 * container that forbids it): checked once by trying to read such a file.
 */
export function readOverrideDropped(): readonly string[] | null {
	if (dropPrefix !== undefined) return dropPrefix;
	if (process.getuid?.() !== 0) return (dropPrefix = []);
	const prefix = ['setpriv', '--inh-caps=-all', '--bounding-set=-dac_override,-dac_read_search', '--'];
	const dir = mkdtempSync(join(tmpdir(), 'gdrace-probe-'));
	try {
		const file = join(dir, 'secret');
		writeFileSync(file, 'x');
		chmodSync(file, 0o000);
		const run = (command: string, ...args: string[]) => spawnSync(prefix[0] as string, [...prefix.slice(1), command, ...args], {stdio: 'ignore'}).status;
		dropPrefix = run('true') === 0 && run('cat', file) !== 0 ? prefix : null;
	} finally {
		rmSync(dir, {recursive: true, force: true});
	}
	return dropPrefix;
}

/** The program and arguments that run the CLI with `args` as `options` say. */
function cliCommand(args: readonly string[], options: RunOptions): [string, string[]] {
	const prefix = options.unprivileged === true ? readOverrideDropped() : [];
	if (prefix === null) throw new Error('cannot run the CLI without the power to read any file here');
	if (prefix.length === 0) return [process.execPath, [CLI, ...args]];
	return [prefix[0] as string, [...prefix.slice(1), process.execPath, CLI, ...args]];
}

/** The environment a user's shell gives: no color switches, no debug traces. */
export function cleanEnv(extra: Readonly<Record<string, string | undefined>> = {}): NodeJS.ProcessEnv {
	const env: NodeJS.ProcessEnv = {...process.env};
	for (const name of ['FORCE_COLOR', 'NO_COLOR', 'GDRACE_DEBUG', 'NODE_OPTIONS']) delete env[name];
	for (const [name, value] of Object.entries(extra)) {
		if (value === undefined) delete env[name];
		else env[name] = value;
	}
	return env;
}

/** Runs the built CLI to its end with stdout and stderr as pipes (so: headless). */
export function gdrace(args: readonly string[], options: RunOptions = {}): RunResult {
	const spawnOptions: SpawnSyncOptions = {
		cwd: options.cwd,
		env: cleanEnv(options.env),
		encoding: 'utf8',
		timeout: options.timeout ?? 60_000,
		maxBuffer: 64 << 20,
		stdio: ['ignore', 'pipe', 'pipe'],
	};
	const start = performance.now();
	const [command, argv] = cliCommand(args, options);
	const result = spawnSync(command, argv, spawnOptions);
	if (result.error !== undefined) throw result.error;
	return {
		code: result.status,
		signal: result.signal,
		stdout: String(result.stdout),
		stderr: String(result.stderr),
		ms: performance.now() - start,
	};
}

/** A running headless CLI: the child, and its result once it ends. */
export type RunningCli = {
	readonly child: ReturnType<typeof spawn>;
	readonly done: Promise<RunResult>;
	/** stdout so far. */
	stdout(): string;
};

/** Starts the built CLI without waiting for it (to signal or kill it mid-run). */
export function gdraceAsync(args: readonly string[], options: RunOptions = {}): RunningCli {
	const start = performance.now();
	const [command, argv] = cliCommand(args, options);
	const child = spawn(command, argv, {
		cwd: options.cwd,
		env: cleanEnv(options.env),
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	let stdout = '';
	let stderr = '';
	child.stdout.setEncoding('utf8');
	child.stderr.setEncoding('utf8');
	child.stdout.on('data', (text: string) => {
		// A long log is consumed, not kept.
		if (stdout.length < 1 << 20) stdout += text;
	});
	child.stderr.on('data', (text: string) => {
		stderr += text;
	});
	const timer = setTimeout(() => child.kill('SIGKILL'), options.timeout ?? 60_000);
	const done = new Promise<RunResult>((resolve, reject) => {
		child.on('error', reject);
		child.on('close', (code, signal) => {
			clearTimeout(timer);
			resolve({code, signal, stdout, stderr, ms: performance.now() - start});
		});
	});
	return {child, done, stdout: () => stdout};
}

/** Runs the built CLI to its end without blocking (so that table rows can run side by side). */
export function gdraceRun(args: readonly string[], options: RunOptions = {}): Promise<RunResult> {
	return gdraceAsync(args, options).done;
}

/** A temporary directory: `path(name)`, `write(name, content)`, `cleanup()`. */
export type Scratch = {
	readonly dir: string;
	path(name: string): string;
	write(name: string, content: string | Uint8Array): string;
	/** Names in the directory that look like a temporary export file (`.NAME.PID.tmp`), of `name` if given. */
	temporaryFiles(name?: string): string[];
	cleanup(): void;
};

export function scratchDir(prefix: string): Scratch {
	const dir = mkdtempSync(join(tmpdir(), `gdrace-${prefix}-`));
	return {
		dir,
		path: (name) => join(dir, name),
		write(name, content) {
			const path = join(dir, name);
			writeFileSync(path, content);
			return path;
		},
		temporaryFiles: (name) =>
			existsSync(dir) ? readdirSync(dir).filter((file) => /^\..*\.\d+\.tmp$/.test(file) && (name === undefined || file.startsWith(`.${name}.`))) : [],
		cleanup: () => rmSync(dir, {recursive: true, force: true}),
	};
}

/** What must never reach a user: stack frames, error class names, Node internals. */
const TRACE_PATTERNS: readonly RegExp[] = [
	/^\s+at /m,
	/\bat \S+ \(?\S+:\d+:\d+\)?/,
	/node:internal/,
	/\bError:/,
	/\b(?:TypeError|RangeError|ReferenceError|SyntaxError)\b/,
	/file:\/\//,
	/\/dist\//,
	/internal error/,
];

/**
 * Asserts that stderr is exactly one line `gdrace: <message>\n` with no trace in it, and returns
 * the message. The message must also say how to fix the problem (after "; " as every message does).
 */
export function expectOneLine(stderr: string): string {
	expect(stderr, 'stderr must be exactly one line').toMatch(/^gdrace: [^\n]+\n$/);
	for (const pattern of TRACE_PATTERNS) expect(stderr, `stderr must not match ${pattern}`).not.toMatch(pattern);
	const message = stderr.slice('gdrace: '.length, -1);
	expect(message, 'the message says how to fix it').toMatch(/; |\(see gdrace --help\)/);
	return message;
}

/** Every number anywhere in a parsed JSON value, with its path. */
export function jsonNumbers(value: unknown, path = '$'): {path: string; value: number}[] {
	if (typeof value === 'number') return [{path, value}];
	if (Array.isArray(value)) return value.flatMap((item, index) => jsonNumbers(item, `${path}[${index}]`));
	if (typeof value === 'object' && value !== null) {
		return Object.entries(value).flatMap(([key, item]) => jsonNumbers(item, `${path}.${key}`));
	}
	return [];
}

/** The text holds no non-finite number in any spelling a formatter might produce. */
export function expectNoNonFinite(text: string): void {
	expect(text).not.toMatch(/NaN|Infinity|\binf\b|∞/i);
}

/** A racer of the `--json` document. */
export type JsonRacer = {
	id: string;
	lr: number;
	batchSize: number;
	iterations: number;
	updates: number;
	samples: number;
	weights: number[];
	bias: number;
	loss: number;
	gap: number;
	status: 'done' | 'finished' | 'diverged';
	finished: {iteration: number; samples: number; ms: number} | null;
	diverged: {iteration: number; samples: number; ms: number} | null;
};

/** The `--json` document. */
export type JsonDoc = {
	data: {source: string; rows: number; features: string[]; target: string; scale: string};
	settings: {clock: string; epochs: number; seed: number; tolerance: number | null};
	optimum: {weights: number[]; bias: number; loss: number; unique: boolean; rank: number};
	racers: JsonRacer[];
	stoppedBy: string | null;
};

/** Parses `--json` output (it must be valid JSON), checks every number in it is finite, and returns it. */
export function parseJson(stdout: string): JsonDoc {
	expectNoNonFinite(stdout);
	const doc = JSON.parse(stdout) as JsonDoc;
	for (const {path, value} of jsonNumbers(doc)) expect(Number.isFinite(value), `${path} = ${value}`).toBe(true);
	return doc;
}

/** One row of a CSV export. */
export type ExportRow = {racer: string; iteration: number; samples: number; ms: number; loss: number; lr: number};

/**
 * Reads a CSV export and checks it is complete: the header, every line six finite fields, the
 * file ending with a line end (no half-written last line). Returns the rows.
 */
export function readCsvExport(path: string): ExportRow[] {
	const text = readFileSync(path, 'utf8');
	expect(text.endsWith('\n'), `${path} ends with a complete line`).toBe(true);
	const lines = text.slice(0, -1).split('\n');
	expect(lines[0]).toBe('racer,iteration,samples,ms,loss,lr');
	const rows: ExportRow[] = [];
	const bad: string[] = [];
	const ids = new Set<string>(RACER_IDS);
	for (let index = 1; index < lines.length; index++) {
		const line = lines[index] as string;
		const fields = line.split(',');
		const values = fields.slice(1).map(Number);
		if (fields.length !== 6 || !ids.has(fields[0] as string) || fields.slice(1).includes('') || !values.every(Number.isFinite)) {
			// Collected, not asserted one by one: an export holds hundreds of thousands of lines.
			if (bad.length < 5) bad.push(`line ${index + 1}: ${line}`);
			continue;
		}
		const [iteration, samples, ms, loss, lr] = values as [number, number, number, number, number];
		rows.push({racer: fields[0] as string, iteration, samples, ms, loss, lr});
	}
	expect(bad, 'every line: a racer id and five finite numbers').toEqual([]);
	return rows;
}

/** Polls until `predicate` holds; rejects after `timeout` ms. */
export async function until(predicate: () => boolean, timeout = 10_000, interval = 10): Promise<void> {
	const deadline = Date.now() + timeout;
	while (!predicate()) {
		if (Date.now() > deadline) throw new Error(`condition not met within ${timeout} ms`);
		await sleep(interval);
	}
}

/**
 * Waits until gdrace listens for its stop signals: it catches SIGHUP only once its SIGINT, SIGTERM
 * and SIGHUP listeners are installed (just before the race starts), which /proc shows in SigCgt.
 * A signal sent earlier, while Node is still starting, ends the process the default way.
 */
export async function waitForStopListeners(pid: number, timeout = 20_000): Promise<void> {
	await until(() => {
		try {
			const match = /^SigCgt:\s+([0-9a-f]+)$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
			// SIGHUP is signal 1: bit 0 of the mask.
			return match !== null && (BigInt(`0x${match[1]}`) & 1n) === 1n;
		} catch {
			return false;
		}
	}, timeout);
}

export function sleep(ms: number): Promise<void> {
	return new Promise((resolve) => setTimeout(resolve, ms));
}

const ALT_SCREEN_ON = '\u001B[?1049h';
const ALT_SCREEN_OFF = '\u001B[?1049l';
const SYNC_END = '\u001B[?2026l';

/**
 * Asserts that the live screen left the terminal as it found it: the emulator is back in the
 * normal buffer with the cursor shown, and in the raw output every alternate-screen entry is
 * followed by a pen reset, auto-wrap on, cursor shown and alternate screen left, after the last
 * frame; after that only text and SGR color sequences (the summary) are written. Returns what
 * was written after the screen was left.
 */
export function expectTerminalRestored(term: TerminalSession): string {
	expect(term.isAltScreen(), 'back in the normal screen buffer').toBe(false);
	expect(term.cursorVisible(), 'cursor visible').toBe(true);
	const raw = term.raw();
	expect(raw).toContain(ALT_SCREEN_ON);
	const off = raw.lastIndexOf(ALT_SCREEN_OFF);
	expect(off, 'the alternate screen was left').toBeGreaterThan(raw.lastIndexOf(ALT_SCREEN_ON));
	// The restore sequence comes after the last frame, and no frame comes after it.
	const lastFrame = raw.lastIndexOf(SYNC_END);
	const restore = raw.lastIndexOf('\u001B[0m\u001B[?7h\u001B[?25h', off);
	expect(restore, 'pen reset, wrap on and cursor shown before leaving the alternate screen').toBeGreaterThan(lastFrame);
	expect(raw.lastIndexOf('\u001B[?25l')).toBeLessThan(restore);
	expect(raw.lastIndexOf('\u001B[?7l')).toBeLessThan(restore);
	const after = raw.slice(off + ALT_SCREEN_OFF.length);
	// eslint-disable-next-line no-control-regex
	const stray = after.replace(/\u001B\[[0-9;]*m/g, '').match(/\u001B[^\n]{0,12}/);
	expect(stray, 'no escape sequence but SGR after the screen closed').toBeNull();
	return after;
}

/** The screen as it was just before the terminal was restored: the last frame the user saw. */
export async function lastFrameBeforeRestore(term: TerminalSession): Promise<string[]> {
	const raw = term.raw();
	const cut = raw.lastIndexOf('\u001B[0m\u001B[?7h\u001B[?25h\u001B[?1049l');
	expect(cut).toBeGreaterThan(0);
	const replay = new xterm.Terminal({cols: term.cols, rows: term.rows, allowProposedApi: true});
	try {
		await new Promise<void>((resolve) => replay.write(raw.slice(0, cut), resolve));
		const buffer = replay.buffer.active;
		return Array.from({length: replay.rows}, (_, row) => buffer.getLine(buffer.baseY + row)?.translateToString(true) ?? '');
	} finally {
		replay.dispose();
	}
}
