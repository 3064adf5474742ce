/**
 * The command line's flags, and reading a command line written in their plain forms without
 * yargs (`quickParse`), to the very result yargs gives (`args.ts` parses everything else with
 * yargs, and is loaded only then: yargs and its helpers, 200 KB, are an eighth of the code the
 * live screen parses before its first frame).
 * Nothing here prints or exits.
 *
 * Every value flag is read as a string (not a yargs `number`), so that `--epochs 1.5` or
 * `--lr abc` reach `toConfig` as typed and get a message naming the flag, rather than a NaN.
 */
import {RACER_NAMES} from '../engine/catalog.js';
import {OPTIMIZER_IDS} from '../engine/types.js';
import {DEFAULTS, FPS_RANGE, MAX_SEED} from './config.js';
import {oneLine} from './errors.js';

/**
 * How a flag is written: `value`, `--x V` or `--x=V` (read as the string typed); `switch`, `--x`
 * to turn it on and `--no-x` to turn it off (off when not given); `tristate`, a switch whose
 * absence means "decide for me" (undefined).
 */
type FlagKind = 'value' | 'switch' | 'tristate';

/** One flag of the table: how it is written, and its place and text in `--help`. */
export type FlagSpec = {
	readonly kind: FlagKind;
	readonly group: 'Data:' | 'Race:' | 'Output:' | 'Live screen:';
	readonly describe: string;
	/** The default as `--help` shows it (the default itself is config.ts's). */
	readonly defaultDescription?: string;
};

/**
 * `--demo`: a preset for recordings and projectors: the note's four racers plus momentum and
 * Adam, a race of about 23 s that ends by itself after its finished chart stayed up 2 s.
 */
export const DEMO_ARGS: readonly string[] = [
	'--optimizers', 'gd,sgd,mb-random,mb-epoch,momentum,adam:lr=0.1',
	'--epochs', '3000',
	'--speed', '128',
	'--exit-on-finish',
	// The gap to L* on a log scale: in the loss view the six curves pile up on the L* line.
	'--view', 'gap',
];

/**
 * Every flag of a race command line, in `--help` order: the one table that declares them to yargs,
 * makes the `Args` type, tells switches from value flags (`checkTokens`) and answers "did you
 * mean" (`closestFlag`). `--lr.<id>` is not here: racer ids are whatever `--optimizers` makes
 * them (`takeLrFlags`). `--demo` is a preset, expanded before yargs parses (`parseArgs`).
 */
export const FLAG_SPECS = {
	data: {
		kind: 'value',
		group: 'Data:',
		describe: 'CSV file with a header row; - reads it from stdin',
		defaultDescription: 'the bundled Boston housing data (data/boston.csv)',
	},
	features: {
		kind: 'value',
		group: 'Data:',
		describe: 'Feature columns, comma separated (any number); a name holding a comma in double quotes, as in CSV: \'"x,y",b\'',
		defaultDescription: DEFAULTS.features.join(','),
	},
	target: {kind: 'value', group: 'Data:', describe: 'Target column', defaultDescription: DEFAULTS.target},
	scale: {
		kind: 'value',
		group: 'Data:',
		describe: 'Feature scaling: minmax (to [0, 1]), standard (mean 0, population σ 1) or none',
		defaultDescription: DEFAULTS.scale,
	},
	epochs: {
		kind: 'value',
		group: 'Race:',
		describe: 'Clock units to run (iterations with the default clock), a positive integer',
		defaultDescription: String(DEFAULTS.epochs),
	},
	optimizers: {
		kind: 'value',
		group: 'Race:',
		describe:
			`Racers and their order, comma separated specs NAME[:KEY=VALUE]…: NAME one of ${RACER_NAMES.join(', ')}; ` +
			'KEYs lr, batch (full|one|random|epoch), size, shuffle (true|false), momentum, beta1, beta2, alpha, eps, id. ' +
			'e.g. gd,adam:lr=0.1,momentum:momentum=0.8,adam:batch=epoch:size=30',
		defaultDescription: OPTIMIZER_IDS.join(','),
	},
	lr: {
		kind: 'value',
		group: 'Race:',
		describe: 'Learning rate of every racer (> 0); set one racer\'s with --lr.<id>, e.g. --lr.sgd 0.005 (a spec\'s lr= wins)',
		defaultDescription: String(DEFAULTS.lr),
	},
	'batch-size': {
		kind: 'value',
		group: 'Race:',
		describe: 'Rows per update of random and epoch batches (capped at the number of rows; a spec\'s size= wins)',
		defaultDescription: String(DEFAULTS.batchSize),
	},
	seed: {
		kind: 'value',
		group: 'Race:',
		describe: `Random seed, an integer from 0 to ${MAX_SEED}; the same seed gives the same race`,
		defaultDescription: String(DEFAULTS.seed),
	},
	clock: {
		kind: 'value',
		group: 'Race:',
		describe: 'What racers share: iteration (same iterations), samples (same sample-gradients) or time (same CPU time)',
		defaultDescription: DEFAULTS.clock,
	},
	tolerance: {
		kind: 'value',
		group: 'Race:',
		describe: 'Finish line: first loss within this fraction of the optimum L*, in (0, 1)',
		defaultDescription: String(DEFAULTS.tolerance),
	},
	shuffle: {kind: 'switch', group: 'Race:', describe: 'Epoch batches (mb-epoch) reshuffle the rows at every pass (a spec\'s shuffle= wins)'},
	plain: {kind: 'switch', group: 'Output:', describe: 'No live screen: run the race and print a summary table'},
	json: {kind: 'switch', group: 'Output:', describe: 'No live screen: print the final summary as one JSON document'},
	log: {
		kind: 'value',
		group: 'Output:',
		describe: 'No live screen: stream a log, seed (the study note\'s format, every iteration) or ndjson (one JSON object per update)',
	},
	export: {kind: 'value', group: 'Output:', describe: 'Write every racer\'s history to FILE at the end: .csv, or .ndjson/.jsonl'},
	cast: {kind: 'value', group: 'Output:', describe: 'Record the live screen to FILE as an asciicast v2 recording (asciinema play FILE)'},
	render: {
		kind: 'switch',
		group: 'Output:',
		describe: 'With --cast: render the whole race offline, in virtual time at --fps and --speed, as fast as the machine draws',
	},
	cols: {kind: 'value', group: 'Output:', describe: 'Width --render draws at', defaultDescription: String(DEFAULTS.renderSize.cols)},
	rows: {kind: 'value', group: 'Output:', describe: 'Height --render draws at', defaultDescription: String(DEFAULTS.renderSize.rows)},
	force: {kind: 'switch', group: 'Output:', describe: 'Let --export and --cast overwrite an existing file'},
	color: {
		kind: 'tristate',
		group: 'Output:',
		describe: 'Colors (--no-color to turn off; NO_COLOR and FORCE_COLOR are honoured)',
		defaultDescription: 'on for a terminal',
	},
	fps: {
		kind: 'value',
		group: 'Live screen:',
		describe: `Frames per second at most, ${FPS_RANGE[0]} to ${FPS_RANGE[1]}`,
		defaultDescription: String(DEFAULTS.fps),
	},
	speed: {
		kind: 'value',
		group: 'Live screen:',
		describe: 'Starting speed in clock units per second (+ and - change it)',
		defaultDescription: String(DEFAULTS.speed),
	},
	'exit-on-finish': {kind: 'switch', group: 'Live screen:', describe: 'Quit by itself once every racer is done'},
	demo: {
		kind: 'switch',
		group: 'Live screen:',
		describe: `Preset for demos and recordings: ${DEMO_ARGS.join(' ')} (any flag given overrides it)`,
	},
	map: {
		kind: 'value',
		group: 'Live screen:',
		describe: 'The two features on the landscape map\'s axes, A,B (m shows the map)',
		defaultDescription: 'the first two features; with one, its weight and the bias',
	},
	view: {
		kind: 'value',
		group: 'Live screen:',
		describe:
			'What the chart opens on: loss, gap (loss − L* on a log scale, g switches) or map (the landscape, m switches); ' +
			'from 160 columns the map also stands beside the chart',
		defaultDescription: DEFAULTS.view,
	},
	hold: {
		kind: 'value',
		group: 'Live screen:',
		describe: 'With --exit-on-finish: seconds the finished race stays on screen before quitting',
		defaultDescription: String(DEFAULTS.hold),
	},
} as const satisfies Record<string, FlagSpec>;

/** A race flag's name, as written after `--`. */
export type Flag = keyof typeof FLAG_SPECS;

/** `batch-size` → `batchSize`. */
type CamelCase<S extends string> = S extends `${infer Head}-${infer Tail}` ? `${Head}${Capitalize<CamelCase<Tail>>}` : S;

/** The flags of one kind. */
type FlagsOf<K extends FlagKind> = {[F in Flag]: (typeof FLAG_SPECS)[F]['kind'] extends K ? F : never}[Flag];

/**
 * Parsed but unvalidated arguments, one field per flag of `FLAG_SPECS` (camel-cased): the strings
 * as typed, booleans for switches, `color` undefined when neither `--color` nor `--no-color` was
 * given; `lrOverrides` holds `--lr.<id> X` by racer id (e.g. `{sgd: '0.005'}`), which `toConfig`
 * refuses for an id that does not race. `--demo` has no field: it is expanded into other flags.
 */
export type Args = {readonly [F in FlagsOf<'value'> as CamelCase<F>]?: string} & {
	readonly [F in Exclude<FlagsOf<'switch'>, 'demo'> as CamelCase<F>]: boolean;
} & {readonly [F in FlagsOf<'tristate'> as CamelCase<F>]?: boolean} & {
	readonly lrOverrides: Readonly<Partial<Record<string, string>>>;
};

/** What to do with a command line. */
export type ParseResult =
	| {readonly kind: 'run'; readonly args: Args}
	/** Print `text` to stdout, exit 0. */
	| {readonly kind: 'help'; readonly text: string}
	| {readonly kind: 'version'; readonly text: string}
	/** Print `gdrace: <message>` to stderr, exit 2. */
	| {readonly kind: 'error'; readonly message: string};

/** Options of `parseArgs`. */
export type ParseOptions = {
	/** Width the help text is wrapped to. @default 100 */
	readonly width?: number;
	/** @default the version in package.json */
	readonly version?: string;
	/**
	 * The command line is `gdrace serve`'s race flags (what its own flags left): messages then
	 * point to `gdrace serve --help` too, and "did you mean" knows the server's flags.
	 * @default false
	 */
	readonly serve?: boolean;
	/** Parse with yargs without trying `plainParse` first (the command, once `quickParse` gave up; the tests). @default false */
	readonly yargsOnly?: boolean;
};

/**
 * Takes the per-racer learning-rate flags (`--lr.<id> X`, `--lr.<id>=X`) out of a command line:
 * racer ids are whatever `--optimizers` makes them, so yargs cannot declare these flags. Stops at
 * `--`. Returns the rest for yargs, the values by id, or an error message.
 */
export function takeLrFlags(argv: readonly string[]): {rest: string[]; lr: Record<string, string>} | {error: string} {
	const rest: string[] = [];
	const lr: Record<string, string> = {};
	for (let i = 0; i < argv.length; i++) {
		const token = argv[i]!;
		if (token === '--') {
			rest.push(...argv.slice(i));
			break;
		}
		const match = /^--lr\.([^=]*)(?:=(.*))?$/s.exec(token);
		if (match === null) {
			rest.push(token);
			continue;
		}
		const id = match[1]!;
		if (id === '') return {error: `--lr. needs a racer id: --lr.<id> X, e.g. --lr.sgd 0.005`};
		let value = match[2];
		if (value === undefined) {
			value = argv[i + 1];
			if (value === undefined) return {error: `--lr.${oneLine(id)} needs a value; e.g. --lr.${oneLine(id)} 0.005`};
			i++;
		}
		lr[id] = value;
	}
	return {rest, lr};
}

/** The on/off flags: `--x`, `--no-x`, and (as yargs allows) `--x=true` / `--x=false`, nothing else. */
export const SWITCHES: readonly Flag[] = (Object.keys(FLAG_SPECS) as Flag[]).filter((flag) => FLAG_SPECS[flag].kind !== 'value');

/** What a switch token says: `--x` or `--x=true` on, `--no-x` or `--x=false` off; undefined for a token of another flag. */
function switchToken(token: string, flag: string): boolean | undefined {
	const match = /^--(no-)?([\w-]+)(?:=(true|false))?$/.exec(token);
	if (match === null || match[2] !== flag) return undefined;
	return (match[1] === undefined) === (match[3] !== 'false');
}

/**
 * What yargs would get wrong in a command line: `--data -` (yargs takes a lone `-` for an
 * argument of its own, so the flag would look empty and `-` unknown) becomes `--data=-`; a switch
 * given a value (`--shuffle=maybe`, `--force=2`, `--color=xyz`, which yargs silently reads as off)
 * is an error message. Returns the tokens to parse, or the message.
 */
function checkTokens(argv: readonly string[]): {readonly tokens: readonly string[]} | {readonly message: string} {
	const tokens: string[] = [];
	for (let i = 0; i < argv.length; i++) {
		const token = argv[i] as string;
		if (token === '--') {
			tokens.push(...argv.slice(i));
			break;
		}
		const switchValue = /^--(?:no-)?([\w-]+)=(.*)$/s.exec(token);
		if (switchValue !== null && (SWITCHES as readonly string[]).includes(switchValue[1] ?? '')) {
			const value = switchValue[2] ?? '';
			if (value !== 'true' && value !== 'false') {
				const name = switchValue[1] ?? '';
				return {
					message: `--${name} is a switch and takes no value, got ${JSON.stringify(oneLine(value))}; write --${name} to turn it on or --no-${name} to turn it off`,
				};
			}
		}
		if (/^--[\w.-]+$/.test(token) && argv[i + 1] === '-' && !(SWITCHES as readonly string[]).includes(token.slice(2).replace(/^no-/, ''))) {
			tokens.push(`${token}=-`);
			i++;
			continue;
		}
		tokens.push(token);
	}
	return {tokens};
}

/**
 * `--demo` is a preset: its flags go first, so that any flag given overrides it (the last wins).
 * Every `--demo` token (`--demo`, `--no-demo`, `--demo=true|false`) is taken out; the last says
 * whether the preset applies. Tokens after `--` are left alone.
 */
function expandDemo(tokens: readonly string[]): readonly string[] {
	const end = tokens.indexOf('--');
	const flags = end === -1 ? tokens : tokens.slice(0, end);
	let demo = false;
	const rest: string[] = [];
	for (const token of flags) {
		const on = switchToken(token, 'demo');
		if (on === undefined) rest.push(token);
		else demo = on;
	}
	return [...(demo ? DEMO_ARGS : []), ...rest, ...(end === -1 ? [] : tokens.slice(end))];
}

/**
 * What yargs would make of a command line written only in the plain forms: every token a known
 * flag of `FLAG_SPECS` as `--x`, `--no-x`, `--x=true|false` (switches) or `--x=V`, `--x V` (value
 * flags, V not starting with `-`); the last of repeated flags wins. Undefined for anything else
 * (`--help`, a short flag, an unknown flag, a positional argument, `--`, a missing value …),
 * which yargs then parses. Building and running the yargs parser costs about 8 ms of a cold
 * start, a third of what `gdrace --json` spends before it races; the result is the same (tested
 * against yargs on random command lines of these forms).
 */
export function plainParse(tokens: readonly string[]): Record<string, unknown> | undefined {
	const parsed: Record<string, unknown> = {};
	for (let i = 0; i < tokens.length; i++) {
		const match = /^--([a-z][a-z-]*)(?:=(.*))?$/s.exec(tokens[i]!);
		if (match === null) return undefined;
		let name = match[1]!;
		const inline = match[2];
		let on = true;
		if (name.startsWith('no-') && !Object.hasOwn(FLAG_SPECS, name)) {
			name = name.slice(3);
			on = false;
		}
		if (!Object.hasOwn(FLAG_SPECS, name)) return undefined;
		const kind = FLAG_SPECS[name as Flag].kind;
		if (kind !== 'value') {
			if (inline === undefined) parsed[name] = on;
			else if (on && (inline === 'true' || inline === 'false')) parsed[name] = inline === 'true';
			else return undefined;
			continue;
		}
		if (!on) return undefined;
		if (inline !== undefined) {
			parsed[name] = inline;
			continue;
		}
		const next = tokens[i + 1];
		if (next === undefined || next.startsWith('-')) return undefined;
		parsed[name] = next;
		i++;
	}
	return parsed;
}

/**
 * The command line as `Args`, from what yargs (or `plainParse`) made of it: strings as typed,
 * booleans for switches, undefined for a tristate not given.
 */
export function toArgs(parsed: Readonly<Record<string, unknown>>, lrOverrides: Readonly<Record<string, string>>): Args {
	const args: Record<string, unknown> = {lrOverrides};
	for (const [flag, spec] of Object.entries(FLAG_SPECS) as [Flag, FlagSpec][]) {
		if (flag === 'demo') continue;
		const value = parsed[flag];
		const field = flag.replace(/-(\w)/g, (_, letter: string) => letter.toUpperCase());
		if (spec.kind === 'switch') args[field] = value === true;
		else if (spec.kind === 'tristate') args[field] = typeof value === 'boolean' ? value : undefined;
		// `--no-epochs` and friends make a string flag `false`: pass it on as typed, for toConfig to refuse.
		else args[field] = value === undefined ? undefined : typeof value === 'string' ? value : String(value);
	}
	return args as Args;
}

/** The tokens yargs gets, after `checkTokens`, `--demo` and `--lr.<id>`; or the message of what is wrong. */
export function prepareTokens(given: readonly string[]): {readonly rest: readonly string[]; readonly lr: Readonly<Record<string, string>>} | {readonly message: string} {
	const checked = checkTokens(given);
	if ('message' in checked) return checked;
	const taken = takeLrFlags(expandDemo(checked.tokens));
	if ('error' in taken) return {message: taken.error};
	return taken;
}

/**
 * What `parseArgs` (args.ts) gives for a command line, without loading yargs: the result for a
 * command line of plain forms only (`plainParse`) or one refused before yargs would see it;
 * undefined for the rest, which `parseArgs` then reads.
 */
export function quickParse(given: readonly string[]): ParseResult | undefined {
	const prepared = prepareTokens(given);
	if ('message' in prepared) return {kind: 'error', message: prepared.message};
	const parsed = plainParse(prepared.rest);
	return parsed === undefined ? undefined : {kind: 'run', args: toArgs(parsed, prepared.lr)};
}
