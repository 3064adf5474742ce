import {describe, expect, it} from 'vitest';
import {UsageError} from '../../src/cli/errors.js';
import {parseArgs} from '../../src/cli/args.js';
import {SERVE_DEFAULTS, SERVE_FLAGS, SERVE_HELP, parseServeArgs, serveHelp} from '../../src/cli/serve-args.js';

describe('gdrace serve flags', () => {
	it('defaults to loopback port 2222 and 16 viewers, and leaves race flags for the race', () => {
		expect(parseServeArgs(['--epochs', '100', '--seed', '3'])).toEqual({
			kind: 'run',
			options: {port: 2222, host: '127.0.0.1', maxSessions: 16, shared: false},
			rest: ['--epochs', '100', '--seed', '3'],
		});
		expect(SERVE_DEFAULTS).toEqual({port: 2222, host: '127.0.0.1', maxSessions: 16});
	});

	it('reads every server flag, with = too', () => {
		const parsed = parseServeArgs(['--port=0', '--host', '0.0.0.0', '--host-key', 'k', '--authorized-keys=a', '--max-sessions', '4', '--shared', '--fps', '10']);
		expect(parsed).toEqual({kind: 'run', options: {port: 0, host: '0.0.0.0', hostKey: 'k', authorizedKeys: 'a', maxSessions: 4, shared: true}, rest: ['--fps', '10']});
	});

	it('refuses bad values in one line', () => {
		for (const [argv, words] of [
			[['--port', '70000'], '--port must be an integer from 0 to 65535'],
			[['--port', 'x'], '--port must be an integer'],
			[['--max-sessions', '0'], '--max-sessions must be an integer from 1 to 1000'],
			[['--port'], '--port needs a value'],
			[['--host', ''], '--host needs an address'],
			[['--shared=yes'], '--shared takes no value'],
		] as const) {
			expect(() => parseServeArgs(argv)).toThrow(UsageError);
			expect(() => parseServeArgs(argv)).toThrow(words);
		}
	});

	it('has its own help, which says that anyone who reaches the port may watch without --authorized-keys', () => {
		expect(parseServeArgs(['--help'])).toEqual({kind: 'help'});
		expect(SERVE_HELP).toMatch(/ANYONE who can reach the port may watch/);
		for (const flag of SERVE_FLAGS) expect(SERVE_HELP).toContain(`--${flag}`);
	});

	it("wraps its help to the terminal's width, whole words only, with every flag and default", () => {
		const words = (text: string) => text.split(/\s+/).filter(Boolean);
		const whole = words(serveHelp(1000));
		for (const width of [30, 40, 50, 63, 64, 80, 100, 120]) {
			const text = serveHelp(width);
			const lines = text.split('\n');
			expect(Math.max(...lines.map((line) => line.length)), String(width)).toBeLessThanOrEqual(width);
			for (const flag of SERVE_FLAGS) expect(text).toContain(`--${flag}`);
			expect(text).toContain(`[default: ${SERVE_DEFAULTS.maxSessions}]`);
			// From 50 columns no word is cut (below, a path longer than an indented line may be).
			if (width >= 50) expect(words(text), String(width)).toEqual(whole);
		}
		// Side by side from 64 columns: the text starts on the flag's line, at column 24.
		expect(serveHelp(64)).toMatch(/^ {2}--port N {14}port to listen on/m);
		expect(serveHelp(63)).toMatch(/^ {2}--port N\n {6}port to listen on/m);
		expect(SERVE_HELP).toBe(serveHelp(100));
	});

	it('takes every flag of SERVE_FLAGS (the list the messages below suggest from)', () => {
		expect([...SERVE_FLAGS].sort()).toEqual(['authorized-keys', 'host', 'host-key', 'max-sessions', 'port', 'shared']);
		for (const flag of SERVE_FLAGS) {
			const parsed = parseServeArgs(flag === 'shared' ? ['--shared'] : [`--${flag}`, flag === 'host' ? '::1' : '7']);
			expect(parsed.kind === 'run' && parsed.rest).toEqual([]);
		}
	});

	// What the server's flags leave is parsed as race flags (parseArgs with serve: true): a typo of a
	// server flag is not "unknown" next to the race flags alone.
	it('suggests the server flag a misspelt one meant, or the race flag, each with its help', () => {
		const message = (argv: string[]) => {
			const parsed = parseArgs(argv, {serve: true});
			return parsed.kind === 'error' ? parsed.message : parsed.kind;
		};
		expect(message(['--max-session', '4'])).toBe('unknown flag "--max-session"; did you mean --max-sessions? (see gdrace serve --help)');
		expect(message(['--hots', '::1'])).toBe('unknown flag "--hots"; did you mean --host? (see gdrace serve --help)');
		expect(message(['--prot', '2222'])).toBe('unknown flag "--prot"; did you mean --port? (see gdrace serve --help)');
		expect(message(['--shard'])).toBe('unknown flag "--shard"; did you mean --shared? (see gdrace serve --help)');
		expect(message(['--epoch', '5'])).toBe('unknown flag "--epoch"; did you mean --epochs? (see gdrace --help)');
		expect(message(['--zzzzzz'])).toBe('unknown flag "--zzzzzz"; see gdrace serve --help for its flags and gdrace --help for the race flags');
		expect(message(['watch'])).toBe('unexpected argument "watch": gdrace serve takes only flags (see gdrace serve --help)');
		expect(message(['--version'])).toBe('version');
	});
});
