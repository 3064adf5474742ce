/**
 * CONTRACT STUB (to be implemented by the data work): a CSV file turned into scaled features and
 * a target the engine can train on. The exported names and types below are the contract other
 * modules code against; keep them.
 */
import type {TrainingData} from '../engine/types.js';

export const SCALES = ['minmax', 'standard', 'none'] as const;
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

export type DatasetOptions = {
	readonly path: string;
	/** Column names, at least one. @default ['RM', 'LSTAT'] */
	readonly features: readonly string[];
	/** @default 'MEDV' */
	readonly target: string;
	/** @default 'minmax' */
	readonly scale: Scale;
};

/** Bad data: `message` is the single line to print (it names the file, and line and column where known). */
export class DataError extends Error {
	override readonly name = 'DataError';
}

/** Reads, validates and scales a CSV file. Throws DataError for anything wrong with the file. */
export function loadDataset(_options: DatasetOptions): Dataset {
	throw new DataError('loadDataset: not implemented yet');
}
