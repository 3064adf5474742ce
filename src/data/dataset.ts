/**
 * A CSV file turned into scaled features and a target the engine can train on. The file is
 * streamed (see `csv.ts`); only the selected columns are kept, as doubles, and the row count is
 * capped while streaming so that no file can exhaust memory. Every problem is a one-line
 * `DataError` naming the file, line and column.
 */
import {packageFile} from '../package-root.js';
import type {TrainingData} from '../engine/types.js';
import {readCsv} from './csv.js';
import {DataError, dataError} from './errors.js';
import {GrowableColumn} from './growable.js';
import {PLAIN_NUMBER, parsePlainNumber} from './number.js';
import {datasetFromColumns} from './scale.js';
import {checkSelection, quoteName, resolveColumns} from './select.js';

export {DataError} from './errors.js';
export {datasetFromColumns} from './scale.js';
export type {ColumnsOptions} from './scale.js';

/** The scalings `--scale` accepts. */
export const SCALES = ['minmax', 'standard', 'none'] as const;
/** How features are scaled: min-max to [0, 1], standardized (population σ), or left raw. */
export type Scale = (typeof SCALES)[number];

/** How one feature was scaled: scaled = (raw - offset) / divisor. */
export type FeatureScaling = {
	readonly offset: number;
	readonly divisor: number;
};

/** A data set ready for the engine: scaled features (row-major), raw target. */
export type Dataset = TrainingData & {
	/** The file as the user named it (the bundled file: its path too). */
	readonly source: string;
	readonly features: readonly string[];
	readonly target: string;
	readonly scale: Scale;
	readonly scaling: readonly FeatureScaling[];
};

/** Absolute path of the bundled Boston housing data, `<package>/data/boston.csv`. */
export const BUNDLED_DATA = packageFile('data', 'boston.csv');

/** The study note's features. */
export const DEFAULT_FEATURES: readonly string[] = ['RM', 'LSTAT'];

/** The study note's target (it calls it PRICE). */
export const DEFAULT_TARGET = 'MEDV';

/** The study note's scaling (sklearn's MinMaxScaler). */
export const DEFAULT_SCALE: Scale = 'minmax';

/** Most data rows loaded (20,000,000); a larger file is refused while it streams. */
export const MAX_ROWS = 20_000_000;

/** Most values kept, rows × (features + 1): 2^27, 1 GiB of doubles. */
export const MAX_VALUES = 2 ** 27;

/** What `loadDataset` reads: the file, the columns and the scaling. */
export type DatasetOptions = {
	readonly path: string;
	/** Column names, at least one. @default ['RM', 'LSTAT'] */
	readonly features: readonly string[];
	/** @default 'MEDV' */
	readonly target: string;
	/** @default 'minmax' */
	readonly scale: Scale;
	/** Name of the file in messages and in `Dataset.source`. @default path */
	readonly source?: string;
	/** Refuse files with more data rows. @default MAX_ROWS */
	readonly maxRows?: number;
	/** Refuse files whose selected columns hold more values, rows × (features + 1). @default MAX_VALUES */
	readonly maxValues?: number;
	/** Bytes read at a time. @default 1 MiB */
	readonly chunkBytes?: number;
};

/** Reads, validates and scales a CSV file. Throws DataError for anything wrong with the file. */
export function loadDataset(options: DatasetOptions): Dataset {
	const source = options.source ?? options.path;
	const maxRows = options.maxRows ?? MAX_ROWS;
	const maxValues = options.maxValues ?? MAX_VALUES;
	const {features, target} = checkSelection(source, options.features, options.target);
	const kept = features.length + 1;
	let header: readonly string[] | undefined;
	let headerLine = 0;
	let indices: readonly number[] = [];
	const columns = Array.from({length: kept}, () => new GrowableColumn());
	let rows = 0;

	const summary = readCsv(
		options.path,
		(fields, line) => {
			if (header === undefined) {
				header = fields.map((name) => name.trim());
				headerLine = line;
				indices = resolveColumns(source, header, line, features, target).indices;
				// Only the selected cells are copied out of the text from now on.
				const mask = header.map(() => false);
				for (const index of indices) mask[index] = true;
				return mask;
			}
			if (fields.length !== header.length) {
				throw dataError(
					source,
					`line ${line} has ${fields.length} field${fields.length === 1 ? '' : 's'}, the header has ${header.length}; ` +
						'give every row one field per column (quote fields that contain commas)',
					line,
				);
			}
			if (rows >= maxRows) {
				throw dataError(
					source,
					`more than ${maxRows.toLocaleString('en-US')} data rows; gdrace loads at most that many, so race on a sample of the file`,
					line,
				);
			}
			if ((rows + 1) * kept > maxValues) {
				throw dataError(
					source,
					`the selected columns hold more than ${maxValues.toLocaleString('en-US')} values (rows × (features + target)); ` +
						'select fewer features or race on a sample of the file',
					line,
				);
			}
			for (let k = 0; k < kept; k++) {
				const index = indices[k] as number;
				const cell = fields[index] as string;
				const value = parsePlainNumber(cell);
				if (!Number.isFinite(value)) throw cellError(source, line, index + 1, header[index] as string, cell.trim());
				(columns[k] as GrowableColumn).push(value);
			}
			rows++;
			return undefined;
		},
		{source, chunkBytes: options.chunkBytes},
	);

	if (header === undefined) {
		throw dataError(
			source,
			summary.bytes === 0
				? 'the file is empty; gdrace needs a header row naming the columns and at least one data row'
				: 'the file holds only blank lines; gdrace needs a header row naming the columns and at least one data row',
		);
	}
	if (rows === 0) {
		throw dataError(source, `the file has a header (line ${headerLine}) but no data rows; add rows of numbers below it`);
	}
	// Materialize one column at a time so that each one's blocks are released before the next copy.
	const raw = columns.map((column) => column.toFloat64Array());
	const y = raw.pop() as Float64Array;
	return datasetFromColumns({source, features, target, columns: raw, y, scale: options.scale});
}

/** The message for a selected cell that is not a finite plain number. */
function cellError(source: string, line: number, column: number, name: string, text: string): DataError {
	const what = `column ${quoteName(name)}`;
	const shown = JSON.stringify(text.length > 40 ? `${text.slice(0, 40)}…` : text);
	let problem: string;
	if (text === '') {
		problem = 'the cell is empty; fill in a number or remove the row';
	} else if (/^[+-]?(?:nan|na|n\/a|null|none|missing|\?|-|\.)$/i.test(text)) {
		problem = `${shown} is not a number (a missing value?); fill in a number or remove the row`;
	} else if (/^[+-]?(?:inf|infinity)$/i.test(text)) {
		problem = `${shown} is not a finite number; replace it or remove the row`;
	} else if (PLAIN_NUMBER.test(text)) {
		problem = `${shown} is too large for a double (beyond ±1.8e308); rescale the column`;
	} else if (/^[+-]?0[xob]/i.test(text)) {
		problem = `${shown} is not a decimal number; write it in decimal (e.g. 16, not 0x10)`;
	} else if (/^[+-]?[\d,]*\.?\d*$/.test(text) && text.includes(',')) {
		problem = `${shown} is not a number; write it without thousands separators (1000, not 1,000) and with a decimal point (3.14, not 3,14)`;
	} else {
		problem = `${shown} is not a number; every cell of a selected column must be a plain decimal number like 6.5 or -1e-3`;
	}
	return dataError(source, `${what}: ${problem}`, line, column);
}
