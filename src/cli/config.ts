/**
 * The second layer of the command line: parsed arguments (strings, from `args.ts`) turned into a
 * validated `Config`. `toConfig` is pure apart from the export path check, which looks at the file
 * system; every bad value throws a `UsageError` whose message is one line naming the flag, what was
 * given and what is allowed. Checks that need the file's contents (unknown columns, bad cells) are
 * the data loader's, with exit code 1.
 *
 * Decisions: `--seed` takes 0 … 2^32 − 1 (numpy's range); `--json` with `--log` is refused (both
 * want stdout), and so is `--plain` with either (it asks for the summary table they replace);
 * `--log seed` needs the iteration clock (its `Epoch : i / N` counts iterations); a feature listed
 * twice, or the target among the features, is a usage error (the flags alone are wrong, whatever
 * the file); `--data -` reads stdin, which must then not be a terminal; live-screen flags are
 * validated in every mode and ignored headless.
 */
import {csvName, nameListText} from '../column-list.js';
import {STDIN_PATH} from '../data/csv.js';
import type {Dataset, DatasetOptions, Scale} from '../data/dataset.js';
import {BUNDLED_DATA, DEFAULT_FEATURES, DEFAULT_SCALE, DEFAULT_TARGET, SCALES, loadDataset} from '../data/dataset.js';
import type {Clock, RaceConfig, RacerSpec, TrainingData} from '../engine/types.js';
import {DEFAULT_BATCH_SIZE, DEFAULT_LR} from '../engine/catalog.js';
import {DEFAULT_SPEED} from '../engine/scheduler.js';
import {CLOCKS, OPTIMIZER_IDS} from '../engine/types.js';
import type {Args} from './flags.js';
import {UsageError} from './errors.js';
import {parseRacerSpecs} from './racer-specs.js';
import type {CastTarget} from './cast-file.js';
import {checkCastTarget} from './cast-file.js';
import type {ExportTarget} from './export.js';
import {checkExportTarget} from './export.js';

/** What the headless mode prints on stdout: `--log seed|ndjson` streams a log instead of the summary. */
export const LOG_FORMATS = ['seed', 'ndjson'] as const;
/** One of `LOG_FORMATS`. */
export type LogFormat = (typeof LOG_FORMATS)[number];

/** Headless stdout: the summary table (default, `--plain`), one JSON document (`--json`), or a streamed log (`--log`). */
export type HeadlessOutput = 'summary' | 'json' | LogFormat;

/** Seeds accepted by `--seed`: 0 … 2^32 - 1, the range numpy's `np.random.seed` accepts. */
export const MAX_SEED = 2 ** 32 - 1;

/** Largest `--epochs`: keeps sample counts (epochs × rows) exact in doubles for any data set gdrace loads. */
export const MAX_EPOCHS = 1e12;

/** Frame rates `--fps` accepts. */
export const FPS_RANGE = [1, 120] as const;

/** Defaults of every flag (the study note's settings). */
export const DEFAULTS = {
	/** @default BUNDLED_DATA */
	data: BUNDLED_DATA,
	/** @default ['RM', 'LSTAT'] */
	features: DEFAULT_FEATURES,
	/** @default 'MEDV' */
	target: DEFAULT_TARGET,
	/** @default 'minmax' */
	scale: DEFAULT_SCALE,
	/** @default 5000 */
	epochs: 5000,
	/** @default every racer, in the note's order */
	optimizers: OPTIMIZER_IDS,
	/** @default 0.01 (the engine's DEFAULT_LR) */
	lr: DEFAULT_LR,
	/** @default 30 (the engine's DEFAULT_BATCH_SIZE) */
	batchSize: DEFAULT_BATCH_SIZE,
	/** @default 2023 */
	seed: 2023,
	/** @default 'iteration' */
	clock: 'iteration' as Clock,
	/** @default 0.01 */
	tolerance: 0.01,
	/** @default 30 */
	fps: 30,
	/** @default 256 (the scheduler's DEFAULT_SPEED) */
	speed: DEFAULT_SPEED,
	/** Seconds `--exit-on-finish` keeps the finished race on screen. @default 2 */
	hold: 2,
	/** The size `--render` draws at. @default 100×30 */
	renderSize: {cols: 100, rows: 30},
	/** What the live screen opens on. @default 'loss' */
	view: 'loss' as View,
} as const;

/** What the live screen's chart area can open on (`--view`; the UI's `StartView`). */
export const VIEWS = ['loss', 'gap', 'map'] as const;
export type View = (typeof VIEWS)[number];

/** Sizes `--cols` and `--rows` accept. */
export const RENDER_COLS = [20, 1000] as const;
export const RENDER_ROWS = [10, 500] as const;

/** Longest `--hold`, seconds. */
export const MAX_HOLD = 3600;

/** A validated run: everything the live screen and the headless mode need. */
export type Config = {
	/** The file, columns and scaling; exactly what `loadDataset` takes. */
	readonly data: DatasetOptions;
	/** The racers in display order (ids unique), each with its own learning rate. */
	readonly racers: readonly RacerSpec[];
	/** 0 … 2^32 - 1. @default 2023 */
	readonly seed: number;
	/** @default 'iteration' */
	readonly clock: Clock;
	/** Clock units the race lasts. @default 5000 */
	readonly epochs: number;
	/** In (0, 1). @default 0.01 */
	readonly tolerance: number;
	/**
	 * `render` with `--render` (a recording made offline); else `live` when stdout is a TTY and
	 * none of `--plain`, `--json`, `--log` is given.
	 */
	readonly mode: 'live' | 'headless' | 'render';
	/** The size `--render` draws at. @default 100×30 */
	readonly renderSize: {readonly cols: number; readonly rows: number};
	/** What the headless mode prints. @default 'summary' */
	readonly output: HeadlessOutput;
	/** Where to write the history at the end, or null. */
	readonly export: ExportTarget | null;
	/** Where to record the live screen (asciicast v2), or null. */
	readonly cast: CastTarget | null;
	/** ANSI colors: `--color`/`--no-color`, else off with `NO_COLOR`, on with `FORCE_COLOR`, else on for a TTY. */
	readonly color: boolean;
	/** Live screen frame cap, 1 … 120. @default 30 */
	readonly fps: number;
	/** Live screen starting speed, clock units per second, > 0. @default 256 */
	readonly speed: number;
	/** Live screen: quit by itself once every racer is done. @default false */
	readonly exitOnFinish: boolean;
	/** With `exitOnFinish`: seconds the finished race stays on screen first, 0 … MAX_HOLD. @default 2 */
	readonly hold: number;
	/**
	 * Whether stdin is a TTY. When it is not (`echo | gdrace`), the live screen reads its keys from
	 * the controlling terminal instead (src/cli/live.ts); without one too, it runs without keys and
	 * can only be stopped by a signal or `--exit-on-finish`.
	 */
	readonly keys: boolean;
	/**
	 * The landscape map's axes as feature indices (`--map A,B`); `y` is 'bias' with one feature.
	 * @default the first two features, or the weight and the bias with one
	 */
	readonly map: {readonly x: number; readonly y: number | 'bias'};
	/** What the live screen's chart area opens on: the loss, the gap to L* (log), or the map. @default 'loss' */
	readonly view: View;
};

/** What `toConfig` needs to know about the process, passed in so that it stays pure. */
export type Environment = {
	readonly stdoutIsTTY: boolean;
	readonly stdinIsTTY: boolean;
	/** Environment variables (`NO_COLOR`, `FORCE_COLOR`, `TERM`). */
	readonly env: Readonly<Record<string, string | undefined>>;
};

/** The engine's configuration for a loaded data set. */
export function raceConfig(config: Config, data: TrainingData): RaceConfig {
	return {
		data,
		racers: config.racers,
		seed: config.seed,
		clock: config.clock,
		epochs: config.epochs,
		tolerance: config.tolerance,
	};
}

const loaded = new WeakMap<DatasetOptions, Dataset>();

/**
 * The data set a config names, loaded once per config: the entry point loads it (reporting a bad
 * file before any screen is drawn), and the live screen gets the same object from here instead
 * of reading the file again. Throws `DataError`.
 */
export function loadConfigDataset(config: Config): Dataset {
	let dataset = loaded.get(config.data);
	if (dataset === undefined) {
		dataset = loadDataset(config.data);
		loaded.set(config.data, dataset);
	}
	return dataset;
}

/** Validates parsed arguments. Throws `UsageError` (exit code 2) with one line for the first bad value. */
export function toConfig(args: Args, environment: Environment): Config {
	const features = args.features === undefined ? DEFAULTS.features : nameList('--features', args.features, 'RM,LSTAT');
	const target = args.target === undefined ? DEFAULTS.target : args.target.trim();
	if (target === '') throw new UsageError('--target needs a column name; e.g. --target MEDV');
	if (features.includes(target)) {
		throw new UsageError(`${JSON.stringify(target)} is both the target and a feature; remove it from --features or choose another --target`);
	}
	const path = args.data === undefined ? DEFAULTS.data : nonEmpty('--data', args.data, 'a CSV file path, e.g. --data houses.csv');
	if (path === STDIN_PATH && environment.stdinIsTTY) {
		throw new UsageError('--data - reads the CSV from stdin, but stdin is the terminal; pipe the file in, e.g. gdrace --data - < houses.csv');
	}
	const data: DatasetOptions = {
		path,
		features,
		target,
		scale: args.scale === undefined ? DEFAULTS.scale : choice<Scale>('--scale', args.scale, SCALES),
		...(path === STDIN_PATH ? {source: 'stdin'} : {}),
	};

	const lr = args.lr === undefined ? DEFAULTS.lr : positive('--lr', args.lr, '0.01');
	const batchSize = args.batchSize === undefined ? DEFAULTS.batchSize : integer('--batch-size', args.batchSize, 1, Number.MAX_SAFE_INTEGER, 'a positive integer', '30');
	const lrById = new Map<string, number>();
	for (const [id, text] of Object.entries(args.lrOverrides)) {
		if (text !== undefined) lrById.set(id, positive(`--lr.${id}`, text, '0.005'));
	}
	const racers: RacerSpec[] = parseRacerSpecs(args.optimizers ?? DEFAULTS.optimizers.join(','), {lr, lrById, batchSize, shuffle: args.shuffle});
	for (const id of lrById.keys()) {
		if (!racers.some((racer) => racer.id === id)) {
			const ids = racers.map((racer) => racer.id).join(', ');
			throw new UsageError(`--lr.${id}: no racer has id ${shown(id)} (racing: ${ids}); add it to --optimizers or drop --lr.${id}`);
		}
	}

	const log = args.log === undefined ? undefined : choice<LogFormat>('--log', args.log, LOG_FORMATS);
	if (args.json && log !== undefined) {
		throw new UsageError('--json and --log both write to stdout; choose one (--export FILE keeps the history beside --json)');
	}
	if (args.plain && (args.json || log !== undefined)) {
		const other = args.json ? '--json' : `--log ${log}`;
		throw new UsageError(`--plain prints the summary table and ${other} prints ${args.json ? 'a JSON document' : 'a log'} instead; choose one (either runs without the live screen)`);
	}
	const clock = args.clock === undefined ? DEFAULTS.clock : choice<Clock>('--clock', args.clock, CLOCKS);
	if (log === 'seed' && clock !== 'iteration') {
		throw new UsageError(
			`--log seed prints the study note's per-iteration log and needs --clock iteration (got ${clock}); use --log ndjson with other clocks`,
		);
	}
	// A `dumb` terminal (Emacs's shell buffer, say) cannot move its cursor: it gets the summary, as a pipe does.
	const dumb = environment.env.TERM === 'dumb';
	const headless = args.plain || args.json || log !== undefined || !environment.stdoutIsTTY || dumb;
	const seed = args.seed === undefined ? DEFAULTS.seed : integer('--seed', args.seed, 0, MAX_SEED, `an integer from 0 to ${MAX_SEED}`, '2023');
	const epochs =
		args.epochs === undefined ? DEFAULTS.epochs : integer('--epochs', args.epochs, 1, MAX_EPOCHS, 'a positive integer (at most 1e12)', '5000');
	const fraction = args.tolerance === undefined ? DEFAULTS.tolerance : tolerance(args.tolerance);
	const fps =
		args.fps === undefined
			? DEFAULTS.fps
			: integer('--fps', args.fps, FPS_RANGE[0], FPS_RANGE[1], `an integer from ${FPS_RANGE[0]} to ${FPS_RANGE[1]}`, '30');
	const speed = args.speed === undefined ? DEFAULTS.speed : positive('--speed', args.speed, '256');
	const map = mapAxes(args.map, features);
	const view = args.view === undefined ? DEFAULTS.view : choice<View>('--view', args.view, VIEWS);
	// --render always ends on the finished race, held like --exit-on-finish.
	const hold = args.hold === undefined ? DEFAULTS.hold : holdSeconds(args.hold, args.exitOnFinish || args.render);
	if (args.render && args.cast === undefined) throw new UsageError('--render writes a recording; give it a file with --cast FILE, e.g. --cast race.cast --render');
	if (args.render && log !== undefined) throw new UsageError('--render prints the summary (or --json) at the end; leave out --log');
	if (!args.render && (args.cols !== undefined || args.rows !== undefined)) {
		throw new UsageError(`${args.cols === undefined ? '--rows' : '--cols'} sets the size --render draws at; add --cast FILE --render, or leave it out`);
	}
	const renderSize = {
		cols: args.cols === undefined ? DEFAULTS.renderSize.cols : integer('--cols', args.cols, RENDER_COLS[0], RENDER_COLS[1], `an integer from ${RENDER_COLS[0]} to ${RENDER_COLS[1]}`, '100'),
		rows: args.rows === undefined ? DEFAULTS.renderSize.rows : integer('--rows', args.rows, RENDER_ROWS[0], RENDER_ROWS[1], `an integer from ${RENDER_ROWS[0]} to ${RENDER_ROWS[1]}`, '30'),
	};
	// Last: the only check that looks at the file system, after every flag-only mistake.
	const exportTarget = args.export === undefined ? null : checkExportTarget(args.export, args.force);
	if (args.cast !== undefined && headless && !args.render) {
		if (dumb && environment.stdoutIsTTY && !args.plain && !args.json && log === undefined) {
			throw new UsageError('--cast records the live screen, which a TERM=dumb terminal cannot show; run it in another terminal, or add --render');
		}
		throw new UsageError('--cast records the live screen; run it in a terminal, without --plain, --json or --log (or add --render)');
	}
	const castTarget = args.cast === undefined ? null : checkCastTarget(args.cast, args.force);

	return {
		data,
		racers,
		seed,
		clock,
		epochs,
		tolerance: fraction,
		mode: args.render ? 'render' : headless ? 'headless' : 'live',
		renderSize,
		output: args.json ? 'json' : log ?? 'summary',
		export: exportTarget,
		cast: castTarget,
		color: colorEnabled(args.color, environment),
		fps,
		speed,
		exitOnFinish: args.exitOnFinish,
		hold,
		keys: environment.stdinIsTTY,
		map,
		view,
	};
}

/** Names as typed after a flag in a shell: `RM,LSTAT`; `'"x,y",b'` (CSV quotes, in single quotes for the shell). */
function typedList(names: readonly string[]): string {
	const text = names.map(csvName).join(',');
	return /^[\w.,-]*$/.test(text) || text.includes("'") ? text : `'${text}'`;
}

/** `--map A,B`: two of the features (with one feature: it, optionally with 'bias'). */
function mapAxes(text: string | undefined, features: readonly string[]): Config['map'] {
	if (text === undefined) return features.length > 1 ? {x: 0, y: 1} : {x: 0, y: 'bias'};
	const example = typedList(features.length > 1 ? [features[0]!, features[1]!] : [features[0]!, 'bias']);
	const names = nameList('--map', text, example);
	const index = (name: string): number => {
		const at = features.indexOf(name);
		if (at < 0) throw new UsageError(`--map names ${shown(name)}, which is not one of the features (${nameListText(features)}); e.g. --map ${example}`);
		return at;
	};
	if (features.length === 1) {
		if (names.length > 2 || (names.length === 2 && names[1] !== 'bias')) {
			throw new UsageError(`with one feature the map shows its weight and the bias; use --map ${example}`);
		}
		return {x: index(names[0]!), y: 'bias'};
	}
	if (names.length !== 2) throw new UsageError(`--map needs two features, A,B; e.g. --map ${example}`);
	return {x: index(names[0]!), y: index(names[1]!)};
}

/**
 * Colors: an explicit `--color`/`--no-color` wins; then `NO_COLOR` (any non-empty value, see
 * no-color.org) turns them off, even with `FORCE_COLOR`; then `FORCE_COLOR` turns them on (off for
 * `0` or `false`, as supports-color reads it); otherwise on for a terminal that is not `dumb`.
 */
export function colorEnabled(flag: boolean | undefined, environment: Environment): boolean {
	if (flag !== undefined) return flag;
	const {env} = environment;
	if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
	if (env.FORCE_COLOR !== undefined) return env.FORCE_COLOR !== '0' && env.FORCE_COLOR !== 'false';
	return environment.stdoutIsTTY && env.TERM !== 'dumb';
}

/** A plain decimal number: optional sign, digits with an optional point (or `.5`), optional exponent. No hex, no `Infinity`. */
const DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/** `"abc"` for messages: quoted and escaped so that the message stays on one line. */
function shown(text: string): string {
	return JSON.stringify(text);
}

function nonEmpty(flag: string, text: string, fix: string): string {
	if (text.trim() === '') throw new UsageError(`${flag} needs a value; give ${fix}`);
	return text;
}

/** A finite number > 0. */
function positive(flag: string, text: string, example: string): number {
	nonEmpty(flag, text, `a number > 0, e.g. ${flag} ${example}`);
	const value = DECIMAL.test(text.trim()) ? Number(text) : Number.NaN;
	if (!(Number.isFinite(value) && value > 0)) {
		throw new UsageError(`${flag} must be a number > 0, got ${shown(text)}; e.g. ${flag} ${example}`);
	}
	return value;
}

/** An integer in [min, max] (written as digits, or a decimal/exponent form that is whole, like 1e6); `what` describes the range. */
function integer(flag: string, text: string, min: number, max: number, what: string, example: string): number {
	nonEmpty(flag, text, `${what}, e.g. ${flag} ${example}`);
	const value = DECIMAL.test(text.trim()) ? Number(text) : Number.NaN;
	if (!(Number.isInteger(value) && value >= min && value <= max)) {
		throw new UsageError(`${flag} must be ${what}, got ${shown(text)}; e.g. ${flag} ${example}`);
	}
	return value;
}

/** `--hold`: seconds from 0 to MAX_HOLD, and only beside `--exit-on-finish` (without it nothing would wait). */
function holdSeconds(text: string, exitOnFinish: boolean): number {
	nonEmpty('--hold', text, 'seconds, e.g. --hold 2');
	const value = DECIMAL.test(text.trim()) ? Number(text) : Number.NaN;
	if (!(value >= 0 && value <= MAX_HOLD)) {
		throw new UsageError(`--hold must be seconds from 0 to ${MAX_HOLD}, got ${shown(text)}; e.g. --hold 2`);
	}
	if (!exitOnFinish) throw new UsageError('--hold only applies with --exit-on-finish; add --exit-on-finish or leave --hold out');
	return value;
}

function tolerance(text: string): number {
	nonEmpty('--tolerance', text, 'a fraction of L* between 0 and 1, e.g. --tolerance 0.01 for 1 %');
	const value = DECIMAL.test(text.trim()) ? Number(text) : Number.NaN;
	if (!(value > 0 && value < 1)) {
		throw new UsageError(
			`--tolerance must be a fraction strictly between 0 and 1, got ${shown(text)}; e.g. --tolerance 0.01 for within 1 % of L*`,
		);
	}
	return value;
}

/** One of the allowed words (exact, lower case). */
function choice<T extends string>(flag: string, text: string, allowed: readonly T[]): T {
	const value = text.trim();
	if ((allowed as readonly string[]).includes(value)) return value as T;
	const what = value === '' ? `${flag} needs a value` : `unknown ${flag} ${shown(text)}`;
	throw new UsageError(`${what}; choose one of ${allowed.join(', ')}`);
}

/**
 * A comma-separated list of column names (`--features`, `--map`), read like a CSV record so that
 * any header name can be given: a name in double quotes may hold commas (`"x,y",b`) and `""`
 * inside quotes is one quote. Names are trimmed (as the header's are), none empty, none twice.
 */
function nameList(flag: string, text: string, example: string): readonly string[] {
	const quoting = `a name with a comma goes in double quotes, e.g. ${flag} '"x,y",b'`;
	if (text.trim() === '') throw new UsageError(`${flag} needs at least one name; e.g. ${flag} ${example}`);
	const names: string[] = [];
	let i = 0;
	for (;;) {
		while (text[i] === ' ' || text[i] === '\t') i++;
		let name: string;
		if (text[i] === '"') {
			const start = i;
			name = '';
			i++;
			for (;;) {
				if (i >= text.length) {
					throw new UsageError(`${flag} ${shown(text)}: the quote at character ${start + 1} is never closed; end the name with " (write "" for a quote inside it)`);
				}
				if (text[i] === '"') {
					if (text[i + 1] === '"') {
						name += '"';
						i += 2;
						continue;
					}
					i++;
					break;
				}
				name += text[i];
				i++;
			}
			while (text[i] === ' ' || text[i] === '\t') i++;
			if (i < text.length && text[i] !== ',') {
				throw new UsageError(`${flag} ${shown(text)}: unexpected ${shown(text[i] ?? '')} after the quoted name ${shown(name)}; separate names with commas (${quoting})`);
			}
		} else {
			const end = text.indexOf(',', i);
			name = text.slice(i, end < 0 ? text.length : end);
			i = end < 0 ? text.length : end;
		}
		names.push(name.trim());
		if (i >= text.length) break;
		i++; // the comma
	}
	const seen = new Set<string>();
	for (const name of names) {
		if (name === '') {
			throw new UsageError(`${flag} ${shown(text)} has an empty name; separate names with single commas, e.g. ${flag} ${example}`);
		}
		if (seen.has(name)) throw new UsageError(`${flag} lists ${shown(name)} twice; list each one once`);
		seen.add(name);
	}
	return names;
}
