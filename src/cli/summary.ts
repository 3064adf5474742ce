/**
 * The end-of-race summary, as a plain-text table (`--plain`, and the live screen's last words in
 * the scrollback) and as the `--json` document.
 *
 * The table is transposed: one column per racer (plus the optimum), one row per quantity. That
 * keeps its width fixed by the number of racers whatever the number of features: with 50
 * features it grows 50 rows taller, never wider. Given the terminal's width it fits it: racers
 * that do not fit beside each other go to a further block of the same rows, and prose wraps at
 * spaces, so that no word and no number is ever split by the terminal. Numbers in a row share
 * one format, so right-aligned they line up on the decimal point.
 */
import type {Dataset} from '../data/dataset.js';
import {finalStatus} from '../engine/race.js';
import type {BatchKind, Coordinates, Curvature, FinalStatus, LrChange, RaceSnapshot, RacerSnapshot, RuleName} from '../engine/types.js';
import {nameListText} from '../column-list.js';
import {padEndToWidth, textWidth, truncateToWidth} from '../text-width.js';
import {wrapWords} from '../wrap-words.js';
import type {StopSignal} from './errors.js';

/** What the summary shows of the data set (a `Dataset` fits). */
export type SummaryData = Pick<Dataset, 'source' | 'rows' | 'features' | 'target' | 'scale'>;

/** Options of `formatSummary` and `jsonSummary`. */
export type SummaryOptions = {
	/** ANSI colors (bold headings, green finished, red diverged). @default false */
	readonly color?: boolean;
	/** The finish-line tolerance, shown in the settings (the snapshot does not carry it). @default not shown / null */
	readonly tolerance?: number;
	/** The signal that stopped the run early, if one did. @default undefined */
	readonly stoppedBy?: StopSignal;
	/** The user quit the live screen before every racer was done (`q`). @default false */
	readonly quitEarly?: boolean;
	/** The terminal's width: the text fits it (blocks of racers, wrapped prose). @default unlimited */
	readonly width?: number;
	/** The `--export` file written and its data rows (header not counted). @default none */
	readonly exported?: ExportedFile;
	/** The `--cast` recording written and its length. @default none */
	readonly recorded?: RecordedFile;
};

/** What `--cast` wrote: the path as the user gave it and the recording's length in seconds. */
export type RecordedFile = {readonly path: string; readonly seconds: number};

/** What `--export` wrote: the path as the user gave it and the number of data rows. */
export type ExportedFile = {readonly path: string; readonly rows: number};

/** The note printed when the optimal weights are not unique. */
export const NOT_UNIQUE_NOTE =
	'optimal weights are not unique (features are collinear or rows <= features); showing the minimum-norm solution';

/** The summary table, lines joined with `\n` and ending with one. */
export function formatSummary(snapshot: RaceSnapshot, data: SummaryData, options: SummaryOptions = {}): string {
	const paint = painter(options.color === true);
	const width = options.width !== undefined && options.width > 0 ? Math.floor(options.width) : Number.POSITIVE_INFINITY;
	const lines: string[] = [];
	const {optimum} = snapshot;
	const tolerance = options.tolerance ?? snapshot.tolerance;
	const toleranceText =
		options.tolerance === undefined ? '' : `, tolerance ${options.tolerance} (within ${Number((options.tolerance * 100).toPrecision(12))}% of L*)`;
	/** A heading and its text, the text wrapped at spaces and continued under itself. */
	const prose = (heading: string, text: string, style: {heading?: (text: string) => string; text?: (text: string) => string} = {}): void => {
		const head = heading.trimEnd();
		const paintHeading = style.heading ?? paint.plain;
		const paintText = style.text ?? paint.plain;
		wrapWords(text, width - heading.length).forEach((line, index) => {
			const lead = index === 0 ? paintHeading(head) + heading.slice(head.length) : ' '.repeat(heading.length);
			lines.push(lead + paintText(line));
		});
	};
	prose('Data      ', `${data.source}: ${data.rows} rows, ${featureList(data.features)} → ${data.target}, scale ${data.scale}`, {heading: paint.bold});
	const epochs = Number.isInteger(snapshot.epochs) ? grouped(snapshot.epochs) : String(snapshot.epochs);
	prose('Settings  ', `clock ${snapshot.clock}, epochs ${epochs}, seed ${snapshot.seed}${toleranceText}`, {heading: paint.bold});
	prose('Curvature ', curvatureText(snapshot.curvature), {heading: paint.bold});
	if (options.stoppedBy !== undefined) {
		prose('Stopped   ', `by ${options.stoppedBy} before the end: the numbers are where each racer was`, {heading: paint.yellow, text: paint.yellow});
	} else if (options.quitEarly === true && !snapshot.over) {
		prose('Stopped   ', 'by quitting before the end: the numbers are where each racer was', {heading: paint.yellow, text: paint.yellow});
	}
	lines.push('');

	// Three columns: id, name, settings. Settings wrap in their own column, or,
	// when that would be narrower than MIN_SETTINGS, under the name.
	const nameWidth = Math.max(...snapshot.racers.map((racer) => racer.id.length));
	const nameColumn = Math.max(20, ...snapshot.racers.map((racer) => racer.name.length));
	const settingsAt = 2 + nameWidth + 2 + nameColumn + 2;
	const indent = ' '.repeat(width - settingsAt >= MIN_SETTINGS ? settingsAt : 4);
	lines.push(paint.bold('Racers'));
	for (const racer of snapshot.racers) {
		const head = `  ${racer.id.padEnd(nameWidth)}  ${racer.name.padEnd(nameColumn)}  `;
		const settings = racerSettings(racer);
		if (indent.length === settingsAt) {
			wrapSettings(settings, width - settingsAt).forEach((line, index) => lines.push((index === 0 ? head : indent) + line));
		} else {
			lines.push(head.trimEnd());
			for (const line of wrapSettings(settings, width - indent.length)) lines.push(indent + line);
		}
		const changes = lrChangesText(racer);
		// A list that grows with every key press: from under the id, where it has the most room.
		if (changes !== '') for (const line of wrapSettings(changes, width - 4)) lines.push(`    ${line}`);
	}
	lines.push('');

	const racers = snapshot.racers;
	const statuses = racers.map(finalStatus);
	const at = racers.map((racer, index): Coordinates | null =>
		statuses[index] === 'finished' ? racer.finished : statuses[index] === 'diverged' ? racer.diverged : null,
	);
	/** A row: label, one cell per racer, then the optimum's cell. */
	type Row = {readonly label: string; readonly cells: readonly string[]; readonly paints?: readonly ((text: string) => string)[]};
	const rows: Row[] = [
		{label: 'iterations', cells: [...racers.map((racer) => iteration(racer.iterations)), '']},
		{label: 'updates', cells: [...racers.map((racer) => integer(racer.updates)), '']},
		{label: 'samples', cells: [...racers.map((racer) => integer(racer.samples)), '']},
		...data.features.map((feature, j) => ({
			label: feature,
			cells: [...racers.map((racer) => decimal(racer.weights[j])), decimal(optimum.weights[j])],
		})),
		{label: 'bias', cells: [...racers.map((racer) => decimal(racer.bias)), decimal(optimum.bias)]},
		{label: 'loss', cells: [...racers.map((racer) => decimal(racer.loss)), decimal(optimum.loss)]},
		{label: 'gap to L*', cells: [...racers.map((racer) => scientific(racer.gap)), '']},
		// A share of what the finish line is measured against (racer.ts `relativeGap`), as the screen shows it.
		{label: 'gap %', cells: [...racers.map((racer) => percent(racer.relativeGap * 100)), '']},
		{
			label: 'status',
			// A racer cut short by a signal or a quit says so, rather than "done"; one that finished
			// says what that was, apart from its gap now.
			cells: [
				...statuses.map((status, index) =>
					status === 'finished' ? `reached ${toleranceWords(tolerance)}` : status === 'done' && racers[index]!.state === 'running' ? 'stopped' : status,
				),
				'',
			],
			paints: [...statuses.map((status) => (status === 'finished' ? paint.green : status === 'diverged' ? paint.red : paint.plain)), paint.plain],
		},
		{label: '  at iteration', cells: [...at.map((point) => (point === null ? '-' : iteration(point.iteration))), '']},
		{label: '  at samples', cells: [...at.map((point) => (point === null ? '-' : integer(point.samples))), '']},
		{label: '  at ms', cells: [...at.map((point) => (point === null ? '-' : grouped(point.ms, 2))), '']},
	];

	const headers = [...racers.map((racer) => racer.id), 'optimum'];
	const widths = headers.map((header, column) => Math.max(header.length, ...rows.map((row) => row.cells[column]?.length ?? 0)));
	// Labels (feature names can be long) give way before a column does: cut with '…' when even one column would not fit.
	// In columns: a Korean or Chinese name takes two a character.
	const labelWidth = Math.max(
		1,
		Math.min(Math.max(...rows.map((row) => textWidth(row.label)), 'Results'.length), width - SPACE - Math.max(...widths)),
	);
	const label = (text: string): string => padEndToWidth(truncateToWidth(text, labelWidth), labelWidth);
	for (const block of blocks(widths, width - labelWidth)) {
		if (block[0] !== 0) lines.push('');
		lines.push(paint.bold(`${label('Results')}  ${block.map((column) => headers[column]!.padStart(widths[column]!)).join('  ')}`));
		for (const row of rows) {
			// The optimum alone in a block has nothing to say about iterations or status.
			if (block.every((column) => row.cells[column] === '')) continue;
			const cells = block.map((column) => {
				const cell = row.cells[column] ?? '';
				const color = row.paints?.[column] ?? (cell === '-' ? paint.dim : paint.plain);
				return ' '.repeat(Math.max(0, widths[column]! - cell.length)) + (cell === '' ? '' : color(cell));
			});
			lines.push(`${label(row.label)}  ${cells.join('  ')}`.trimEnd());
		}
	}
	if (!optimum.unique) {
		lines.push('');
		prose('note: ', NOT_UNIQUE_NOTE);
	}
	if (options.exported !== undefined) {
		lines.push('');
		prose('', exportedLine(options.exported));
	}
	if (options.recorded !== undefined) {
		if (options.exported === undefined) lines.push('');
		prose('', `recorded ${options.recorded.seconds.toFixed(1)} s to ${options.recorded.path}`);
	}
	return `${lines.join('\n')}\n`;
}

/** `wrote 20004 rows to history.csv`: the summary's last line after `--export`. */
export function exportedLine({path, rows}: ExportedFile): string {
	return `wrote ${rows} ${rows === 1 ? 'row' : 'rows'} to ${path}`;
}

/**
 * A racer's settings in lines of at most `width`, cut at spaces but never between a name and its
 * value (`lr 0.1 → 0.4`, `beta1 0.9,`, `full (506)`, `0.2 @3`).
 */
function wrapSettings(text: string, width: number): string[] {
	return wrapWords(text.replace(/(?<=[\w)]) (?=[\d(→@-])|(?<=→|\(@) /g, '\u00A0'), width).map((line) => line.replace(/\u00A0/g, ' '));
}

/** The narrowest column the racers' settings wrap in beside their names. */
const MIN_SETTINGS = 24;

/** Spaces before each column of the results. */
const SPACE = 2;

/** The columns, in order, cut into blocks that each fit `room` (at least one column a block). */
function blocks(widths: readonly number[], room: number): number[][] {
	const result: number[][] = [];
	let block: number[] = [];
	let used = 0;
	widths.forEach((cells, column) => {
		if (block.length > 0 && used + SPACE + cells > room) {
			result.push(block);
			block = [];
			used = 0;
		}
		block.push(column);
		used += SPACE + cells;
	});
	if (block.length > 0) result.push(block);
	return result;
}

/** The `--json` document (the schema of issue 2, plus `unique`, `rank`, `gap`, `ms`, `diverged`, `stoppedBy`). */
export type JsonSummary = {
	readonly data: {
		readonly source: string;
		readonly rows: number;
		readonly features: readonly string[];
		readonly target: string;
		readonly scale: string;
	};
	readonly settings: {readonly clock: string; readonly epochs: number; readonly seed: number; readonly tolerance: number | null};
	readonly optimum: {
		readonly weights: readonly number[];
		readonly bias: number;
		readonly loss: number;
		readonly unique: boolean;
		readonly rank: number;
	};
	/** The Hessian's extreme eigenvalues, its condition number and the stable step bound lrMax = 2/λmax. */
	readonly curvature: Curvature;
	readonly racers: readonly {
		readonly id: string;
		readonly name: string;
		readonly rule: RuleName;
		readonly batch: {readonly kind: BatchKind; readonly size: number; readonly shuffle: boolean};
		/** The rule's hyperparameters besides lr. */
		readonly hyper: Readonly<Record<string, number>>;
		/** The learning rate at the end. */
		readonly lr: number;
		/** Every change of the learning rate (live `[` and `]`), oldest first. */
		readonly lrChanges: readonly LrChange[];
		readonly batchSize: number;
		readonly iterations: number;
		readonly updates: number;
		readonly samples: number;
		readonly ms: number;
		readonly weights: readonly number[];
		readonly bias: number;
		readonly loss: number;
		readonly gap: number;
		/** gap as a share of what the finish line is measured against (0.01 = 1 %, as the tolerance). */
		readonly relativeGap: number;
		readonly status: FinalStatus;
		readonly finished: Coordinates | null;
		readonly diverged: Coordinates | null;
	}[];
	/** The signal that stopped the run early, or null when it ran to the end. */
	readonly stoppedBy: StopSignal | null;
	/** The `--export` file written (only present with `--export`, when it was written). */
	readonly export?: ExportedFile;
};

/** The `--json` document as an object (weights in `features` order). */
export function jsonSummary(snapshot: RaceSnapshot, data: SummaryData, options: SummaryOptions = {}): JsonSummary {
	const point = (coordinates: Coordinates | null): Coordinates | null =>
		coordinates === null ? null : {iteration: coordinates.iteration, samples: coordinates.samples, ms: coordinates.ms};
	return {
		data: {source: data.source, rows: data.rows, features: [...data.features], target: data.target, scale: data.scale},
		settings: {clock: snapshot.clock, epochs: snapshot.epochs, seed: snapshot.seed, tolerance: options.tolerance ?? null},
		optimum: {
			weights: [...snapshot.optimum.weights],
			bias: snapshot.optimum.bias,
			loss: snapshot.optimum.loss,
			unique: snapshot.optimum.unique,
			rank: snapshot.optimum.rank,
		},
		curvature: {...snapshot.curvature},
		racers: snapshot.racers.map((racer) => ({
			id: racer.id,
			name: racer.name,
			rule: racer.rule,
			batch: {...racer.batch},
			hyper: {...racer.hyper},
			lr: racer.lr,
			lrChanges: racer.lrChanges.map((change) => ({...change})),
			batchSize: racer.batchSize,
			iterations: racer.iterations,
			updates: racer.updates,
			samples: racer.samples,
			ms: racer.ms,
			weights: [...racer.weights],
			bias: racer.bias,
			loss: racer.loss,
			gap: racer.gap,
			relativeGap: racer.relativeGap,
			status: finalStatus(racer),
			finished: point(racer.finished),
			diverged: point(racer.diverged),
		})),
		stoppedBy: options.stoppedBy ?? null,
		...(options.exported === undefined ? {} : {export: {path: options.exported.path, rows: options.exported.rows}}),
	};
}

/** The `--json` document as text: indented, ending with a newline. */
export function formatJson(snapshot: RaceSnapshot, data: SummaryData, options: SummaryOptions = {}): string {
	return `${JSON.stringify(jsonSummary(snapshot, data, options), null, 2)}\n`;
}

type Painter = {
	readonly plain: (text: string) => string;
	readonly bold: (text: string) => string;
	readonly dim: (text: string) => string;
	readonly green: (text: string) => string;
	readonly red: (text: string) => string;
	readonly yellow: (text: string) => string;
};

/** SGR wrappers, or identity when colors are off. Applied after padding, so widths never count escapes. */
function painter(enabled: boolean): Painter {
	const sgr = (open: number, close: number) => (text: string) => (enabled ? `\u001B[${open}m${text}\u001B[${close}m` : text);
	return {plain: (text) => text, bold: sgr(1, 22), dim: sgr(2, 22), green: sgr(32, 39), red: sgr(31, 39), yellow: sgr(33, 39)};
}

/** Most features named in the data line; more are counted there and named in the table's rows. */
const NAMED_FEATURES = 6;

/** `RM, LSTAT`, or `50 features (rows below)`. */
function featureList(features: readonly string[]): string {
	return features.length <= NAMED_FEATURES ? nameListText(features) : `${features.length} features (rows below)`;
}

/** `value` with thousands separators and `decimals` decimals: 2530000 → `2,530,000`, 162.88235 → `162.88`. */
function grouped(value: number, decimals = 0): string {
	if (!Number.isFinite(value)) return String(value);
	const text = value.toFixed(decimals);
	const point = text.indexOf('.');
	const whole = point < 0 ? text : text.slice(0, point);
	return whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',') + (point < 0 ? '' : text.slice(point));
}

/** A count with separators (`2,530,000`); one too large for exact digits in exponent form. */
function integer(value: number): string {
	return Number.isSafeInteger(value) ? grouped(value) : value.toExponential(6);
}

/** An iteration (fractional inside an mb-epoch pass): `1,234` or `1,234.47`. */
function iteration(value: number): string {
	return Number.isInteger(value) ? integer(value) : grouped(value, 2);
}

/** The tolerance as the status says it: 0.01 → `±1%`. */
function toleranceWords(tolerance: number): string {
	return `±${Number((tolerance * 100).toPrecision(6))}%`;
}

/** Weights, bias and losses: 8 decimals as the study note prints them, exponent form beyond 1e9 or below 1e-8. */
function decimal(value: number | undefined): string {
	if (value === undefined) return '';
	if (!Number.isFinite(value)) return String(value);
	const magnitude = Math.abs(value);
	if (magnitude >= 1e9 || (magnitude < 1e-8 && magnitude > 0)) return value.toExponential(6);
	return value.toFixed(8);
}

/** Gaps: four significant digits in exponent form, `0` when exact. */
function scientific(value: number): string {
	return value === 0 ? '0' : value.toExponential(3);
}

/** `0.178%`, `12.500%`, `<0.001%`, `2.80e+7%`: three decimals so that a column lines up, never an exponent for a tiny gap. */
function percent(value: number): string {
	if (!Number.isFinite(value)) return String(value);
	if (value === 0) return '0%';
	if (value < 5e-4) return '<0.001%';
	return `${value < 1e5 ? value.toFixed(3) : value.toExponential(2)}%`;
}

/** A learning rate as typed: `0.01`, `0.005`, `1e-7`. */
function compact(value: number): string {
	return String(value);
}

/** `rule adam (beta1 0.9, beta2 0.999, eps 1e-8), batch full (506), lr 0.1` (`lr 0.1 → 0.4` when it changed). */
export function racerSettings(racer: RacerSnapshot): string {
	const hyper = Object.entries(racer.hyper).map(([key, value]) => `${key} ${compact(value)}`);
	const rule = `rule ${racer.rule}${hyper.length > 0 ? ` (${hyper.join(', ')})` : ''}`;
	const {kind, size, shuffle} = racer.batch;
	const batch = `batch ${kind} (${size}${shuffle ? ', shuffled' : ''})`;
	const first = racer.lrChanges[0]?.from;
	return `${rule}, ${batch}, lr ${first === undefined ? compact(racer.lr) : `${compact(first)} → ${compact(racer.lr)}`}`;
}

/** `lr changes: 0.02 @12, 0.04 @30.47 (@ iteration)`, or '' when the lr never changed. */
export function lrChangesText(racer: RacerSnapshot): string {
	if (racer.lrChanges.length === 0) return '';
	return `lr changes: ${racer.lrChanges.map((change) => `${compact(change.lr)} @${iteration(change.iteration)}`).join(', ')} (@ iteration)`;
}

/** `λmax 1.5, λmin 0.0125, condition 120, stable lr < 2/λmax = 1.333` (condition `none` when λmin is 0: no finite number shown). */
export function curvatureText(curvature: Curvature): string {
	const {lambdaMax, lambdaMin, condition, lrMax} = curvature;
	const g = (value: number): string => Number(value.toPrecision(4)).toString();
	return `λmax ${g(lambdaMax)}, λmin ${g(lambdaMin)}, condition ${condition === null ? 'none (λmin 0)' : g(condition)}, stable lr < 2/λmax = ${g(lrMax)}`;
}
