/**
 * `--optimizers`: racer specs `NAME[:KEY=VALUE]…`, comma separated, into the engine's `RacerSpec`s.
 *
 * NAME is one of the note's four ids (`gd` = sgd × full, `sgd` = sgd × one, `mb-random`,
 * `mb-epoch`) or a rule (`momentum`, `nesterov`, `adagrad`, `rmsprop`, `adam`; batch `full`
 * unless told). KEYs: `lr`, `batch` (full|one|random|epoch), `size`, `shuffle` (true|false), the
 * rule's hyperparameters (`momentum`, `beta1`, `beta2`, `alpha`, `eps`) and `id`. `--lr`,
 * `--lr.<id>`, `--batch-size` and `--shuffle` are the defaults; a spec's own key wins. A name may
 * race more than once: ids are the name, then `name-2`, `name-3`, … (or `id=`), unique.
 *
 * Every mistake is a `UsageError` with one line naming the spec and the fix. Pure.
 */
import {RACER_NAMES, defaultBatch, nameDefaults, racerDisplayName} from '../engine/catalog.js';
import type {RacerName} from '../engine/catalog.js';
import {RULE_DEFAULTS, RULE_HYPERS} from '../engine/rules/rule.js';
import {BATCH_KINDS} from '../engine/types.js';
import type {BatchKind, BatchSpec, RacerSpec, RuleName, RuleSpec} from '../engine/types.js';
import {UsageError} from './errors.js';

/** Every key a spec may have, in the order the messages list them. */
export const SPEC_KEYS = ['lr', 'batch', 'size', 'shuffle', 'momentum', 'beta1', 'beta2', 'alpha', 'eps', 'id'] as const;
type SpecKey = (typeof SPEC_KEYS)[number];
type Hyper = 'momentum' | 'beta1' | 'beta2' | 'alpha' | 'eps';

/** Ids: what a flag name (`--lr.<id>`), a CSV field and a table column can carry. */
const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_-]{0,23}$/;

/** The defaults the flags give every racer. */
export type SpecDefaults = {
	/** `--lr`. */
	readonly lr: number;
	/** `--lr.<id>`, by id (checked against the racing ids by the caller). */
	readonly lrById: ReadonlyMap<string, number>;
	/** `--batch-size`: the size of random and epoch batches. */
	readonly batchSize: number;
	/** `--shuffle`: whether epoch batches reshuffle. */
	readonly shuffle: boolean;
};

/** A plain decimal number (no hex, no `Infinity`), as `config.ts` reads flags. */
const DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

function decimal(text: string): number {
	return DECIMAL.test(text) ? Number(text) : Number.NaN;
}

/** The rules that have a hyperparameter, for "race momentum or nesterov". */
function rulesWith(key: Hyper): RuleName[] {
	return (Object.keys(RULE_HYPERS) as RuleName[]).filter((rule) => (RULE_HYPERS[rule] as readonly string[]).includes(key));
}

/** `a, b or c`. */
function orList(items: readonly string[]): string {
	return items.length <= 1 ? items.join('') : `${items.slice(0, -1).join(', ')} or ${items.at(-1)!}`;
}

/** The keys a spec of this rule may have. */
function keysOf(rule: RuleName): string[] {
	return ['lr', 'batch', 'size', 'shuffle', ...RULE_HYPERS[rule], 'id'];
}

/** One spec's text, parsed; the id is settled later (it depends on the other specs). */
type Parsed = {
	readonly text: string;
	readonly name: RacerName;
	readonly values: ReadonlyMap<SpecKey, string>;
};

/** Parses `--optimizers` into racer specs, in order, with unique ids. Throws `UsageError`. */
export function parseRacerSpecs(text: string, defaults: SpecDefaults): RacerSpec[] {
	const example = 'gd,sgd,adam:lr=0.1';
	if (text.trim() === '') throw new UsageError(`--optimizers needs at least one name; e.g. --optimizers ${example}`);
	const pieces = text.split(',').map((piece) => piece.trim());
	if (pieces.includes('')) {
		throw new UsageError(`--optimizers ${JSON.stringify(text)} has an empty name; separate racer specs with single commas, e.g. --optimizers ${example}`);
	}
	const parsed = pieces.map(parseOne);

	// Ids in order: a racer without `id=` takes its name if free, else the first free name-2, name-3, …
	// that no racer's `id=` asks for; an `id=` already taken is an error.
	const explicit = new Set<string>();
	for (const spec of parsed) {
		const id = spec.values.get('id');
		if (id !== undefined) explicit.add(id);
	}
	const taken = new Map<string, number>();
	return parsed.map((spec, index) => {
		let id = spec.values.get('id');
		if (id !== undefined) {
			const other = taken.get(id);
			if (other !== undefined) {
				throw new UsageError(
					`--optimizers ${JSON.stringify(spec.text)}: id ${JSON.stringify(id)} is already racer ${other + 1}'s; choose another, e.g. ${spec.name}:id=${spec.name}-fast`,
				);
			}
		} else {
			id = spec.name;
			for (let k = 2; taken.has(id) || (k > 2 && explicit.has(id)); k++) id = `${spec.name}-${k}`;
		}
		taken.set(id, index);
		return build(spec, id, defaults);
	});
}

function parseOne(text: string): Parsed {
	const fail = (what: string): never => {
		throw new UsageError(`--optimizers ${JSON.stringify(text)}: ${what}`);
	};
	const [head = '', ...parts] = text.split(':');
	const name = head.trim();
	if (!(RACER_NAMES as readonly string[]).includes(name)) {
		const what = name === '' ? 'a racer spec starts with a name' : `unknown optimizer ${JSON.stringify(name)}`;
		fail(`${what}; use one of ${RACER_NAMES.join(', ')} (then :key=value settings, e.g. adam:lr=0.1)`);
	}
	const racer = name as RacerName;
	const rule = nameDefaults(racer).rule;
	const values = new Map<SpecKey, string>();
	for (const part of parts) {
		const equals = part.indexOf('=');
		const key = (equals < 0 ? part : part.slice(0, equals)).trim();
		const value = equals < 0 ? '' : part.slice(equals + 1).trim();
		if (!(SPEC_KEYS as readonly string[]).includes(key)) {
			fail(`unknown key ${JSON.stringify(key)}; ${racer} takes ${keysOf(rule).join(', ')} (as key=value)`);
		}
		const known = key as SpecKey;
		if (!keysOf(rule).includes(known)) {
			const owners = rulesWith(known as Hyper);
			const uses = rule === racer ? racer : `${racer} uses the plain sgd rule, which`;
			fail(`${uses} has no ${known}; race ${orList(owners)} for ${known} (${racer} takes ${keysOf(rule).join(', ')})`);
		}
		if (values.has(known)) fail(`${known} is given twice; give each key once`);
		if (value === '') fail(`${known} needs a value; e.g. ${racer}:${known}=${exampleValue(known, rule)}`);
		values.set(known, value);
	}
	return {text, name: racer, values};
}

function exampleValue(key: SpecKey, rule: RuleName): string {
	switch (key) {
		case 'lr':
			return rule === 'sgd' ? '0.01' : '0.1';
		case 'batch':
			return 'epoch';
		case 'size':
			return '30';
		case 'shuffle':
			return 'true';
		case 'id':
			return `${rule}-fast`;
		default: {
			const defaults = rule === 'sgd' ? {} : (RULE_DEFAULTS[rule] as Record<string, number>);
			return String(defaults[key] ?? RULE_DEFAULTS.adam[key as 'eps'] ?? 0.9);
		}
	}
}

function build(spec: Parsed, id: string, defaults: SpecDefaults): RacerSpec {
	const {text, name, values} = spec;
	const fail = (what: string): never => {
		throw new UsageError(`--optimizers ${JSON.stringify(text)}: ${what}`);
	};
	const defaultsOf = nameDefaults(name);
	const ruleName = defaultsOf.rule;
	const example = (key: SpecKey): string => `${name}:${key}=${exampleValue(key, ruleName)}`;

	if (values.has('id') && !ID_PATTERN.test(id)) {
		fail(`id must be 1 to 24 letters, digits, '-' or '_' (starting with a letter or digit), got ${JSON.stringify(id)}; e.g. ${example('id')}`);
	}

	let lr = defaults.lrById.get(id) ?? defaults.lr;
	const lrText = values.get('lr');
	if (lrText !== undefined) {
		lr = decimal(lrText);
		if (!(Number.isFinite(lr) && lr > 0)) fail(`lr must be a number > 0, got ${JSON.stringify(lrText)}; e.g. ${example('lr')}`);
	}

	const batchText = values.get('batch');
	let kind: BatchKind = defaultsOf.batch;
	if (batchText !== undefined) {
		if (!(BATCH_KINDS as readonly string[]).includes(batchText)) {
			fail(`batch must be one of ${BATCH_KINDS.join(', ')}, got ${JSON.stringify(batchText)}; e.g. ${example('batch')}`);
		}
		kind = batchText as BatchKind;
	}
	const sizeText = values.get('size');
	let size = defaults.batchSize;
	if (sizeText !== undefined) {
		if (kind !== 'random' && kind !== 'epoch') {
			fail(`size is for batch=random or batch=epoch (${name} has batch=${kind}); add :batch=epoch or drop size`);
		}
		size = decimal(sizeText);
		const batchKey = kind === defaultsOf.batch ? '' : `:batch=${kind}`;
		if (!(Number.isSafeInteger(size) && size >= 1)) fail(`size must be an integer >= 1, got ${JSON.stringify(sizeText)}; e.g. ${name}${batchKey}:size=30`);
	}
	const shuffleText = values.get('shuffle');
	let shuffle = defaults.shuffle;
	if (shuffleText !== undefined) {
		if (kind !== 'epoch') fail(`shuffle is for batch=epoch (${name} has batch=${kind}); add :batch=epoch or drop shuffle`);
		if (shuffleText !== 'true' && shuffleText !== 'false') {
			fail(`shuffle must be true or false, got ${JSON.stringify(shuffleText)}; e.g. ${name}${kind === defaultsOf.batch ? '' : ':batch=epoch'}:shuffle=true`);
		}
		shuffle = shuffleText === 'true';
	}
	const batch: BatchSpec = defaultBatch(kind, size, shuffle);

	const hyper = (key: Hyper): number => {
		const textValue = values.get(key);
		const fallback = (RULE_DEFAULTS as Record<string, Record<string, number>>)[ruleName]![key]!;
		if (textValue === undefined) return fallback;
		const value = decimal(textValue);
		if (key === 'eps') {
			if (!(Number.isFinite(value) && value > 0)) fail(`eps must be a number > 0, got ${JSON.stringify(textValue)}; e.g. ${example('eps')}`);
		} else if (!(value >= 0 && value < 1)) {
			fail(`${key} must be a number in [0, 1), got ${JSON.stringify(textValue)}; e.g. ${example(key)}`);
		}
		return value;
	};
	let rule: RuleSpec;
	switch (ruleName) {
		case 'sgd': {
			rule = {kind: 'sgd'};
			break;
		}
		case 'momentum':
		case 'nesterov': {
			rule = {kind: ruleName, momentum: hyper('momentum')};
			break;
		}
		case 'adagrad': {
			rule = {kind: 'adagrad', eps: hyper('eps')};
			break;
		}
		case 'rmsprop': {
			rule = {kind: 'rmsprop', alpha: hyper('alpha'), eps: hyper('eps')};
			break;
		}
		case 'adam': {
			rule = {kind: 'adam', beta1: hyper('beta1'), beta2: hyper('beta2'), eps: hyper('eps')};
			break;
		}
	}
	return {id, name: racerDisplayName(name, rule.kind, batch), rule, batch, lr};
}
