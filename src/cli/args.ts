/**
 * The first layer of the command line: yargs for syntax (known flags, `--help` groups,
 * `--version`), giving strings that `config.ts` validates. Nothing here prints or exits:
 * `parseArgs` returns what to do, so that the entry point owns stdout, stderr and exit codes.
 *
 * Every value flag is read as a string (not a yargs `number`), so that `--epochs 1.5` or
 * `--lr abc` reach `toConfig` as typed and get a message naming the flag, rather than a NaN.
 */
import {readFileSync} from 'node:fs';
import yargs from 'yargs';
import {RACER_NAMES} from '../engine/catalog.js';
import {OPTIMIZER_IDS} from '../engine/types.js';
import {packageFile} from '../package-root.js';
import {DEFAULTS, FPS_RANGE, MAX_SEED} from './config.js';
import {oneLine} from './errors.js';

/** Parsed but unvalidated arguments: the strings as typed, booleans for switches. */
export type Args = {
	readonly data?: string;
	readonly features?: string;
	readonly target?: string;
	readonly scale?: string;
	readonly epochs?: string;
	readonly optimizers?: string;
	readonly lr?: string;
	/** `--lr.<id> X` per racer id, e.g. `{sgd: '0.005'}`; `toConfig` refuses an id that does not race. */
	readonly lrOverrides: Readonly<Partial<Record<string, string>>>;
	readonly batchSize?: string;
	readonly seed?: string;
	readonly clock?: string;
	readonly tolerance?: string;
	readonly shuffle: boolean;
	readonly plain: boolean;
	readonly json: boolean;
	readonly log?: string;
	readonly export?: string;
	readonly force: boolean;
	/** undefined when neither `--color` nor `--no-color` was given. */
	readonly color?: boolean;
	readonly fps?: string;
	readonly speed?: string;
	readonly exitOnFinish: boolean;
	readonly map?: string;
	/** `--view loss|gap|map`: what the live screen's chart area opens on. */
	readonly view?: string;
	/** `--hold SECONDS`: how long `--exit-on-finish` keeps the finished race on screen. */
	readonly hold?: string;
	/** `--cast FILE`: record the live screen as asciicast v2. */
	readonly cast?: string;
	/** `--render`: with `--cast`, render the whole race offline in virtual time. */
	readonly render: boolean;
	/** `--cols N`, `--rows N`: the size `--render` draws at. */
	readonly cols?: string;
	readonly rows?: string;
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

/** The version in the package's package.json. */
export function packageVersion(): string {
	try {
		const text = readFileSync(packageFile('package.json'), 'utf8');
		const version: unknown = (JSON.parse(text) as {version?: unknown}).version;
		return typeof version === 'string' ? version : 'unknown';
	} catch {
		return 'unknown';
	}
}

/** The yargs parser with every flag, its group and help text. */
function parser(argv: readonly string[], width: number, version: string) {
	const ids = OPTIMIZER_IDS.join(',');
	return (
		yargs([...argv])
			.scriptName('gdrace')
			.usage(
				'Usage: gdrace [options]\n\n' +
					'Race gradient-descent optimizers fitting the same linear regression: a live screen in a terminal, ' +
					'or a summary (--plain, --json, --log) when stdout is not a terminal.',
			)
			// Dot notation off: `--lr 0.1 --lr.sgd 0.005` would otherwise turn `lr` into an object
			// and drop the 0.1. With it off, `lr.sgd` is a flag of its own (declared below, hidden)
			// and an unknown `--lr.foo` is an unknown flag for strict mode.
			.parserConfiguration({
				'dot-notation': false,
				'camel-case-expansion': false,
				'duplicate-arguments-array': false,
				'greedy-arrays': false,
				'short-option-groups': false,
			})
			.option('data', {
				type: 'string',
				group: 'Data:',
				describe: 'CSV file with a header row; - reads it from stdin',
				defaultDescription: 'the bundled Boston housing data (data/boston.csv)',
			})
			.option('features', {
				type: 'string',
				group: 'Data:',
				describe: 'Feature columns, comma separated (any number); a name holding a comma in double quotes, as in CSV: \'"x,y",b\'',
				defaultDescription: DEFAULTS.features.join(','),
			})
			.option('target', {type: 'string', group: 'Data:', describe: 'Target column', defaultDescription: DEFAULTS.target})
			.option('scale', {
				type: 'string',
				group: 'Data:',
				describe: 'Feature scaling: minmax (to [0, 1]), standard (mean 0, population σ 1) or none',
				defaultDescription: DEFAULTS.scale,
			})
			.option('epochs', {
				type: 'string',
				group: 'Race:',
				describe: 'Clock units to run (iterations with the default clock), a positive integer',
				defaultDescription: String(DEFAULTS.epochs),
			})
			.option('optimizers', {
				type: 'string',
				group: 'Race:',
				describe:
					`Racers and their order, comma separated specs NAME[:KEY=VALUE]…: NAME one of ${RACER_NAMES.join(', ')}; ` +
					'KEYs lr, batch (full|one|random|epoch), size, shuffle (true|false), momentum, beta1, beta2, alpha, eps, id. ' +
					'e.g. gd,adam:lr=0.1,momentum:momentum=0.8,adam:batch=epoch:size=30',
				defaultDescription: ids,
			})
			.option('lr', {
				type: 'string',
				group: 'Race:',
				describe: 'Learning rate of every racer (> 0); set one racer\'s with --lr.<id>, e.g. --lr.sgd 0.005 (a spec\'s lr= wins)',
				defaultDescription: String(DEFAULTS.lr),
			})
			.option('batch-size', {
				type: 'string',
				group: 'Race:',
				describe: 'Rows per update of random and epoch batches (capped at the number of rows; a spec\'s size= wins)',
				defaultDescription: String(DEFAULTS.batchSize),
			})
			.option('seed', {
				type: 'string',
				group: 'Race:',
				describe: `Random seed, an integer from 0 to ${MAX_SEED}; the same seed gives the same race`,
				defaultDescription: String(DEFAULTS.seed),
			})
			.option('clock', {
				type: 'string',
				group: 'Race:',
				describe: 'What racers share: iteration (same iterations), samples (same sample-gradients) or time (same CPU time)',
				defaultDescription: DEFAULTS.clock,
			})
			.option('tolerance', {
				type: 'string',
				group: 'Race:',
				describe: 'Finish line: first loss within this fraction of the optimum L*, in (0, 1)',
				defaultDescription: String(DEFAULTS.tolerance),
			})
			.option('shuffle', {type: 'boolean', group: 'Race:', describe: 'Epoch batches (mb-epoch) reshuffle the rows at every pass (a spec\'s shuffle= wins)'})
			.option('plain', {type: 'boolean', group: 'Output:', describe: 'No live screen: run the race and print a summary table'})
			.option('json', {type: 'boolean', group: 'Output:', describe: 'No live screen: print the final summary as one JSON document'})
			.option('log', {
				type: 'string',
				group: 'Output:',
				describe:
					'No live screen: stream a log, seed (the study note\'s format, every iteration) or ndjson (one JSON object per update)',
			})
			.option('export', {
				type: 'string',
				group: 'Output:',
				describe: 'Write every racer\'s history to FILE at the end: .csv, or .ndjson/.jsonl',
			})
			.option('cast', {
				type: 'string',
				group: 'Output:',
				describe: 'Record the live screen to FILE as an asciicast v2 recording (asciinema play FILE)',
			})
			.option('render', {
				type: 'boolean',
				group: 'Output:',
				describe: 'With --cast: render the whole race offline, in virtual time at --fps and --speed, as fast as the machine draws',
			})
			.option('cols', {type: 'string', group: 'Output:', describe: 'Width --render draws at', defaultDescription: String(DEFAULTS.renderSize.cols)})
			.option('rows', {type: 'string', group: 'Output:', describe: 'Height --render draws at', defaultDescription: String(DEFAULTS.renderSize.rows)})
			.option('force', {type: 'boolean', group: 'Output:', describe: 'Let --export and --cast overwrite an existing file'})
			.option('color', {
				type: 'boolean',
				group: 'Output:',
				describe: 'Colors (--no-color to turn off; NO_COLOR and FORCE_COLOR are honoured)',
				defaultDescription: 'on for a terminal',
			})
			.option('fps', {
				type: 'string',
				group: 'Live screen:',
				describe: `Frames per second at most, ${FPS_RANGE[0]} to ${FPS_RANGE[1]}`,
				defaultDescription: String(DEFAULTS.fps),
			})
			.option('speed', {
				type: 'string',
				group: 'Live screen:',
				describe: 'Starting speed in clock units per second (+ and - change it)',
				defaultDescription: String(DEFAULTS.speed),
			})
			.option('exit-on-finish', {type: 'boolean', group: 'Live screen:', describe: 'Quit by itself once every racer is done'})
			.option('demo', {
				type: 'boolean',
				group: 'Live screen:',
				describe: `Preset for demos and recordings: ${DEMO_ARGS.join(' ')} (any flag given overrides it)`,
			})
			.option('map', {
				type: 'string',
				group: 'Live screen:',
				describe: 'The two features on the landscape map\'s axes, A,B (m shows the map)',
				defaultDescription: 'the first two features; with one, its weight and the bias',
			})
			.option('view', {
				type: 'string',
				group: 'Live screen:',
				describe:
					'What the chart opens on: loss, gap (loss − L* on a log scale, g switches) or map (the landscape, m switches); ' +
					'from 160 columns the map also stands beside the chart',
				defaultDescription: DEFAULTS.view,
			})
			.option('hold', {
				type: 'string',
				group: 'Live screen:',
				describe: 'With --exit-on-finish: seconds the finished race stays on screen before quitting',
				defaultDescription: String(DEFAULTS.hold),
			})
			.help('help')
			.alias('help', 'h')
			.version('version', 'Show the version number', version)
			.group(['help', 'version'], 'Options:')
			.epilog(
				'Exit codes: 0 done (a diverged racer is a result), 1 bad data, export or stdout, 2 bad flag, ' +
					'129/130/143 stopped by SIGHUP/SIGINT/SIGTERM.\n' +
					'Files: the headless modes keep compiled code in $XDG_CACHE_HOME/gdrace (else ~/.cache/gdrace) ' +
					'to start faster; GDRACE_NO_CACHE=1 runs without it.\n' +
					'Examples:\n' +
					'  gdrace                                       the study note\'s race, live\n' +
					'  gdrace --plain --clock samples               a fair-compute race, summary only\n' +
					'  gdrace --log seed --optimizers gd            the note\'s own log, to diff\n' +
					'  gdrace --optimizers gd,momentum,adam:lr=0.1  the note\'s GD against momentum and Adam\n' +
					'  gdrace --json --export history.csv           JSON summary and the full history\n' +
					'  gdrace --demo --cast demo.cast --render      a README animation, rendered in seconds\n' +
					'  gdrace serve                                 the race over SSH: ssh -p 2222 127.0.0.1 (gdrace serve --help)',
			)
			.wrap(width)
			.strict()
			.exitProcess(false)
			// Throw instead of letting yargs print its whole help and exit: `parseArgs` turns this into one line.
			.fail((message: string | null, error: Error | null) => {
				throw new YargsFailure(message ?? error?.message ?? 'invalid arguments');
			})
	);
}

class YargsFailure extends Error {}

/** The on/off flags: `--x`, `--no-x`, and (as yargs allows) `--x=true` / `--x=false`, nothing else. */
export const SWITCHES = ['shuffle', 'plain', 'json', 'force', 'color', 'exit-on-finish'] as const;

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

/** Parses a command line (without `node` and the script). Never prints, never exits. */
export function parseArgs(given: readonly string[], options: ParseOptions = {}): ParseResult {
	const version = options.version ?? packageVersion();
	// --demo is a preset: its flags come first, so that any flag given overrides it (the last wins).
	const argv = given.includes('--demo') ? [...DEMO_ARGS, ...given.filter((token) => token !== '--demo')] : given;
	const checked = checkTokens(argv);
	if ('message' in checked) return {kind: 'error', message: checked.message};
	const taken = takeLrFlags(checked.tokens);
	if ('error' in taken) return {kind: 'error', message: taken.error};
	let output = '';
	let parsed: Record<string, unknown>;
	try {
		parsed = parser(taken.rest, options.width ?? 100, version).parse([...taken.rest], {}, (_error: unknown, _argv: unknown, text: string) => {
			output = text;
		}) as Record<string, unknown>;
	} catch (error) {
		if (error instanceof YargsFailure) return {kind: 'error', message: explainFailure(error.message, taken.rest)};
		throw error;
	}
	if (parsed.help === true) return {kind: 'help', text: output};
	if (parsed.version === true) return {kind: 'version', text: output};

	const text = (key: string): string | undefined => {
		const value = parsed[key];
		if (value === undefined) return undefined;
		// `--no-epochs` and friends make a string flag `false`: pass it on as typed, for toConfig to refuse.
		return typeof value === 'string' ? value : String(value);
	};
	const lrOverrides: Partial<Record<string, string>> = taken.lr;
	const color = parsed.color;
	return {
		kind: 'run',
		args: {
			data: text('data'),
			features: text('features'),
			target: text('target'),
			scale: text('scale'),
			epochs: text('epochs'),
			optimizers: text('optimizers'),
			lr: text('lr'),
			lrOverrides,
			batchSize: text('batch-size'),
			seed: text('seed'),
			clock: text('clock'),
			tolerance: text('tolerance'),
			shuffle: parsed.shuffle === true,
			plain: parsed.plain === true,
			json: parsed.json === true,
			log: text('log'),
			export: text('export'),
			force: parsed.force === true,
			color: typeof color === 'boolean' ? color : undefined,
			fps: text('fps'),
			speed: text('speed'),
			exitOnFinish: parsed['exit-on-finish'] === true,
			map: text('map'),
			view: text('view'),
			hold: text('hold'),
			cast: text('cast'),
			render: parsed.render === true,
			cols: text('cols'),
			rows: text('rows'),
		},
	};
}

/** Turns a yargs failure message into one line that says what is wrong and how to fix it. */
function explainFailure(message: string, argv: readonly string[]): string {
	const unknown = /^Unknown arguments?: (.*)$/s.exec(message);
	if (unknown !== null) {
		const first = (unknown[1] ?? '').split(', ')[0] ?? '';
		const written = argv.find((token) => token === first || token.replace(/^--?(?:no-)?/, '').split('=')[0] === first);
		if (written === '-' || first === '-') {
			return 'unexpected argument "-"; to read the CSV from stdin write --data - (e.g. cat houses.csv | gdrace --data - --plain)';
		}
		if (written !== undefined && !written.startsWith('-')) {
			const hint = /[./\\]/.test(written) ? `; to race on a file use --data ${oneLine(written)}` : '';
			return `unexpected argument ${JSON.stringify(written)}: gdrace takes only flags${hint} (see gdrace --help)`;
		}
		const flag = written === undefined ? `--${first}` : written.split('=')[0] ?? written;
		const close = closestFlag(first);
		const hint = close === undefined ? 'see gdrace --help for the flags' : `did you mean --${close}? (see gdrace --help)`;
		return `unknown flag ${JSON.stringify(flag)}; ${hint}`;
	}
	return `${oneLine(message.replace(/\s+/g, ' ').trim())} (see gdrace --help)`;
}

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

/** Every visible long flag, for "did you mean" suggestions. */
const FLAGS = [
	'data', 'features', 'target', 'scale', 'epochs', 'optimizers', 'lr', 'batch-size', 'seed', 'clock', 'tolerance', 'shuffle',
	'plain', 'json', 'log', 'export', 'force', 'color', 'no-color', 'fps', 'speed', 'exit-on-finish', 'map', 'view', 'hold', 'cast', 'render', 'cols', 'rows', 'demo', 'help', 'version',
] as const;

/** The flag within edit distance 2 of `name` (or that starts with it, for abbreviations), if any. */
export function closestFlag(name: string): string | undefined {
	const wanted = name.toLowerCase().replace(/_/g, '-');
	let best: string | undefined;
	let bestDistance = 3;
	for (const flag of FLAGS) {
		const distance = wanted.length >= 3 && flag.startsWith(wanted) ? 1 : editDistance(wanted, flag);
		if (distance < bestDistance) {
			best = flag;
			bestDistance = distance;
		}
	}
	return best;
}

/** Levenshtein distance, one row at a time. */
function editDistance(a: string, b: string): number {
	let previous = Array.from({length: b.length + 1}, (_, j) => j);
	for (let i = 1; i <= a.length; i++) {
		const row = [i];
		for (let j = 1; j <= b.length; j++) {
			const cost = a[i - 1] === b[j - 1] ? 0 : 1;
			row.push(Math.min((previous[j] ?? 0) + 1, (row[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + cost));
		}
		previous = row;
	}
	return previous[b.length] ?? 0;
}
