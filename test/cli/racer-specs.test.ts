/**
 * `--optimizers` racer specs (issue 7): what each spec makes, how ids are given, which flags are
 * defaults and which keys win, and every bad spec's exact line (exit code 2).
 */
import {describe, expect, it} from 'vitest';
import {parseArgs} from '../../src/cli/args.js';
import type {Config} from '../../src/cli/config.js';
import {toConfig} from '../../src/cli/config.js';
import {UsageError} from '../../src/cli/errors.js';
import {parseRacerSpecs} from '../../src/cli/racer-specs.js';

/** argv → the config, or the exit code and the one line the entry point prints after `gdrace: `. */
function run(argv: readonly string[]): {config?: Config; code: number; message: string} {
	const parsed = parseArgs(argv);
	if (parsed.kind === 'error') return {code: 2, message: parsed.message};
	if (parsed.kind !== 'run') return {code: 0, message: parsed.text};
	try {
		return {config: toConfig(parsed.args, {stdoutIsTTY: false, stdinIsTTY: false, env: {}}), code: 0, message: ''};
	} catch (error) {
		if (error instanceof UsageError) return {code: 2, message: error.message};
		throw error;
	}
}

const DEFAULTS = {lr: 0.01, lrById: new Map<string, number>(), batchSize: 30, shuffle: false};
const specs = (text: string, defaults = DEFAULTS) => parseRacerSpecs(text, defaults);

describe('racer specs', () => {
	it('the issue\'s example: names, rules, batches, hyperparameters', () => {
		const racers = specs('gd,sgd,adam:lr=0.1,momentum:lr=0.01:momentum=0.8,adam:batch=epoch:size=30');
		expect(racers).toEqual([
			{id: 'gd', name: 'Gradient descent', rule: {kind: 'sgd'}, batch: {kind: 'full'}, lr: 0.01},
			{id: 'sgd', name: 'Stochastic GD', rule: {kind: 'sgd'}, batch: {kind: 'one'}, lr: 0.01},
			{id: 'adam', name: 'Adam', rule: {kind: 'adam', beta1: 0.9, beta2: 0.999, eps: 1e-8}, batch: {kind: 'full'}, lr: 0.1},
			{id: 'momentum', name: 'Momentum', rule: {kind: 'momentum', momentum: 0.8}, batch: {kind: 'full'}, lr: 0.01},
			{
				id: 'adam-2',
				name: 'Adam (epoch 30)',
				rule: {kind: 'adam', beta1: 0.9, beta2: 0.999, eps: 1e-8},
				batch: {kind: 'epoch', size: 30, shuffle: false},
				lr: 0.01,
			},
		]);
	});

	it('each rule with PyTorch\'s defaults; every key of every rule', () => {
		expect(specs('nesterov,adagrad,rmsprop').map((r) => r.rule)).toEqual([
			{kind: 'nesterov', momentum: 0.9},
			{kind: 'adagrad', eps: 1e-10},
			{kind: 'rmsprop', alpha: 0.99, eps: 1e-8},
		]);
		const [adam, rmsprop, nesterov, adagrad] = specs('adam:beta1=0.8:beta2=0.99:eps=1e-6,rmsprop:alpha=0.9:eps=1e-7,nesterov:momentum=0,adagrad:eps=0.5');
		expect(adam?.rule).toEqual({kind: 'adam', beta1: 0.8, beta2: 0.99, eps: 1e-6});
		expect(rmsprop?.rule).toEqual({kind: 'rmsprop', alpha: 0.9, eps: 1e-7});
		expect(nesterov?.rule).toEqual({kind: 'nesterov', momentum: 0});
		expect(adagrad?.rule).toEqual({kind: 'adagrad', eps: 0.5});
	});

	it('batch keys: every policy, size and shuffle; the note\'s names keep their own policy', () => {
		const racers = specs('sgd:batch=full,gd:batch=one,adam:batch=random:size=8,momentum:batch=epoch:shuffle=true,mb-random:size=5,mb-epoch:shuffle=true:size=50');
		expect(racers.map((r) => [r.id, r.name, r.batch])).toEqual([
			['sgd', 'SGD (full batch)', {kind: 'full'}],
			['gd', 'SGD (one row)', {kind: 'one'}],
			['adam', 'Adam (random 8)', {kind: 'random', size: 8}],
			['momentum', 'Momentum (epoch 30, shuffled)', {kind: 'epoch', size: 30, shuffle: true}],
			['mb-random', 'Mini-batch (random)', {kind: 'random', size: 5}],
			['mb-epoch', 'Mini-batch (epoch)', {kind: 'epoch', size: 50, shuffle: true}],
		]);
	});

	it('blanks around names, keys and values are ignored', () => {
		expect(specs(' adam : lr = 0.5 , gd ').map((r) => [r.id, r.lr])).toEqual([
			['adam', 0.5],
			['gd', 0.01],
		]);
	});

	it('ids: the name, then name-2, name-3, …; id= names a racer; an id= later in the list is kept free', () => {
		expect(specs('adam:lr=0.1,adam:lr=0.01,adam:lr=0.001').map((r) => r.id)).toEqual(['adam', 'adam-2', 'adam-3']);
		expect(specs('gd,gd').map((r) => r.id)).toEqual(['gd', 'gd-2']);
		expect(specs('adam,adam,adam:id=adam-2').map((r) => r.id)).toEqual(['adam', 'adam-3', 'adam-2']);
		expect(specs('adam:id=fast_1,adam').map((r) => r.id)).toEqual(['fast_1', 'adam']);
	});

	it('--lr, --lr.<id>, --batch-size and --shuffle are defaults; a spec\'s own key wins', () => {
		const defaults = {lr: 0.2, lrById: new Map([['adam-2', 0.05]]), batchSize: 7, shuffle: true};
		const racers = specs('adam,adam,adam:lr=0.3,mb-epoch,mb-epoch:size=9:shuffle=false,mb-random,momentum:batch=random', defaults);
		expect(racers.map((r) => [r.id, r.lr, r.batch])).toEqual([
			['adam', 0.2, {kind: 'full'}],
			['adam-2', 0.05, {kind: 'full'}],
			['adam-3', 0.3, {kind: 'full'}],
			['mb-epoch', 0.2, {kind: 'epoch', size: 7, shuffle: true}],
			['mb-epoch-2', 0.2, {kind: 'epoch', size: 9, shuffle: false}],
			['mb-random', 0.2, {kind: 'random', size: 7}],
			['momentum', 0.2, {kind: 'random', size: 7}],
		]);
		// A spec's lr wins over --lr.<id> too.
		expect(specs('adam:lr=0.3', {...defaults, lrById: new Map([['adam', 0.05]])})[0]?.lr).toBe(0.3);
	});

	it('through the command line', () => {
		const result = run(['--optimizers', 'gd,adam:lr=0.1', '--lr.gd', '0.02', '--batch-size', '12']);
		expect(result.config?.racers.map((r) => [r.id, r.lr])).toEqual([
			['gd', 0.02],
			['adam', 0.1],
		]);
	});
});

describe('every bad spec: exit 2 and one line naming the spec and the fix', () => {
	const NAMES = 'gd, sgd, mb-random, mb-epoch, momentum, nesterov, adagrad, rmsprop, adam';
	const cases: readonly (readonly [string, string, string])[] = [
		['unknown name', 'gd,adamw', `--optimizers "adamw": unknown optimizer "adamw"; use one of ${NAMES} (then :key=value settings, e.g. adam:lr=0.1)`],
		['no name', ':lr=1', `--optimizers ":lr=1": a racer spec starts with a name; use one of ${NAMES} (then :key=value settings, e.g. adam:lr=0.1)`],
		['unknown key', 'adam:lrr=0.1', '--optimizers "adam:lrr=0.1": unknown key "lrr"; adam takes lr, batch, size, shuffle, beta1, beta2, eps, id (as key=value)'],
		[
			'a key the rule does not have',
			'adam:momentum=0.9',
			'--optimizers "adam:momentum=0.9": adam has no momentum; race momentum or nesterov for momentum (adam takes lr, batch, size, shuffle, beta1, beta2, eps, id)',
		],
		[
			'a hyperparameter of a note racer',
			'gd:beta1=0.9',
			'--optimizers "gd:beta1=0.9": gd uses the plain sgd rule, which has no beta1; race adam for beta1 (gd takes lr, batch, size, shuffle, id)',
		],
		[
			'eps on sgd',
			'sgd:eps=1e-8',
			'--optimizers "sgd:eps=1e-8": sgd has no eps; race adagrad, rmsprop or adam for eps (sgd takes lr, batch, size, shuffle, id)',
		],
		['a repeated key', 'adam:lr=0.1:lr=0.2', '--optimizers "adam:lr=0.1:lr=0.2": lr is given twice; give each key once'],
		['a key without a value', 'adam:lr', '--optimizers "adam:lr": lr needs a value; e.g. adam:lr=0.1'],
		['an empty value', 'momentum:momentum=', '--optimizers "momentum:momentum=": momentum needs a value; e.g. momentum:momentum=0.9'],
		['lr 0', 'adam:lr=0', '--optimizers "adam:lr=0": lr must be a number > 0, got "0"; e.g. adam:lr=0.1'],
		['lr < 0', 'gd:lr=-1', '--optimizers "gd:lr=-1": lr must be a number > 0, got "-1"; e.g. gd:lr=0.01'],
		['lr not finite', 'adam:lr=1e400', '--optimizers "adam:lr=1e400": lr must be a number > 0, got "1e400"; e.g. adam:lr=0.1'],
		['lr not a number', 'adam:lr=Infinity', '--optimizers "adam:lr=Infinity": lr must be a number > 0, got "Infinity"; e.g. adam:lr=0.1'],
		['momentum 1', 'momentum:momentum=1', '--optimizers "momentum:momentum=1": momentum must be a number in [0, 1), got "1"; e.g. momentum:momentum=0.9'],
		['momentum < 0', 'nesterov:momentum=-0.1', '--optimizers "nesterov:momentum=-0.1": momentum must be a number in [0, 1), got "-0.1"; e.g. nesterov:momentum=0.9'],
		['beta1 1', 'adam:beta1=1', '--optimizers "adam:beta1=1": beta1 must be a number in [0, 1), got "1"; e.g. adam:beta1=0.9'],
		['beta2 > 1', 'adam:beta2=1.5', '--optimizers "adam:beta2=1.5": beta2 must be a number in [0, 1), got "1.5"; e.g. adam:beta2=0.999'],
		['alpha 1', 'rmsprop:alpha=1', '--optimizers "rmsprop:alpha=1": alpha must be a number in [0, 1), got "1"; e.g. rmsprop:alpha=0.99'],
		['eps 0', 'adam:eps=0', '--optimizers "adam:eps=0": eps must be a number > 0, got "0"; e.g. adam:eps=1e-8'],
		['eps < 0', 'adagrad:eps=-1', '--optimizers "adagrad:eps=-1": eps must be a number > 0, got "-1"; e.g. adagrad:eps=1e-10'],
		['size 0', 'adam:batch=epoch:size=0', '--optimizers "adam:batch=epoch:size=0": size must be an integer >= 1, got "0"; e.g. adam:batch=epoch:size=30'],
		['size not whole', 'mb-random:size=2.5', '--optimizers "mb-random:size=2.5": size must be an integer >= 1, got "2.5"; e.g. mb-random:size=30'],
		['size on a full batch', 'adam:size=30', '--optimizers "adam:size=30": size is for batch=random or batch=epoch (adam has batch=full); add :batch=epoch or drop size'],
		['shuffle on a full batch', 'adam:shuffle=true', '--optimizers "adam:shuffle=true": shuffle is for batch=epoch (adam has batch=full); add :batch=epoch or drop shuffle'],
		['shuffle neither true nor false', 'mb-epoch:shuffle=maybe', '--optimizers "mb-epoch:shuffle=maybe": shuffle must be true or false, got "maybe"; e.g. mb-epoch:shuffle=true'],
		['unknown batch', 'adam:batch=most', '--optimizers "adam:batch=most": batch must be one of full, one, random, epoch, got "most"; e.g. adam:batch=epoch'],
		['a duplicate id', 'gd,sgd:id=gd', '--optimizers "sgd:id=gd": id "gd" is already racer 1\'s; choose another, e.g. sgd:id=sgd-fast'],
		['a duplicate id after an automatic one', 'adam,adam:id=adam', '--optimizers "adam:id=adam": id "adam" is already racer 1\'s; choose another, e.g. adam:id=adam-fast'],
		[
			'an id a flag cannot carry',
			'adam:id=a.b',
			'--optimizers "adam:id=a.b": id must be 1 to 24 letters, digits, \'-\' or \'_\' (starting with a letter or digit), got "a.b"; e.g. adam:id=adam-fast',
		],
		['an empty spec', 'gd,,sgd', '--optimizers "gd,,sgd" has an empty name; separate racer specs with single commas, e.g. --optimizers gd,sgd,adam:lr=0.1'],
		['nothing', ' ', '--optimizers needs at least one name; e.g. --optimizers gd,sgd,adam:lr=0.1'],
	];
	it.each(cases)('%s: %s', (_name, text, message) => {
		expect(run(['--optimizers', text])).toEqual({code: 2, message});
	});

	it('--lr.<id> for an id that does not race is refused (issue 10 item 22)', () => {
		expect(run(['--optimizers', 'gd,adam', '--lr.sgd', '0.1'])).toEqual({
			code: 2,
			message: '--lr.sgd: no racer has id "sgd" (racing: gd, adam); add it to --optimizers or drop --lr.sgd',
		});
		expect(run(['--optimizers', 'adam,adam', '--lr.adam-3=0.1']).message).toBe(
			'--lr.adam-3: no racer has id "adam-3" (racing: adam, adam-2); add it to --optimizers or drop --lr.adam-3',
		);
	});
});
