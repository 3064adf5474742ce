/**
 * A real-terminal test harness: run a program in a pseudo-terminal (node-pty) and read what it
 * draws through a headless xterm.js, so a test sees the screen as a user would.
 *
 * ```ts
 * afterEach(disposeAll);
 * const term = spawnGdrace(['--seed', '7']);
 * await term.waitFor('Gradient descent');
 * term.press('space');
 * term.resize(60, 20);
 * term.press('q');
 * expect(await term.waitForExit()).toEqual({exitCode: 0, signal: null});
 * expect(term.scrollback().join('\n')).toContain('optimum');
 * ```
 */
import {existsSync, readSync} from 'node:fs';
import {constants as osConstants} from 'node:os';
import {fileURLToPath} from 'node:url';
import {spawn as spawnPty} from 'node-pty';
import type {IPty} from 'node-pty';
// @xterm/headless is CommonJS without named ESM exports: its classes come off the default export.
import xterm from '@xterm/headless';
import type {IBufferCell, IBufferLine} from '@xterm/headless';

const {Terminal} = xterm;

/** Options of `spawnTerminal`. */
export type SpawnOptions = {
	/** Terminal width in columns. @default 100 */
	readonly cols?: number;
	/** Terminal height in rows. @default 30 */
	readonly rows?: number;
	/** Variables merged over the cleaned-up environment (`undefined` removes one). @default {} */
	readonly env?: Readonly<Record<string, string | undefined>>;
	/** Working directory of the program. @default the repository root */
	readonly cwd?: string;
	/** Lines the emulator keeps above the screen in the normal buffer. @default 5000 */
	readonly scrollback?: number;
};

/** Options of `waitFor`. */
export type WaitOptions = {
	/** Give up after this many milliseconds (generous: Node loading Ink on a loaded machine takes seconds). @default 20,000 */
	readonly timeout?: number;
	/** Poll the screen this often, in milliseconds. @default 20 */
	readonly interval?: number;
};

/** What `waitFor` waits for: text on screen, a pattern matching the screen, or a predicate. */
export type Condition = string | RegExp | ((session: TerminalSession) => boolean);

/** How the program ended: its exit code, or the name of the signal that killed it. */
export type ExitStatus = {
	/** Exit code (0 when a signal killed it). */
	readonly exitCode: number;
	/** Signal that killed the program, or `null` when it exited by itself. */
	readonly signal: NodeJS.Signals | null;
};

/** A color as the emulator stores it. */
export type CellColor = {
	/** `default` is the terminal's own color; `palette` is one of 256; `rgb` is true color. */
	readonly mode: 'default' | 'palette' | 'rgb';
	/** Palette index or 0xRRGGBB; 0 for `default`. */
	readonly value: number;
};

/** One cell of the screen with its attributes. */
export type Cell = {
	/** Characters in the cell ('' for the right half of a wide character or an unwritten cell). */
	readonly chars: string;
	/** Foreground color. */
	readonly fg: CellColor;
	/** Background color. */
	readonly bg: CellColor;
	/** SGR 1. */
	readonly bold: boolean;
	/** SGR 2. */
	readonly dim: boolean;
	/** SGR 3. */
	readonly italic: boolean;
	/** SGR 4. */
	readonly underline: boolean;
	/** SGR 7. */
	readonly inverse: boolean;
};

/** Named keys accepted by `press`, with the bytes a terminal sends for them. */
const namedKeys: Readonly<Record<string, string>> = {
	enter: '\r',
	return: '\r',
	tab: '\t',
	escape: '\x1b',
	esc: '\x1b',
	backspace: '\x7f',
	delete: '\x1b[3~',
	space: ' ',
	home: '\x1b[H',
	end: '\x1b[F',
	pageup: '\x1b[5~',
	pagedown: '\x1b[6~',
	insert: '\x1b[2~',
};

/** Arrow keys: the final byte after `ESC [` (normal) or `ESC O` (application cursor mode). */
const arrowKeys: Readonly<Record<string, string>> = {up: 'A', down: 'B', right: 'C', left: 'D'};

/** The repository root (this file lives in `<root>/test/e2e/`). */
export const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

/** The bytes a terminal sends for a named key: `q`, `space`, `up`, `ctrl+c`, `shift+tab`, `f1`…. */
export function keyBytes(name: string, applicationCursor = false): string {
	if ([...name].length === 1) {
		return name;
	}
	const key = name.toLowerCase();
	const named = namedKeys[key];
	if (named !== undefined) {
		return named;
	}
	const arrow = arrowKeys[key];
	if (arrow !== undefined) {
		return (applicationCursor ? '\x1bO' : '\x1b[') + arrow;
	}
	if (key === 'shift+tab') {
		return '\x1b[Z';
	}
	const ctrl = /^ctrl\+([a-z])$/.exec(key);
	if (ctrl?.[1] !== undefined) {
		return String.fromCharCode(ctrl[1].charCodeAt(0) - 96);
	}
	const fn = /^f([1-4])$/.exec(key);
	if (fn?.[1] !== undefined) {
		return '\x1bO' + 'PQRS'[Number(fn[1]) - 1];
	}
	throw new Error(`keyBytes: unknown key name "${name}"`);
}

/**
 * The environment a user's interactive shell would give the program: the test runner's variables
 * minus what changes how terminal programs behave. `CI`, `CONTINUOUS_INTEGRATION` and `CI_*` make
 * Ink (through `is-in-ci`) drop to a non-interactive mode without synchronized output, and CI sets
 * `CI=true`; vitest adds `NODE_ENV=test`, `VITEST*`, `TEST`, `MODE`, `FORCE_TTY` and `COLOR`; color
 * switches (`NO_COLOR`, `FORCE_COLOR`, `COLORTERM`) are dropped so a test opts into them itself.
 */
export function terminalEnv(
	extra: Readonly<Record<string, string | undefined>> = {},
	base: NodeJS.ProcessEnv = process.env,
): Record<string, string> {
	const dropped = new Set([
		'CI',
		'CONTINUOUS_INTEGRATION',
		'NODE_ENV',
		'TEST',
		'VITEST',
		'MODE',
		'FORCE_TTY',
		'COLOR',
		'NO_COLOR',
		'FORCE_COLOR',
		'COLORTERM',
		'COLUMNS',
		'LINES',
	]);
	const env: Record<string, string> = {};
	for (const [name, value] of Object.entries(base)) {
		if (value === undefined || dropped.has(name) || name.startsWith('CI_') || name.startsWith('VITEST_')) {
			continue;
		}
		env[name] = value;
	}
	env['TERM'] = 'xterm-256color';
	for (const [name, value] of Object.entries(extra)) {
		if (value === undefined) {
			delete env[name];
		} else {
			env[name] = value;
		}
	}
	return env;
}

/** The built CLI as `[command, args]` (tests run after `npm run build`). */
export function gdraceCommand(): readonly [string, readonly string[]] {
	return [process.execPath, [fileURLToPath(new URL('../../dist/cli.cjs', import.meta.url))]];
}

/** Start the built `gdrace` with `args` in a pseudo-terminal. */
export function spawnGdrace(args: readonly string[] = [], options: SpawnOptions = {}): TerminalSession {
	const [command, cliArgs] = gdraceCommand();
	const cli = cliArgs[0] ?? '';
	if (!existsSync(cli)) {
		throw new Error(`spawnGdrace: ${cli} does not exist; run \`npm run build\` first`);
	}
	return spawnTerminal(command, [...cliArgs, ...args], options);
}

/** A program running in a pseudo-terminal, and the screen it draws. */
export type TerminalSession = {
	/** Process id of the program. */
	readonly pid: number;
	/** Current terminal width. */
	readonly cols: number;
	/** Current terminal height. */
	readonly rows: number;
	/** Bytes the program has written to the terminal so far. */
	readonly bytes: number;
	/** How the program ended, once it has (`undefined` while it runs). */
	readonly exit: ExitStatus | undefined;
	/** The visible rows, trailing spaces trimmed (always `rows` entries). */
	screen(): string[];
	/** The visible rows joined with newlines, trailing blank rows dropped. */
	text(): string;
	/** Every row of the normal buffer, scrollback included, trailing blank rows dropped. */
	scrollback(): string[];
	/** The cells of visible row `row` (0-based), `cols` entries. */
	cells(row: number): Cell[];
	/** One visible cell (0-based column and row). */
	cell(col: number, row: number): Cell;
	/** Whether any visible cell has a non-default foreground or background color. */
	usesColor(): boolean;
	/** Whether the alternate screen buffer is active. */
	isAltScreen(): boolean;
	/** Whether the cursor is visible (DECTCEM, `ESC[?25h` / `ESC[?25l`). */
	cursorVisible(): boolean;
	/** Cursor position on the visible screen, 0-based. */
	cursorPosition(): {readonly col: number; readonly row: number};
	/** Everything the program wrote from byte offset `from` (see `mark`), decoded as UTF-8. */
	raw(from?: number): string;
	/** The current byte offset of the output, to pass to `raw` later. */
	mark(): number;
	/** Send bytes as if typed. */
	write(keys: string): void;
	/** Press named keys in order (see `keyBytes`): `press('space')`, `press('ctrl+c')`. */
	press(...names: string[]): void;
	/** Resize the emulator and the pty; the program gets SIGWINCH. */
	resize(cols: number, rows: number): void;
	/** Wait until the screen satisfies `condition`; on timeout or early exit, reject with the screen. */
	waitFor(condition: Condition, options?: WaitOptions): Promise<void>;
	/** Wait until the program ends and its last output is on screen. @default timeout 20,000 ms */
	waitForExit(timeout?: number): Promise<ExitStatus>;
	/** Resolve once every byte received so far has been parsed onto the screen. */
	settled(): Promise<void>;
	/** Send a signal to the program. @default 'SIGTERM' */
	kill(signal?: NodeJS.Signals): void;
	/** Kill the program (and its process group) if it still runs and free the emulator. */
	dispose(): void;
};

/** Sessions not yet disposed, so a failed test cannot leave a child behind. */
const live = new Set<TerminalSession>();

/** Dispose every session still open: `afterEach(disposeAll)`. */
export function disposeAll(): void {
	for (const session of live) {
		session.dispose();
	}
}

// Last resort when a test file forgets `afterEach(disposeAll)` or the worker is torn down.
process.once('exit', disposeAll);

const signalNames = new Map<number, NodeJS.Signals>(
	Object.entries(osConstants.signals).map(([name, number]) => [number, name as NodeJS.Signals]),
);

/**
 * node-pty (lib/unixTerminal.js) reports a child's exit only once the master's read stream has
 * closed, and destroys that stream if it has not closed 200 ms after the exit: whatever the child
 * wrote last and this process has not read yet is dropped. On a loaded machine that is the
 * summary, or the output of a command run after gdrace. So before that destroy, read what is left
 * (the master is non-blocking: reading stops at EAGAIN, or EIO once the terminal is gone).
 */
export function keepLastOutput(pty: IPty, receive: (chunk: Buffer) => void): void {
	const internals = pty as unknown as {_socket?: {destroy(...args: unknown[]): unknown}; _fd?: unknown};
	const socket = internals._socket;
	const fd = internals._fd;
	if (socket === undefined || typeof socket.destroy !== 'function' || typeof fd !== 'number') {
		return;
	}
	const destroy = socket.destroy.bind(socket);
	let drained = false;
	socket.destroy = (...args: unknown[]) => {
		if (!drained) {
			drained = true;
			const buffer = Buffer.alloc(1 << 16);
			for (;;) {
				let read = 0;
				try {
					read = readSync(fd, buffer, 0, buffer.length, null);
				} catch {
					break;
				}
				if (read <= 0) {
					break;
				}
				receive(Buffer.from(buffer.subarray(0, read)));
			}
		}
		return destroy(...args);
	};
}

/** Spawn `command args` in a `cols`×`rows` pseudo-terminal, with a user's interactive environment. */
export function spawnTerminal(
	command: string,
	args: readonly string[] = [],
	{cols = 100, rows = 30, env = {}, cwd = repoRoot, scrollback = 5000}: SpawnOptions = {},
): TerminalSession {
	const term = new Terminal({cols, rows, scrollback, allowProposedApi: true});
	// xterm keeps DECTCEM private; watch the mode set/reset sequences ourselves. Returning false lets
	// xterm's own handler run as well.
	let cursorShown = true;
	const watchCursor = (shown: boolean) => (params: (number | number[])[]): boolean => {
		if (params.includes(25)) {
			cursorShown = shown;
		}
		return false;
	};
	term.parser.registerCsiHandler({prefix: '?', final: 'h'}, watchCursor(true));
	term.parser.registerCsiHandler({prefix: '?', final: 'l'}, watchCursor(false));
	term.parser.registerEscHandler({final: 'c'}, () => {
		cursorShown = true; // RIS resets every mode
		return false;
	});

	const chunks: Buffer[] = [];
	let bytes = 0;
	let exit: ExitStatus | undefined;
	let disposed = false;
	// Data is passed as raw bytes (encoding null) so `bytes` counts what went over the wire and
	// xterm decodes UTF-8 split across chunks.
	const pty: IPty = spawnPty(command, [...args], {
		name: 'xterm-256color',
		cols,
		rows,
		cwd,
		env: terminalEnv(env),
		encoding: null,
	});
	const exited = new Promise<ExitStatus>((resolve) => {
		pty.onExit(({exitCode, signal}) => {
			exit = {exitCode, signal: signal ? (signalNames.get(signal) ?? null) : null};
			live.delete(session);
			resolve(exit);
		});
	});
	const receive = (chunk: Buffer): void => {
		chunks.push(chunk);
		bytes += chunk.length;
		if (!disposed) {
			term.write(chunk);
		}
	};
	pty.onData((data: string | Buffer) => {
		receive(typeof data === 'string' ? Buffer.from(data) : data);
	});
	keepLastOutput(pty, receive);

	const settled = (): Promise<void> =>
		new Promise((resolve) => {
			if (disposed) {
				resolve();
			} else {
				term.write('', resolve);
			}
		});

	const toColor = (mode: 'fg' | 'bg', cell: IBufferCell): CellColor => {
		const isDefault = mode === 'fg' ? cell.isFgDefault() : cell.isBgDefault();
		if (isDefault) {
			return {mode: 'default', value: 0};
		}
		const rgb = mode === 'fg' ? cell.isFgRGB() : cell.isBgRGB();
		return {mode: rgb ? 'rgb' : 'palette', value: mode === 'fg' ? cell.getFgColor() : cell.getBgColor()};
	};

	const visibleLine = (row: number): IBufferLine | undefined => {
		const buffer = term.buffer.active;
		return buffer.getLine(buffer.baseY + row);
	};

	const dropTrailingBlank = (lines: string[]): string[] => {
		let end = lines.length;
		while (end > 0 && lines[end - 1] === '') {
			end--;
		}
		return lines.slice(0, end);
	};

	const screen = (): string[] =>
		Array.from({length: term.rows}, (_, row) => visibleLine(row)?.translateToString(true) ?? '');

	const cell = (col: number, row: number): Cell => {
		const found = visibleLine(row)?.getCell(col);
		if (found === undefined) {
			throw new RangeError(`cell(${col}, ${row}) is outside the ${term.cols}×${term.rows} screen`);
		}
		return {
			chars: found.getChars(),
			fg: toColor('fg', found),
			bg: toColor('bg', found),
			bold: found.isBold() !== 0,
			dim: found.isDim() !== 0,
			italic: found.isItalic() !== 0,
			underline: found.isUnderline() !== 0,
			inverse: found.isInverse() !== 0,
		};
	};

	const describe = (): string => {
		const state = exit
			? `exited with code ${exit.exitCode}${exit.signal ? ` (${exit.signal})` : ''}`
			: `running, pid ${pty.pid}`;
		const rule = '─'.repeat(term.cols);
		return `${term.cols}×${term.rows}, ${state}, ${bytes} bytes written; screen:\n${rule}\n${screen().join('\n')}\n${rule}`;
	};

	const session: TerminalSession = {
		get pid() {
			return pty.pid;
		},
		get cols() {
			return term.cols;
		},
		get rows() {
			return term.rows;
		},
		get bytes() {
			return bytes;
		},
		get exit() {
			return exit;
		},
		screen,
		text: () => dropTrailingBlank(screen()).join('\n'),
		scrollback() {
			const buffer = term.buffer.normal;
			return dropTrailingBlank(
				Array.from({length: buffer.length}, (_, y) => buffer.getLine(y)?.translateToString(true) ?? ''),
			);
		},
		cells: (row) => Array.from({length: term.cols}, (_, col) => cell(col, row)),
		cell,
		usesColor() {
			for (let row = 0; row < term.rows; row++) {
				for (let col = 0; col < term.cols; col++) {
					const {fg, bg} = cell(col, row);
					if (fg.mode !== 'default' || bg.mode !== 'default') {
						return true;
					}
				}
			}
			return false;
		},
		isAltScreen: () => term.buffer.active.type === 'alternate',
		cursorVisible: () => cursorShown,
		cursorPosition: () => ({col: term.buffer.active.cursorX, row: term.buffer.active.cursorY}),
		raw: (from = 0) => Buffer.concat(chunks).subarray(from).toString('utf8'),
		mark: () => bytes,
		write(keys) {
			if (exit === undefined && !disposed) {
				pty.write(keys);
			}
		},
		press(...names) {
			for (const name of names) {
				session.write(keyBytes(name, term.modes.applicationCursorKeysMode));
			}
		},
		resize(newCols, newRows) {
			// A real terminal resizes its grid first and then tells the pty, which sends SIGWINCH.
			term.resize(newCols, newRows);
			if (exit === undefined && !disposed) {
				pty.resize(newCols, newRows);
			}
		},
		async waitFor(condition, {timeout = 20_000, interval = 20} = {}) {
			const test =
				typeof condition === 'string'
					? () => session.text().includes(condition)
					: condition instanceof RegExp
						? () => condition.test(session.text())
						: () => condition(session);
			const what =
				typeof condition === 'function' ? `condition ${condition.name || '(predicate)'}` : String(condition);
			const deadline = Date.now() + timeout;
			for (;;) {
				await settled();
				if (test()) {
					return;
				}
				if (exit !== undefined) {
					// The process is gone and its output is parsed: the screen will not change any more.
					throw new Error(`waitFor ${what}: the program ended first; ${describe()}`);
				}
				if (Date.now() >= deadline) {
					throw new Error(`waitFor ${what}: timed out after ${timeout} ms; ${describe()}`);
				}
				await Promise.race([new Promise((resolve) => setTimeout(resolve, interval)), exited]);
			}
		},
		async waitForExit(timeout = 20_000) {
			let timer: NodeJS.Timeout | undefined;
			const timedOut = new Promise<never>((_, reject) => {
				timer = setTimeout(
					() => reject(new Error(`waitForExit: still running after ${timeout} ms; ${describe()}`)),
					timeout,
				);
			});
			try {
				const status = await Promise.race([exited, timedOut]);
				await settled();
				return status;
			} finally {
				clearTimeout(timer);
			}
		},
		settled,
		kill(signal = 'SIGTERM') {
			if (exit === undefined) {
				process.kill(pty.pid, signal);
			}
		},
		dispose() {
			if (disposed) {
				return;
			}
			disposed = true;
			live.delete(session);
			if (exit === undefined) {
				// The child leads its own session and process group: take any grandchildren with it.
				for (const target of [-pty.pid, pty.pid]) {
					try {
						process.kill(target, 'SIGKILL');
					} catch {
						// Already gone.
					}
				}
			}
			term.dispose();
		},
	};
	live.add(session);
	return session;
}
