import {existsSync, mkdtempSync, readFileSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {spawn as spawnPty} from 'node-pty';
import {afterEach, describe, expect, it} from 'vitest';
import {disposeAll, gdraceCommand, keepLastOutput, keyBytes, spawnTerminal, terminalEnv} from './pty.js';
import type {TerminalSession} from './pty.js';

// The harness proves itself on small stand-in programs, so it can be trusted before gdrace's
// live screen exists.
afterEach(disposeAll);

/** Run a Node script in a pseudo-terminal. */
function node(script: string, options: Parameters<typeof spawnTerminal>[2] = {}): TerminalSession {
	return spawnTerminal(process.execPath, ['-e', script], options);
}

/** Whether a process is gone (or a zombie nobody has reaped yet, which holds no resources). */
function isGone(pid: number): boolean {
	try {
		const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
		return stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z');
	} catch {
		return true;
	}
}

/** Resolve once `predicate` holds, polling; reject after `timeout` ms. */
async function until(predicate: () => boolean, timeout = 15_000): Promise<void> {
	const deadline = Date.now() + timeout;
	while (!predicate()) {
		if (Date.now() > deadline) {
			throw new Error(`condition not met within ${timeout} ms`);
		}
		await new Promise((resolve) => setTimeout(resolve, 20));
	}
}

/** A stand-in that reads keys in raw mode and calls `onKey(key)` (source text) for each. */
const rawKeys = (onKey: string): string => `
	process.stdin.setRawMode(true);
	process.stdin.setEncoding('utf8');
	process.stdin.on('data', (key) => { ${onKey} });
`;

describe('spawnTerminal', () => {
	it('shows what the program prints and reports its exit code', async () => {
		const term = node(`console.log('hello from the pty'); console.log('second line'); process.exit(3)`);
		await term.waitFor('hello from the pty');
		expect(await term.waitForExit()).toEqual({exitCode: 3, signal: null});
		expect(term.screen()).toHaveLength(30);
		expect(term.screen().slice(0, 2)).toEqual(['hello from the pty', 'second line']);
		expect(term.text()).toBe('hello from the pty\nsecond line');
		// The pty turns \n into \r\n, and bytes count what crossed the wire.
		expect(term.raw()).toBe('hello from the pty\r\nsecond line\r\n');
		expect(term.bytes).toBe(Buffer.byteLength(term.raw()));
	});

	it('gives the program a user-like terminal environment even when the test runs under CI', async () => {
		const term = node(
			`console.log(JSON.stringify({
				tty: process.stdout.isTTY && process.stdin.isTTY,
				size: [process.stdout.columns, process.stdout.rows],
				term: process.env.TERM,
				path: process.env.PATH,
				home: process.env.HOME,
				extra: process.env.GDRACE_TEST_EXTRA,
				leaked: Object.keys(process.env).filter((name) =>
					/^(CI|CONTINUOUS_INTEGRATION|NODE_ENV|VITEST|NO_COLOR|FORCE_COLOR)$|^(CI|VITEST)_/.test(name)),
			}))`,
			{cols: 80, rows: 24, env: {GDRACE_TEST_EXTRA: 'yes'}},
		);
		await term.waitForExit();
		expect(JSON.parse(term.raw())).toEqual({
			tty: true,
			size: [80, 24],
			term: 'xterm-256color',
			path: process.env['PATH'],
			home: process.env['HOME'],
			extra: 'yes',
			leaked: [],
		});
	});

	it('leaves what was printed after the alternate screen in the scrollback', async () => {
		const term = node(`
			${rawKeys(`process.stdout.write('\\x1b[?1049lafter\\r\\n'); process.exit(0);`)}
			process.stdout.write('before\\r\\n\\x1b[?1049h\\x1b[Hinside the alt screen');
		`);
		await term.waitFor('inside the alt screen');
		expect(term.isAltScreen()).toBe(true);
		expect(term.screen()[0]).toBe('inside the alt screen');
		term.press('x');
		await term.waitForExit();
		expect(term.isAltScreen()).toBe(false);
		expect(term.scrollback()).toEqual(['before', 'after']);
	});

	it('keeps lines that scrolled off the screen in the scrollback', async () => {
		const term = node(`for (let i = 1; i <= 100; i++) console.log('line ' + i)`, {rows: 10});
		await term.waitForExit();
		expect(term.screen()[8]).toBe('line 100');
		const scrollback = term.scrollback();
		expect(scrollback).toHaveLength(100);
		expect(scrollback[0]).toBe('line 1');
	});

	it('tracks whether the cursor is hidden', async () => {
		// Raw mode first: a key typed while the terminal is still cooked would be echoed ('hiddenx').
		const term = node(`
			${rawKeys(`process.stdout.write(' shown\\x1b[?25h'); process.exit(0);`)}
			process.stdout.write('\\x1b[?25lhidden');
		`);
		expect(term.cursorVisible()).toBe(true);
		await term.waitFor('hidden');
		expect(term.cursorVisible()).toBe(false);
		term.press('x');
		await term.waitForExit();
		expect(term.cursorVisible()).toBe(true);
		expect(term.text()).toBe('hidden shown');
	});

	it('types keys into a raw-mode program', async () => {
		const term = node(`
			${rawKeys(`
				process.stdout.write('got ' + JSON.stringify(key) + '\\r\\n');
				if (key === '\\u0003') process.exit(0);
			`)}
			console.log('ready');
		`);
		await term.waitFor('ready');
		term.press('a');
		await term.waitFor('got "a"');
		term.press('up');
		await term.waitFor('got "\\u001b[A"');
		term.press('space');
		await term.waitFor('got " "');
		term.write('é');
		await term.waitFor('got "é"');
		term.press('ctrl+c');
		expect(await term.waitForExit()).toEqual({exitCode: 0, signal: null});
		expect(term.text().split('\n')).toEqual(['ready', 'got "a"', 'got "\\u001b[A"', 'got " "', 'got "é"', 'got "\\u0003"']);
	});

	it('resizes the terminal and the program sees SIGWINCH', async () => {
		const term = node(`
			const size = () => process.stdout.columns + 'x' + process.stdout.rows;
			process.stdout.on('resize', () => console.log('resized to ' + size()));
			console.log('started at ' + size());
			setInterval(() => {}, 1000);
		`);
		await term.waitFor('started at 100x30');
		term.resize(60, 20);
		await term.waitFor('resized to 60x20');
		expect([term.cols, term.rows]).toEqual([60, 20]);
		expect(term.screen()).toHaveLength(20);
		term.resize(1, 1);
		await term.waitFor((t) => t.raw().includes('resized to 1x1'));
		term.resize(120, 40);
		await term.waitFor('resized to 120x40');
	});

	it('reports the signal that killed a program', async () => {
		const term = node(`console.log('ready'); setInterval(() => {}, 1000);`);
		await term.waitFor('ready');
		term.kill('SIGTERM');
		expect(await term.waitForExit()).toEqual({exitCode: 0, signal: 'SIGTERM'});
	});

	it('delivers SIGHUP and SIGTERM to handlers that choose their exit codes', async () => {
		const handler = `
			process.on('SIGHUP', () => { console.log('hangup'); process.exit(129); });
			process.on('SIGTERM', () => { console.log('terminated'); process.exit(143); });
			console.log('ready');
			setInterval(() => {}, 1000);
		`;
		const hup = node(handler);
		const term = node(handler);
		await Promise.all([hup.waitFor('ready'), term.waitFor('ready')]);
		hup.kill('SIGHUP');
		term.kill('SIGTERM');
		expect(await hup.waitForExit()).toEqual({exitCode: 129, signal: null});
		expect(await term.waitForExit()).toEqual({exitCode: 143, signal: null});
		expect(hup.text()).toBe('ready\nhangup');
		expect(term.text()).toBe('ready\nterminated');
	});

	it('reads cell colors and attributes', async () => {
		const term = node(`process.stdout.write('\\x1b[1;31mred\\x1b[0m plain \\x1b[38;2;1;2;3mrgb\\x1b[0m\\r\\n')`);
		await term.waitForExit();
		expect(term.cell(0, 0)).toMatchObject({chars: 'r', fg: {mode: 'palette', value: 1}, bold: true});
		expect(term.cell(4, 0)).toMatchObject({chars: 'p', fg: {mode: 'default'}, bold: false});
		expect(term.cell(10, 0).fg).toEqual({mode: 'rgb', value: 0x010203});
		expect(term.cells(0)).toHaveLength(100);
		expect(term.usesColor()).toBe(true);
		const plain = node(`console.log('no color here')`);
		await plain.waitForExit();
		expect(plain.usesColor()).toBe(false);
	});

	it('marks the output so a test can read only what came later', async () => {
		const term = node(`
			${rawKeys(`process.stdout.write('second'); process.exit(0);`)}
			console.log('first');
		`);
		await term.waitFor('first');
		const mark = term.mark();
		term.press('x');
		await term.waitForExit();
		expect(term.raw(mark)).toBe('second');
	});

	it('rejects waitFor with the current screen when it times out', async () => {
		const term = node(`console.log('something else'); setInterval(() => {}, 1000);`);
		await term.waitFor('something else');
		const error: unknown = await term.waitFor('never shown', {timeout: 100}).catch((error: unknown) => error);
		expect(error).toBeInstanceOf(Error);
		expect((error as Error).message).toMatch(/timed out after 100 ms/);
		expect((error as Error).message).toContain('something else');
	});

	it('rejects waitFor at once when the program ends without showing it', async () => {
		const term = node(`console.log('bye'); process.exit(1)`);
		const error: unknown = await term.waitFor(/never/, {timeout: 60_000}).catch((error: unknown) => error);
		expect((error as Error).message).toMatch(/ended first.*exited with code 1/s);
		expect((error as Error).message).toContain('bye');
	});

	it('rejects waitForExit with the screen when the program keeps running', async () => {
		const term = node(`console.log('still here'); setInterval(() => {}, 1000);`);
		await term.waitFor('still here');
		await expect(term.waitForExit(100)).rejects.toThrow(/still running after 100 ms.*still here/s);
	});

	it('kills the program and its children on dispose', async () => {
		const term = node(`
			const child = require('node:child_process').spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], {stdio: 'ignore'});
			console.log('child ' + child.pid);
			setInterval(() => {}, 1000);
		`);
		await term.waitFor(/child \d+/);
		const childPid = Number(/child (\d+)/.exec(term.text())?.[1]);
		const pid = term.pid;
		expect(isGone(pid) || isGone(childPid)).toBe(false);
		term.dispose();
		await until(() => isGone(pid) && isGone(childPid));
	});
});

describe('keepLastOutput', () => {
	it('reads what the program wrote last when node-pty destroys the stream before this process read it', () => {
		const dir = mkdtempSync(join(tmpdir(), 'gdrace-pty-'));
		const ready = join(dir, 'ready');
		// The program writes, then says so through a file, then stays (so that only the destroy ends the stream).
		const pty = spawnPty('sh', ['-c', 'printf "last words\\n"; : > "$0"; sleep 30', ready], {
			name: 'xterm-256color',
			cols: 80,
			rows: 24,
			env: terminalEnv(),
			encoding: null,
		});
		try {
			const received: Buffer[] = [];
			pty.onData((data: string | Buffer) => received.push(Buffer.from(data)));
			keepLastOutput(pty, (chunk) => received.push(chunk));
			// This event loop stays blocked, so the stream cannot read, until the output is in the pty.
			const deadline = Date.now() + 20_000;
			while (!existsSync(ready) && Date.now() < deadline) {
				// Busy: no await.
			}
			expect(existsSync(ready)).toBe(true);
			// What node-pty does 200 ms after an exit when the stream has not closed.
			(pty as unknown as {_socket: {destroy(): void}})._socket.destroy();
			expect(Buffer.concat(received).toString('utf8')).toContain('last words');
		} finally {
			pty.kill('SIGKILL');
			rmSync(dir, {recursive: true, force: true});
		}
	});
});

describe('keyBytes', () => {
	it('maps key names to what a terminal sends', () => {
		expect(keyBytes('q')).toBe('q');
		expect(keyBytes('?')).toBe('?');
		expect(keyBytes('space')).toBe(' ');
		expect(keyBytes('enter')).toBe('\r');
		expect(keyBytes('escape')).toBe('\x1b');
		expect(keyBytes('ctrl+c')).toBe('\x03');
		expect(keyBytes('Ctrl+D')).toBe('\x04');
		expect(keyBytes('up')).toBe('\x1b[A');
		expect(keyBytes('left', true)).toBe('\x1bOD');
		expect(keyBytes('shift+tab')).toBe('\x1b[Z');
		expect(keyBytes('f1')).toBe('\x1bOP');
		expect(() => keyBytes('hyper+x')).toThrow(/unknown key name/);
	});
});

describe('terminalEnv', () => {
	it('drops CI and test-runner variables, sets TERM, and applies overrides', () => {
		const env = terminalEnv(
			{NO_COLOR: '1', HOME: undefined},
			{
				PATH: '/bin',
				HOME: '/home/u',
				CI: 'true',
				CONTINUOUS_INTEGRATION: '1',
				CI_JOB_ID: '7',
				NODE_ENV: 'test',
				VITEST: 'true',
				VITEST_POOL_ID: '1',
				FORCE_COLOR: '3',
				TERM: 'dumb',
			},
		);
		expect(env).toEqual({PATH: '/bin', TERM: 'xterm-256color', NO_COLOR: '1'});
	});
});

describe('gdraceCommand', () => {
	it('runs the built CLI with this Node', () => {
		const [command, args] = gdraceCommand();
		expect(command).toBe(process.execPath);
		expect(args).toHaveLength(1);
		expect(args[0]).toMatch(/\/dist\/cli\.cjs$/);
	});
});
