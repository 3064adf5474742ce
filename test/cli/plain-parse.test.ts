/**
 * `plainParse`, the command line read without yargs when it is written only in the plain forms:
 * whatever it reads must be exactly what yargs reads, and anything else must go to yargs.
 */
import {describe, expect, it} from 'vitest';
import {FLAG_SPECS, parseArgs, plainParse, quickParse} from '../../src/cli/args.js';
import type {Flag} from '../../src/cli/args.js';

const FLAGS = Object.keys(FLAG_SPECS) as Flag[];
const VALUE_FLAGS = FLAGS.filter((flag) => FLAG_SPECS[flag].kind === 'value');
const SWITCH_FLAGS = FLAGS.filter((flag) => FLAG_SPECS[flag].kind !== 'value' && flag !== 'demo');
/** Values as a user may type them, the awkward ones included (none starts with `-`). */
const VALUES = ['100', '1e3', '0x10', '1.5', 'NaN', '', ' spaced ', 'a b', 'a=b', '=', 'true', 'false', 'null', 'undefined', '__proto__', 'constructor', 'gd,sgd', 'adam:lr=0.1', 'data/boston.csv', 'ünï', '  -3'];

/** A small seeded generator (the test must not depend on Math.random). */
function lcg(seed: number): (n: number) => number {
	let state = seed >>> 0;
	return (n) => {
		state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
		return state % n;
	};
}

/** A random command line of the plain forms: 0–7 flags, repeats and both spellings included. */
function plainCommandLine(next: (n: number) => number): string[] {
	const tokens: string[] = [];
	const count = next(8);
	for (let k = 0; k < count; k++) {
		if (next(2) === 0) {
			const flag = VALUE_FLAGS[next(VALUE_FLAGS.length)]!;
			const value = VALUES[next(VALUES.length)]!;
			if (next(2) === 0) tokens.push(`--${flag}=${value}`);
			else tokens.push(`--${flag}`, value);
		} else {
			const flag = SWITCH_FLAGS[next(SWITCH_FLAGS.length)]!;
			tokens.push([`--${flag}`, `--no-${flag}`, `--${flag}=true`, `--${flag}=false`][next(4)]!);
		}
	}
	return tokens;
}

describe('plainParse', () => {
	it('can read every flag: each name is of the plain form', () => {
		for (const flag of FLAGS) expect(flag).toMatch(/^[a-z][a-z-]*$/);
	});

	it('reads 2000 random plain command lines exactly as yargs does', () => {
		const next = lcg(20261203);
		for (let k = 0; k < 2000; k++) {
			const argv = plainCommandLine(next);
			expect(plainParse(argv), argv.join(' ')).toBeDefined();
			const yargs = parseArgs(argv, {yargsOnly: true});
			expect(parseArgs(argv), argv.join(' ')).toEqual(yargs);
			// What the command runs first, without loading yargs at all.
			expect(quickParse(argv), argv.join(' ')).toEqual(yargs);
		}
	});

	it('reads the book race and the usual headless command lines', () => {
		for (const argv of [[], ['--json'], ['--plain'], ['--json', '--epochs', '100', '--seed=7'], ['--log', 'seed', '--optimizers', 'gd'], ['--no-color', '--plain'], ['--demo'], ['--demo', '--epochs', '10', '--no-demo'], ['--demo=true', '--speed=1']]) {
			expect(plainParse(argv)).toBeDefined();
			expect(parseArgs(argv)).toEqual(parseArgs(argv, {yargsOnly: true}));
		}
	});

	it('leaves everything else to yargs, with the same result as before', () => {
		const others = [
			['--help'],
			['-h'],
			['--version'],
			['--json', '--help'],
			['--nope'],
			['--Json'],
			['--json', 'false'],
			['stray'],
			['--epochs'],
			['--epochs', '-5'],
			['--epochs', '--json'],
			['--no-epochs'],
			['--no-json=true'],
			['--json=maybe'],
			['--json', '--', '--plain'],
			['--', 'x'],
			['-j'],
			['--no-nope'],
			['--constructor'],
			['--__proto__'],
		];
		for (const argv of others) {
			expect(plainParse(argv), argv.join(' ')).toBeUndefined();
			const yargs = parseArgs(argv, {yargsOnly: true});
			expect(parseArgs(argv), argv.join(' ')).toEqual(yargs);
			// Left to yargs, or refused before yargs would see it (a switch given a value), as parseArgs does.
			const quick = quickParse(argv);
			if (quick !== undefined) expect(quick).toEqual({kind: 'error', message: expect.any(String)});
			if (quick !== undefined) expect(quick).toEqual(yargs);
		}
	});

	it('lets the last of repeated flags win, as yargs does', () => {
		expect(plainParse(['--epochs', '5', '--epochs=7', '--json', '--no-json'])).toEqual({epochs: '7', json: false});
	});

	it('reads the parts --data - and --lr.<id> become before it', () => {
		const argv = ['--data', '-', '--lr.sgd', '0.5', '--json'];
		const parsed = parseArgs(argv);
		expect(parsed).toEqual(parseArgs(argv, {yargsOnly: true}));
		expect(parsed).toMatchObject({kind: 'run', args: {data: '-', json: true, lrOverrides: {sgd: '0.5'}}});
	});
});
