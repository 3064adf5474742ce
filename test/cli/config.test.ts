import {mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterAll, describe, expect, it} from 'vitest';
import {FLAG_SPECS, SWITCHES, parseArgs} from '../../src/cli/args.js';
import type {Config, Environment} from '../../src/cli/config.js';
import {colorEnabled, toConfig} from '../../src/cli/config.js';
import {UsageError} from '../../src/cli/errors.js';
import {BUNDLED_DATA} from '../../src/data/dataset.js';

const PIPE: Environment = {stdoutIsTTY: false, stdinIsTTY: false, env: {}};
const TERMINAL: Environment = {stdoutIsTTY: true, stdinIsTTY: true, env: {}};

const scratch = mkdtempSync(join(tmpdir(), 'gdrace-config-'));
const existing = join(scratch, 'existing.csv');
writeFileSync(existing, 'racer,iteration,samples,ms,loss\n');
mkdirSync(join(scratch, 'folder.csv'));
afterAll(() => rmSync(scratch, {recursive: true, force: true}));

/** argv → the config, or the exit code and one-line message the entry point would print. */
function run(argv: readonly string[], environment: Environment = PIPE): {config?: Config; code: number; message: string} {
	const parsed = parseArgs(argv);
	if (parsed.kind === 'error') return {code: 2, message: parsed.message};
	if (parsed.kind !== 'run') return {code: 0, message: parsed.text};
	try {
		return {config: toConfig(parsed.args, environment), code: 0, message: ''};
	} catch (error) {
		if (error instanceof UsageError) return {code: 2, message: error.message};
		throw error;
	}
}

function config(argv: readonly string[], environment: Environment = PIPE): Config {
	const result = run(argv, environment);
	if (result.config === undefined) throw new Error(`expected a config for ${argv.join(' ')}, got: ${result.message}`);
	return result.config;
}

describe('defaults', () => {
	it('are the study note settings', () => {
		const c = config([]);
		expect(c.data).toEqual({path: BUNDLED_DATA, features: ['RM', 'LSTAT'], target: 'MEDV', scale: 'minmax'});
		expect(c.racers).toEqual([
			{id: 'gd', name: 'Gradient descent', rule: {kind: 'sgd'}, batch: {kind: 'full'}, lr: 0.01},
			{id: 'sgd', name: 'Stochastic GD', rule: {kind: 'sgd'}, batch: {kind: 'one'}, lr: 0.01},
			{id: 'mb-random', name: 'Mini-batch (random)', rule: {kind: 'sgd'}, batch: {kind: 'random', size: 30}, lr: 0.01},
			{id: 'mb-epoch', name: 'Mini-batch (epoch)', rule: {kind: 'sgd'}, batch: {kind: 'epoch', size: 30, shuffle: false}, lr: 0.01},
		]);
		expect(c).toMatchObject({
			seed: 2023,
			clock: 'iteration',
			epochs: 5000,
			tolerance: 0.01,
			output: 'summary',
			export: null,
			fps: 30,
			speed: 256,
			exitOnFinish: false,
			hold: 2,
		});
	});
});

describe('every flag', () => {
	it('reads the data flags', () => {
		const c = config(['--data', 'x.csv', '--features', ' A , B,C', '--target', 'Y', '--scale', 'standard']);
		expect(c.data).toEqual({path: 'x.csv', features: ['A', 'B', 'C'], target: 'Y', scale: 'standard'});
	});

	it('reads the race flags', () => {
		const c = config([
			'--epochs', '1e3', '--optimizers', 'mb-epoch,gd', '--lr', '0.5', '--batch-size', '7', '--seed', '0',
			'--clock', 'samples', '--tolerance', '0.25', '--shuffle',
		]);
		expect(c.racers).toEqual([
			{id: 'mb-epoch', name: 'Mini-batch (epoch)', rule: {kind: 'sgd'}, batch: {kind: 'epoch', size: 7, shuffle: true}, lr: 0.5},
			{id: 'gd', name: 'Gradient descent', rule: {kind: 'sgd'}, batch: {kind: 'full'}, lr: 0.5},
		]);
		expect(c).toMatchObject({epochs: 1000, seed: 0, clock: 'samples', tolerance: 0.25});
		expect(config(['--seed', '4294967295']).seed).toBe(4294967295);
		expect(config(['--clock', 'time']).clock).toBe('time');
	});

	it('reads the output flags', () => {
		expect(config(['--json']).output).toBe('json');
		expect(config(['--log', 'seed']).output).toBe('seed');
		expect(config(['--log=ndjson']).output).toBe('ndjson');
		expect(config(['--plain']).output).toBe('summary');
		const target = join(scratch, 'new.ndjson');
		expect(config(['--export', target]).export).toEqual({path: target, format: 'ndjson', force: false});
		expect(config(['--export', join(scratch, 'new.JSONL')]).export?.format).toBe('ndjson');
		expect(config(['--export', existing, '--force']).export).toEqual({path: existing, format: 'csv', force: true});
	});

	it('reads the live screen flags', () => {
		expect(config(['--fps', '120', '--speed', '0.5', '--exit-on-finish'])).toMatchObject({fps: 120, speed: 0.5, exitOnFinish: true});
		expect(config(['--fps', '1']).fps).toBe(1);
		expect(config(['--exit-on-finish', '--hold', '0.5']).hold).toBe(0.5);
		expect(config(['--exit-on-finish', '--hold', '0']).hold).toBe(0);
		expect(config(['--exit-on-finish', '--hold', '3600']).hold).toBe(3600);
	});

	it('--demo is a switch like any other: --demo=true applies it, --no-demo and --demo=false do not, the last wins', () => {
		const epochs = (argv: string[]) => config(argv, TERMINAL).epochs;
		expect(epochs(['--demo=true'])).toBe(3000);
		expect(epochs(['--demo', '--no-demo'])).toBe(5000);
		expect(epochs(['--demo=false'])).toBe(5000);
		expect(epochs(['--no-demo', '--demo'])).toBe(3000);
		expect(epochs(['--demo', '--epochs', '7'])).toBe(7);
	});

	it('--demo: the note\'s four plus momentum and Adam, about 23 s of race, exit on finish; any flag given overrides it', () => {
		const demo = config(['--demo'], TERMINAL);
		expect(demo.racers.map((racer) => racer.id)).toEqual(['gd', 'sgd', 'mb-random', 'mb-epoch', 'momentum', 'adam']);
		expect(demo.racers.find((racer) => racer.id === 'adam')?.lr).toBe(0.1);
		expect(demo).toMatchObject({epochs: 3000, speed: 128, exitOnFinish: true, hold: 2, mode: 'live'});
		expect(config(['--epochs', '100', '--demo', '--no-exit-on-finish'], TERMINAL)).toMatchObject({epochs: 100, exitOnFinish: false});
		expect(config(['--demo', '--optimizers', 'gd'], TERMINAL).racers.map((racer) => racer.id)).toEqual(['gd']);
	});

	it('--map: two features; a message names the features and an example as typed, CSV-quoted', () => {
		expect(config(['--map', 'LSTAT,RM']).map).toEqual({x: 1, y: 0});
		expect(run(['--map', 'RM,NOPE'])).toMatchObject({code: 2, message: expect.stringMatching(/^--map names "NOPE", which is not one of the features \(RM, LSTAT\); e\.g\. --map RM,LSTAT$/)});
		const quoted = run(['--features', '"x,y",b', '--map', 'x,b']);
		expect(quoted).toMatchObject({code: 2});
		expect(quoted.message).toContain('which is not one of the features ("x,y", b); e.g. --map \'"x,y",b\'');
		expect(run(['--features', '"x,y",b', '--map', 'b'])).toMatchObject({code: 2, message: expect.stringContaining('e.g. --map \'"x,y",b\'')});
	});

	it('--view: the loss by default, gap or map; --demo opens on the gap, which any --view overrides', () => {
		expect(config([]).view).toBe('loss');
		expect(config(['--view', 'gap']).view).toBe('gap');
		expect(config(['--view', ' map ']).view).toBe('map');
		expect(config(['--demo'], TERMINAL).view).toBe('gap');
		expect(config(['--view', 'loss', '--demo'], TERMINAL).view).toBe('loss');
		expect(config(['--demo', '--view', 'map'], TERMINAL).view).toBe('map');
	});

	it('takes the last of a repeated flag', () => {
		expect(config(['--epochs', '1', '--epochs', '2']).epochs).toBe(2);
	});
});

describe('--lr and --lr.<id>', () => {
	const rates = (argv: readonly string[]) => Object.fromEntries(config(argv).racers.map((racer) => [racer.id, racer.lr]));

	it('overrides one racer and keeps --lr for the others, in either order', () => {
		const expected = {gd: 0.1, sgd: 0.005, 'mb-random': 0.1, 'mb-epoch': 0.1};
		expect(rates(['--lr', '0.1', '--lr.sgd', '0.005'])).toEqual(expected);
		expect(rates(['--lr.sgd', '0.005', '--lr', '0.1'])).toEqual(expected);
		expect(rates(['--lr.sgd=0.005', '--lr=0.1'])).toEqual(expected);
	});

	it('overrides against the default rate', () => {
		expect(rates(['--lr.gd', '1'])).toEqual({gd: 1, sgd: 0.01, 'mb-random': 0.01, 'mb-epoch': 0.01});
		expect(rates(['--lr.mb-random', '0.2', '--lr.mb-epoch', '0.3'])).toEqual({gd: 0.01, sgd: 0.01, 'mb-random': 0.2, 'mb-epoch': 0.3});
	});

	it('refuses an override for a racer that is not racing (issue 10 item 22), naming the racing ids', () => {
		expect(run(['--optimizers', 'gd', '--lr.sgd', '0.5'])).toEqual({
			code: 2,
			message: '--lr.sgd: no racer has id "sgd" (racing: gd); add it to --optimizers or drop --lr.sgd',
		});
		const result = run(['--lr.foo', '1']);
		expect(result.code).toBe(2);
		expect(result.message).toBe('--lr.foo: no racer has id "foo" (racing: gd, sgd, mb-random, mb-epoch); add it to --optimizers or drop --lr.foo');
	});

	it('sets racers of any id, and a spec\'s own lr wins', () => {
		expect(rates(['--optimizers', 'adam,adam,gd:lr=0.3', '--lr.adam-2', '0.5', '--lr.gd', '0.2', '--lr', '0.1'])).toEqual({
			adam: 0.1,
			'adam-2': 0.5,
			gd: 0.3,
		});
		expect(rates(['--optimizers', 'adam:id=fast', '--lr.fast=0.4'])).toEqual({fast: 0.4});
	});

	it('refuses --lr. without an id and --lr.<id> without a value', () => {
		expect(run(['--lr.', '1']).message).toBe('--lr. needs a racer id: --lr.<id> X, e.g. --lr.sgd 0.005');
		expect(run(['--lr.sgd']).message).toBe('--lr.sgd needs a value; e.g. --lr.sgd 0.005');
	});
});

describe('bad flags and values: one line, exit code 2', () => {
	const cases: readonly (readonly [string[], readonly string[]])[] = [
		[['--bogus'], ['unknown flag', '--bogus']],
		[['-x'], ['unknown flag', '-x']],
		[['--epoch', '5'], ['unknown flag', 'did you mean --epochs']],
		[['--optimiser', 'gd'], ['did you mean --optimizers']],
		[['--no-colour'], ['unknown flag', '--no-colour']],
		[['data.csv'], ['unexpected argument', '--data data.csv']],
		[['--lr.foo', '1'], ['no racer has id', 'foo']],
		[['--optimizers', 'gd,adamw'], ['unknown optimizer', '"adamw"', 'gd, sgd, mb-random, mb-epoch, momentum, nesterov, adagrad, rmsprop, adam']],
		[['--optimizers', ''], ['--optimizers', 'at least one']],
		[['--optimizers', 'gd,,sgd'], ['--optimizers', 'empty name']],
		[['--lr', '0'], ['--lr must be a number > 0', '"0"']],
		[['--lr', '-1'], ['--lr must be a number > 0', '"-1"']],
		[['--lr', 'abc'], ['--lr must be a number > 0', '"abc"']],
		[['--lr', 'Infinity'], ['--lr must be a number > 0']],
		[['--lr', '1e400'], ['--lr must be a number > 0']],
		[['--lr', '0x10'], ['--lr must be a number > 0']],
		[['--lr'], ['--lr needs a value']],
		[['--lr.sgd', '0'], ['--lr.sgd must be a number > 0']],
		[['--batch-size', '0'], ['--batch-size must be a positive integer', '"0"']],
		[['--batch-size', '2.5'], ['--batch-size must be a positive integer']],
		[['--epochs', '0'], ['--epochs must be a positive integer', '"0"']],
		[['--epochs', '-5'], ['--epochs must be a positive integer', '"-5"']],
		[['--epochs', '1.5'], ['--epochs must be a positive integer', '"1.5"']],
		[['--epochs', 'ten'], ['--epochs must be a positive integer']],
		[['--epochs', '1e13'], ['--epochs', 'at most 1e12']],
		[['--epochs'], ['--epochs needs a value']],
		[['--no-epochs'], ['--epochs must be a positive integer', '"false"']],
		[['--seed', '-1'], ['--seed must be an integer from 0 to 4294967295']],
		[['--seed', '4294967296'], ['--seed must be an integer from 0 to 4294967295']],
		[['--seed', '1.5'], ['--seed must be an integer']],
		[['--clock', 'wall'], ['unknown --clock "wall"', 'iteration, samples, time']],
		[['--scale', 'log'], ['unknown --scale "log"', 'minmax, standard, none']],
		[['--scale'], ['--scale needs a value', 'minmax, standard, none']],
		[['--view', 'chart'], ['unknown --view "chart"', 'loss, gap, map']],
		[['--view'], ['--view needs a value', 'loss, gap, map']],
		[['--tolerance', '0'], ['--tolerance', 'between 0 and 1']],
		[['--tolerance', '1'], ['--tolerance', 'between 0 and 1']],
		[['--tolerance', '-0.1'], ['--tolerance', 'between 0 and 1']],
		[['--tolerance', '5%'], ['--tolerance', 'between 0 and 1']],
		[['--fps', '0'], ['--fps must be an integer from 1 to 120', '"0"']],
		[['--fps', '121'], ['--fps must be an integer from 1 to 120']],
		[['--fps', '2.5'], ['--fps must be an integer from 1 to 120']],
		[['--speed', '0'], ['--speed must be a number > 0']],
		[['--speed', '-3'], ['--speed must be a number > 0']],
		[['--exit-on-finish', '--hold', '-1'], ['--hold must be seconds from 0 to 3600', '"-1"']],
		[['--exit-on-finish', '--hold', '3601'], ['--hold must be seconds from 0 to 3600']],
		[['--exit-on-finish', '--hold', 'two'], ['--hold must be seconds']],
		[['--exit-on-finish', '--hold'], ['--hold needs a value']],
		[['--hold', '2'], ['--hold only applies with --exit-on-finish', 'add --exit-on-finish']],
		[['--log', 'xml'], ['unknown --log "xml"', 'seed, ndjson']],
		[['--json', '--log', 'seed'], ['--json and --log', 'stdout']],
		[['--log', 'seed', '--clock', 'samples'], ['--log seed', '--clock iteration', '--log ndjson']],
		[['--features', ''], ['--features', 'at least one']],
		[['--features', 'RM,RM'], ['--features', '"RM" twice']],
		[['--features', 'RM,MEDV'], ['"MEDV" is both the target and a feature']],
		[['--features', 'RM', '--target', 'RM'], ['"RM" is both the target and a feature']],
		[['--target', ' '], ['--target needs a column name']],
		[['--data', ''], ['--data needs a value']],
		[['--export', 'out.txt'], ['--export "out.txt"', 'unknown file type', '.csv, .ndjson or .jsonl']],
		[['--export', ''], ['--export needs a file name']],
		[['--export', join(scratch, 'missing', 'out.csv')], ['does not exist', 'missing']],
		[['--export', join(existing, 'out.csv')], ['is not a directory', 'existing.csv']],
		[['--export', existing], ['the file exists', '--force']],
		[['--export', join(scratch, 'folder.csv')], ['is a directory']],
		[['--cast', join(scratch, 'x.cast'), '--plain'], ['--cast records the live screen', 'in a terminal']],
		// Refused rather than one silently winning (issue 10, item 22).
		[['--plain', '--json'], ['--plain prints the summary table and --json', 'choose one']],
		[['--plain', '--log', 'ndjson'], ['--plain prints the summary table and --log ndjson', 'choose one']],
		[['--shuffle=maybe'], ['--shuffle is a switch and takes no value, got "maybe"', '--no-shuffle']],
		[['--color=xyz'], ['--color is a switch and takes no value, got "xyz"', '--no-color']],
		[['--no-color=xyz'], ['--color is a switch and takes no value, got "xyz"']],
		[['--force=2'], ['--force is a switch and takes no value, got "2"']],
		[['--plain=yes'], ['--plain is a switch']],
		[['--exit-on-finish=1'], ['--exit-on-finish is a switch']],
		// Every switch of the flag table, the preset and --render too (yargs read these as off).
		[['--render=maybe', '--cast', join(scratch, 'x.cast')], ['--render is a switch and takes no value, got "maybe"', '--no-render']],
		[['--demo=yes'], ['--demo is a switch and takes no value, got "yes"', '--no-demo']],
		// The server's flags belong to gdrace serve.
		[['--port', '2222'], ['"--port" is a flag of gdrace serve (the race over SSH), not of a race; write gdrace serve --port 2222 (see gdrace serve --help)']],
		[['--shared', '--plain'], ['"--shared" is a flag of gdrace serve', 'write gdrace serve --shared (']],
		[['--max-sessions=4', '--plain'], ['"--max-sessions" is a flag of gdrace serve', 'write gdrace serve --max-sessions=4 (']],
		// A swap of two letters is one edit.
		[['--epcohs', '5'], ['unknown flag "--epcohs"; did you mean --epochs? (see gdrace --help)']],
		// A lone "-" is stdin only as the value of --data.
		[['-'], ['unexpected argument "-"', '--data -']],
		[['--features', '"x,y'], ['--features', 'never closed']],
		[['--features', '"x,y"z'], ['--features', 'after the quoted name "x,y"']],
		[['--features', '"",b'], ['--features', 'empty name']],
		// An /proc directory passes the permission check as root, but no file can be made there.
		...(process.platform === 'linux' ? [[['--export', '/proc/gdrace-x.csv'], ['--export "/proc/gdrace-x.csv": cannot create a file in "/proc"']] as [string[], string[]]] : []),
	];

	it.each(cases)('%j', (argv, words) => {
		const result = run(argv);
		expect(result.code).toBe(2);
		expect(result.message).not.toContain('\n');
		expect(result.message.length).toBeLessThan(240);
		for (const word of words) expect(result.message).toContain(word);
		// what is wrong; how to fix it
		expect(result.message).toMatch(/;|\(see gdrace --help\)/);
	});

	it('keeps a message on one line whatever the value holds', () => {
		const result = run(['--clock', 'a\nb']);
		expect(result.message).not.toMatch(/[\n\r]/);
		expect(result.message).toContain('"a\\nb"');
	});

	it('throws UsageError from toConfig (the entry point maps it to exit code 2)', () => {
		const parsed = parseArgs(['--epochs', '0']);
		if (parsed.kind !== 'run') throw new Error('expected arguments');
		expect(() => toConfig(parsed.args, PIPE)).toThrow(UsageError);
	});
});

describe('switches and values', () => {
	it('accept --x, --no-x, --x=true and --x=false', () => {
		const shuffle = (argv: string[]) => config([...argv, '--optimizers', 'mb-epoch']).racers[0]?.batch;
		expect(shuffle(['--shuffle'])).toMatchObject({shuffle: true});
		expect(shuffle(['--shuffle=true'])).toMatchObject({shuffle: true});
		expect(shuffle(['--shuffle=false'])).toMatchObject({shuffle: false});
		expect(shuffle(['--no-shuffle'])).toMatchObject({shuffle: false});
		expect(config(['--color=false'], TERMINAL).color).toBe(false);
	});

	it('read --data - as stdin (named "stdin" in messages), refused when stdin is the terminal', () => {
		for (const argv of [['--data', '-'], ['--data=-']]) {
			expect(config(argv).data).toMatchObject({path: '-', source: 'stdin'});
		}
		expect(run(['--data', '-'], {...PIPE, stdinIsTTY: true}).message).toBe(
			'--data - reads the CSV from stdin, but stdin is the terminal; pipe the file in, e.g. gdrace --data - < houses.csv',
		);
		// Other flags given "-" get it as their value (and refuse it by their own rules).
		expect(run(['--lr', '-']).message).toMatch(/^--lr must be a number > 0, got "-"/);
	});

	it('read --features like a CSV record: quotes keep a comma in a name, "" is a quote', () => {
		expect(config(['--features', '"x,y",b']).data.features).toEqual(['x,y', 'b']);
		expect(config(['--features', ' "x,y" , b ,"c"']).data.features).toEqual(['x,y', 'b', 'c']);
		expect(config(['--features', '"say ""hi""",a"b']).data.features).toEqual(['say "hi"', 'a"b']);
		expect(run(['--features', '"x,y","x,y"']).message).toContain('"x,y" twice');
	});
});

describe('mode', () => {
	it('is live on a terminal without a headless flag', () => {
		expect(config([], TERMINAL).mode).toBe('live');
		expect(config(['--fps', '60'], TERMINAL).mode).toBe('live');
	});

	it('is headless with --plain, --json, --log, or when stdout is not a terminal', () => {
		for (const flags of [['--plain'], ['--json'], ['--log', 'seed'], ['--log', 'ndjson']]) {
			expect(config(flags, TERMINAL).mode).toBe('headless');
		}
		expect(config([], PIPE).mode).toBe('headless');
	});

	it('checks --cast in a terminal like --export: a writable directory, no existing file without --force', () => {
		expect(config(['--cast', join(scratch, 'new.cast')], TERMINAL).cast).toEqual({path: join(scratch, 'new.cast'), force: false});
		expect(config(['--cast', existing, '--force'], TERMINAL).cast).toEqual({path: existing, force: true});
		expect(config([], TERMINAL).cast).toBeNull();
		for (const [argv, words] of [
			[['--cast', ''], ['--cast needs a file name']],
			[['--cast', join(scratch, 'missing', 'x.cast')], ['--cast', 'does not exist']],
			[['--cast', existing], ['--cast', 'the file exists', '--force']],
			[['--cast', scratch], ['--cast', 'is a directory']],
			// --force must never put a file where /dev/stdout's link is, whatever stdout is.
			...(process.platform === 'linux' ? [[['--cast', '/dev/stdout', '--force'], ['--cast "/dev/stdout" is a symbolic link; give the path of a file']] as const] : []),
			[['--cast', '/dev/null', '--force'], ['--cast "/dev/null" is not a regular file (a device, pipe or socket)']],
		] as const) {
			const result = run(argv, TERMINAL);
			expect(result.code).toBe(2);
			for (const word of words) expect(result.message).toContain(word);
		}
	});

	it('gives a TERM=dumb terminal the summary, as a pipe: it cannot move its cursor', () => {
		const dumb: Environment = {...TERMINAL, env: {TERM: 'dumb'}};
		expect(config([], dumb)).toMatchObject({mode: 'headless', output: 'summary', color: false});
		expect(config([], {...TERMINAL, env: {TERM: 'xterm-256color'}}).mode).toBe('live');
		expect(run(['--cast', join(scratch, 'dumb.cast')], dumb)).toEqual({
			code: 2,
			message: '--cast records the live screen, which a TERM=dumb terminal cannot show; run it in another terminal, or add --render',
		});
		expect(config(['--cast', join(scratch, 'dumb.cast'), '--render'], dumb).mode).toBe('render');
	});

	it('passes on whether stdin is a terminal (the live screen runs without keys when it is not)', () => {
		expect(config([], TERMINAL).keys).toBe(true);
		expect(config([], {...TERMINAL, stdinIsTTY: false}).keys).toBe(false);
	});
});

describe('color', () => {
	const env = (vars: Record<string, string>, stdoutIsTTY = true): Environment => ({stdoutIsTTY, stdinIsTTY: true, env: vars});

	it('is on for a terminal and off for a pipe', () => {
		expect(colorEnabled(undefined, env({}))).toBe(true);
		expect(colorEnabled(undefined, env({}, false))).toBe(false);
		expect(colorEnabled(undefined, env({TERM: 'dumb'}))).toBe(false);
	});

	it('honours NO_COLOR (non-empty), over FORCE_COLOR', () => {
		expect(colorEnabled(undefined, env({NO_COLOR: '1'}))).toBe(false);
		expect(colorEnabled(undefined, env({NO_COLOR: ''}))).toBe(true);
		expect(colorEnabled(undefined, env({NO_COLOR: '1', FORCE_COLOR: '1'}))).toBe(false);
	});

	it('lets FORCE_COLOR force colors into a pipe, or turn them off', () => {
		expect(colorEnabled(undefined, env({FORCE_COLOR: '1'}, false))).toBe(true);
		expect(colorEnabled(undefined, env({FORCE_COLOR: ''}, false))).toBe(true);
		expect(colorEnabled(undefined, env({FORCE_COLOR: '0'}))).toBe(false);
		expect(colorEnabled(undefined, env({FORCE_COLOR: 'false'}))).toBe(false);
	});

	it('lets --color and --no-color win over everything', () => {
		expect(config(['--color'], env({NO_COLOR: '1'}, false)).color).toBe(true);
		expect(config(['--no-color'], env({FORCE_COLOR: '3'})).color).toBe(false);
		expect(config([], env({})).color).toBe(true);
	});
});

describe('--help and --version', () => {
	const help = (() => {
		const parsed = parseArgs(['--help']);
		if (parsed.kind !== 'help') throw new Error('expected help');
		return parsed.text;
	})();

	it('lists the groups in order', () => {
		const positions = ['Data:', 'Race:', 'Output:', 'Live screen:'].map((group) => help.indexOf(`\n${group}\n`));
		for (const position of positions) expect(position).toBeGreaterThan(0);
		expect([...positions].sort((a, b) => a - b)).toEqual(positions);
	});

	it('lists every flag under its group', () => {
		const groups: Record<string, readonly string[]> = {
			'Data:': ['--data', '--features', '--target', '--scale'],
			'Race:': ['--epochs', '--optimizers', '--lr', '--batch-size', '--seed', '--clock', '--tolerance', '--shuffle'],
			'Output:': ['--plain', '--json', '--log', '--export', '--cast', '--render', '--cols', '--rows', '--force', '--color'],
			'Live screen:': ['--fps', '--speed', '--exit-on-finish', '--view', '--hold', '--demo'],
		};
		const sections = help.split(/\n(?=[A-Z][\w ]*:\n)/);
		for (const [group, flags] of Object.entries(groups)) {
			const section = sections.find((part) => part.startsWith(`${group}\n`)) ?? '';
			for (const flag of flags) expect(section).toMatch(new RegExp(`^\\s+(?:-\\w, )?${flag}\\s`, 'm'));
		}
		expect(help).toContain('--help');
		expect(help).toContain('--version');
	});

	it('documents the defaults, the choices, --lr.<id> and the exit codes', () => {
		for (const text of ['5000', 'RM,LSTAT', 'MEDV', 'minmax', '0.01', '2023', '256', 'iteration', 'samples', 'time',
			'standard', 'none', 'seed', 'ndjson', '--lr.<id>', '--no-color', 'NO_COLOR', '.csv', '.ndjson']) {
			expect(help).toContain(text);
		}
		expect(help).toMatch(/2 bad flag/);
		expect(help).toMatch(/130/);
	});

	// One table (FLAG_SPECS) declares the flags to yargs and makes Args, the switches and "did you mean".
	it('parses into one field per flag of the flag table, switches as booleans', () => {
		const parsed = parseArgs([]);
		expect(parsed.kind).toBe('run');
		const fields = Object.keys(FLAG_SPECS)
			.filter((flag) => flag !== 'demo')
			.map((flag) => flag.replace(/-(\w)/g, (_, letter: string) => letter.toUpperCase()));
		expect(Object.keys(parsed.kind === 'run' ? parsed.args : {}).sort()).toEqual([...fields, 'lrOverrides'].sort());
		expect([...SWITCHES].sort()).toEqual(['color', 'demo', 'exit-on-finish', 'force', 'json', 'plain', 'render', 'shuffle']);
		for (const flag of Object.keys(FLAG_SPECS)) expect(help).toMatch(new RegExp(`^\\s+--${flag}\\s`, 'm'));
	});

	it('prints the version of package.json', () => {
		const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {version: string};
		expect(parseArgs(['--version'])).toEqual({kind: 'version', text: pkg.version});
		expect(parseArgs(['-h']).kind).toBe('help');
	});
});
