/**
 * Feature scaling and the one place a `Dataset` is assembled from raw columns (the CSV loader,
 * tests, benchmarks and synthetic data all go through `datasetFromColumns`).
 *
 * - `minmax`: (x − min) / (max − min), scikit-learn's MinMaxScaler with its default range [0, 1].
 *   scikit-learn evaluates it as x·s − min·s with s = 1/(max − min), which can be one unit in the
 *   last place away; the quotient form used here maps the minimum to exactly 0 and the maximum to
 *   exactly 1.
 * - `standard`: (x − mean) / σ with the population σ (ddof 0), as StandardScaler does. The mean
 *   and σ come from the corrected two-pass algorithm, accurate even for a large mean and a small
 *   spread (where the textbook Σx² − n·mean² cancels catastrophically).
 * - `none`: the raw values.
 *
 * The target is never scaled. A constant feature cannot be scaled by either method (its range
 * and σ are 0): it is refused under `minmax` and `standard`, and accepted under `none`, where the
 * engine reports that the optimal weights are not unique.
 */
import type {Dataset, FeatureScaling, Scale} from './dataset.js';
import {dataError} from './errors.js';
import {checkSelection, quoteName} from './select.js';

/** Smallest and largest value of a column (NaN-free input). */
export type Range = {
	readonly min: number;
	readonly max: number;
};

/** Mean and population standard deviation (ddof 0) of a column. */
export type Moments = {
	readonly mean: number;
	readonly std: number;
};

/** Min and max of `values` (at least one value). */
export function columnRange(values: ArrayLike<number>): Range {
	let min = Number.POSITIVE_INFINITY;
	let max = Number.NEGATIVE_INFINITY;
	for (let i = 0; i < values.length; i++) {
		const v = values[i] as number;
		if (v < min) min = v;
		if (v > max) max = v;
	}
	return {min, max};
}

/**
 * Mean and population σ by the corrected two-pass algorithm (Chan, Golub & LeVeque 1983): the
 * mean is refined by the mean residual, and the variance subtracts the residual sum's square,
 * which cancels the rounding error of the first pass. The values are first divided by a power of
 * two above their largest magnitude, so that neither the sum nor the squares overflow: values of
 * 1e200 (squares 1e400) or past 2^1023 still give a finite σ. Dividing by a power of two is exact,
 * so for ordinary values the result is bit for bit the unscaled computation's.
 */
export function columnMoments(values: ArrayLike<number>): Moments {
	const n = values.length;
	let largest = 0;
	for (let i = 0; i < n; i++) largest = Math.max(largest, Math.abs(values[i] as number));
	const exponent = largest > 0 ? Math.min(1023, Math.ceil(Math.log2(largest))) : 0;
	// Ordinary magnitudes stay unscaled (bit-identical results); only the extremes are scaled.
	const unit = exponent > 500 || exponent < -500 ? 2 ** exponent : 1;
	let sum = 0;
	for (let i = 0; i < n; i++) sum += (values[i] as number) / unit;
	let mean = sum / n;
	let residual = 0;
	for (let i = 0; i < n; i++) residual += (values[i] as number) / unit - mean;
	mean += residual / n;
	let squares = 0;
	let deviations = 0;
	for (let i = 0; i < n; i++) {
		const d = (values[i] as number) / unit - mean;
		squares += d * d;
		deviations += d;
	}
	const variance = Math.max(0, (squares - (deviations * deviations) / n) / n);
	return {mean: mean * unit, std: Math.sqrt(variance) * unit};
}

/** `(value − offset) / divisor`, also where `value − offset` alone would overflow (values past 2^1023 of both signs). */
export function scaleValue(value: number, offset: number, divisor: number): number {
	const scaled = (value - offset) / divisor;
	return Number.isFinite(scaled) ? scaled : ((value / 2 - offset / 2) / divisor) * 2;
}

/**
 * How to scale one column: scaled = (raw − offset) / divisor. Under `minmax` and `standard` the
 * divisor is 0 for a constant column; `datasetFromColumns` refuses those before using it.
 */
export function featureScaling(values: ArrayLike<number>, scale: Scale): FeatureScaling {
	switch (scale) {
		case 'minmax': {
			const {min, max} = columnRange(values);
			return {offset: min, divisor: max - min};
		}
		case 'standard': {
			const {mean, std} = columnMoments(values);
			return {offset: mean, divisor: std};
		}
		case 'none':
			return {offset: 0, divisor: 1};
	}
}

/** Whether a scaling can be applied: a finite offset and a finite divisor > 0. */
function usable({offset, divisor}: FeatureScaling): boolean {
	return Number.isFinite(offset) && divisor > 0 && Number.isFinite(divisor);
}

/** Raw columns to turn into a `Dataset`. */
export type ColumnsOptions = {
	/** Names the data in error messages and in `Dataset.source` (a file path, or e.g. "synthetic"). */
	readonly source: string;
	readonly features: readonly string[];
	readonly target: string;
	/** One raw column per feature, each of length N. */
	readonly columns: readonly ArrayLike<number>[];
	/** The target, length N. */
	readonly y: ArrayLike<number>;
	/** @default 'minmax' */
	readonly scale?: Scale;
};

/**
 * Validates raw columns (the same rules as a CSV file: at least one row, one feature, no feature
 * twice, the target not among them, finite values, no constant feature under `minmax` or
 * `standard`), scales the features and lays them out row-major. Throws `DataError`.
 */
export function datasetFromColumns(options: ColumnsOptions): Dataset {
	const {source, columns, y} = options;
	const scale = options.scale ?? 'minmax';
	const {features, target} = checkSelection(source, options.features, options.target);
	const dims = features.length;
	const rows = y.length;
	if (columns.length !== dims) {
		throw dataError(source, `${columns.length} feature columns were given for ${dims} feature names; give one column per feature`);
	}
	if (rows === 0) throw dataError(source, 'there are no data rows; add at least one row of numbers');
	const checkFinite = (values: ArrayLike<number>, name: string): void => {
		for (let i = 0; i < values.length; i++) {
			const v = values[i] as number;
			if (!Number.isFinite(v)) {
				throw dataError(source, `column ${quoteName(name)} has ${v} in row ${i + 1}; every value must be a finite number`);
			}
		}
	};
	checkFinite(y, target);
	const scaling: FeatureScaling[] = [];
	for (let j = 0; j < dims; j++) {
		const column = columns[j] as ArrayLike<number>;
		const name = features[j] as string;
		if (column.length !== rows) {
			throw dataError(source, `feature ${quoteName(name)} has ${column.length} values and the target ${rows}; give every column N values`);
		}
		checkFinite(column, name);
		if (scale !== 'none') {
			const {min, max} = columnRange(column);
			if (min === max) {
				throw dataError(
					source,
					`feature ${quoteName(name)} is constant (${rows === 1 ? 'the only row holds' : `all ${rows} rows hold`} ${min}), ` +
						`so it cannot be ${scale === 'minmax' ? 'min-max scaled' : 'standardized'}; drop it from --features or use --scale none`,
				);
			}
			const s = featureScaling(column, scale);
			if (!usable(s)) {
				// Suggest only a scaling that works for this column (a range past 1.8e308 cannot be a
				// min-max divisor, but its σ is finite): --scale none would load it, and then every
				// racer would diverge on values this large.
				const other = scale === 'minmax' ? 'standard' : 'minmax';
				const fix = usable(featureScaling(column, other)) ? `use --scale ${other}, or rescale the column in the file` : 'rescale the column in the file';
				throw dataError(
					source,
					`feature ${quoteName(name)} spans ${min} to ${max}, beyond what double precision can ${scale === 'minmax' ? 'min-max scale' : 'standardize'}; ${fix}`,
				);
			}
			scaling.push(s);
		} else {
			scaling.push({offset: 0, divisor: 1});
		}
	}
	const x = new Float64Array(rows * dims);
	for (let j = 0; j < dims; j++) {
		const column = columns[j] as ArrayLike<number>;
		const {offset, divisor} = scaling[j] as FeatureScaling;
		if (scale === 'none') {
			for (let i = 0, k = j; i < rows; i++, k += dims) x[k] = column[i] as number;
		} else {
			for (let i = 0, k = j; i < rows; i++, k += dims) x[k] = scaleValue(column[i] as number, offset, divisor);
		}
	}
	return {
		rows,
		dims,
		x,
		y: Float64Array.from(y),
		source,
		features,
		target,
		scale,
		scaling,
	};
}
