import {describe, expect, it} from 'vitest';
import {UsageError} from '../../src/cli/errors.js';
import {SERVE_DEFAULTS, SERVE_HELP, parseServeArgs} from '../../src/cli/serve-args.js';

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
		for (const flag of ['--port', '--host', '--host-key', '--authorized-keys', '--max-sessions', '--shared']) expect(SERVE_HELP).toContain(flag);
	});
});
