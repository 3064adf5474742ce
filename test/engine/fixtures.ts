/**
 * Test fixtures for the engine. `bostonData()` is the study note's data (RM and LSTAT min-max
 * scaled, target MEDV) as the data module loads it, once per test file.
 */
import {readFileSync} from 'node:fs';
import {BUNDLED_DATA, loadDataset} from '../../src/data/dataset.js';
import {defaultRacerSpec} from '../../src/engine/catalog.js';
import {Rng} from '../../src/engine/rng.js';
import {OPTIMIZER_IDS} from '../../src/engine/types.js';
import type {OptimizerId, RaceConfig, RacerSpec, TrainingData} from '../../src/engine/types.js';

let boston: TrainingData | undefined;

/** Boston housing, RM and LSTAT min-max scaled, MEDV: 506 rows × 2 features. */
export function bostonData(): TrainingData {
	boston ??= loadDataset({path: BUNDLED_DATA, features: ['RM', 'LSTAT'], target: 'MEDV', scale: 'minmax'});
	return boston;
}

/**
 * RM and LSTAT min-max scaled, and MEDV, read straight from the bundled CSV with a plain split
 * (the file has no quoting): an oracle independent of the data module, for hand computations.
 */
export function bostonByHand(): {x: [number, number][]; y: number[]} {
	const [header, ...lines] = readFileSync(BUNDLED_DATA, 'utf8').trim().split(/\r?\n/);
	const names = (header ?? '').split(',');
	const rows = lines.map((line) => line.split(',').map(Number));
	const column = (name: string) => rows.map((row) => row[names.indexOf(name)] as number);
	const scaled = (values: number[]) => {
		const min = Math.min(...values);
		const max = Math.max(...values);
		return values.map((v) => (v - min) / (max - min));
	};
	const rm = scaled(column('RM'));
	const lstat = scaled(column('LSTAT'));
	return {x: rm.map((v, i) => [v, lstat[i] as number]), y: column('MEDV')};
}

/** Training data from plain arrays: `rows` are feature vectors. */
export function dataOf(rows: readonly (readonly number[])[], y: readonly number[]): TrainingData {
	const dims = rows[0]!.length;
	return {rows: rows.length, dims, x: Float64Array.from(rows.flat()), y: Float64Array.from(y)};
}

/**
 * A synthetic data set from the seeded generator: features uniform in [0, 1), target a fixed
 * linear function of them plus uniform noise.
 */
export function syntheticData(rows: number, dims: number, seed = 1): TrainingData {
	const rng = Rng.fromSeed(seed, 'synthetic');
	const x = new Float64Array(rows * dims);
	const y = new Float64Array(rows);
	for (let i = 0; i < rows; i++) {
		let value = 3;
		for (let j = 0; j < dims; j++) {
			const v = rng.float();
			x[i * dims + j] = v;
			value += (j % 2 === 0 ? 2 : -1.5) * (j + 1) * v;
		}
		y[i] = value + (rng.float() - 0.5);
	}
	return {rows, dims, x, y};
}

/** One of the note's racers with the note's settings (lr 0.01, batch size 30, no shuffle), overridable. */
export function spec(id: OptimizerId, overrides: {lr?: number; batchSize?: number; shuffle?: boolean} = {}): RacerSpec {
	return defaultRacerSpec(id, overrides);
}

/** The book race's config on Boston (all four racers), overridable. */
export function bookConfig(overrides: Partial<RaceConfig> = {}): RaceConfig {
	return {
		data: bostonData(),
		racers: OPTIMIZER_IDS.map((id) => spec(id)),
		seed: 2023,
		clock: 'iteration',
		epochs: 5000,
		tolerance: 0.01,
		...overrides,
	};
}

/** |a − b| / max(|b|, tiny): the relative error of a against the reference b. */
export function relativeError(a: number, b: number): number {
	return Math.abs(a - b) / Math.max(Math.abs(b), Number.MIN_VALUE);
}

/**
 * An independent solve: the normal equations [XᵀX Xᵀ1; 1ᵀX N]·[w; b] = [Xᵀy; Σy], by Gaussian
 * elimination with partial pivoting. Fine for well-conditioned data (the engine must not use it).
 */
export function normalEquations(data: TrainingData): {weights: number[]; bias: number} {
	const {rows, dims, x, y} = data;
	const n = dims + 1;
	const a = Array.from({length: n}, () => new Array<number>(n + 1).fill(0));
	for (let i = 0; i < rows; i++) {
		const row = [...Array.from(x.subarray(i * dims, (i + 1) * dims)), 1];
		for (let p = 0; p < n; p++) {
			for (let q = 0; q < n; q++) {
				a[p]![q]! += row[p]! * row[q]!;
			}
			a[p]![n]! += row[p]! * y[i]!;
		}
	}
	for (let col = 0; col < n; col++) {
		let pivot = col;
		for (let r = col + 1; r < n; r++) {
			if (Math.abs(a[r]![col]!) > Math.abs(a[pivot]![col]!)) {
				pivot = r;
			}
		}
		[a[col], a[pivot]] = [a[pivot]!, a[col]!];
		for (let r = col + 1; r < n; r++) {
			const f = a[r]![col]! / a[col]![col]!;
			for (let c = col; c <= n; c++) {
				a[r]![c]! -= f * a[col]![c]!;
			}
		}
	}
	const solution = new Array<number>(n).fill(0);
	for (let r = n - 1; r >= 0; r--) {
		let s = a[r]![n]!;
		for (let c = r + 1; c < n; c++) {
			s -= a[r]![c]! * solution[c]!;
		}
		solution[r] = s / a[r]![r]!;
	}
	return {weights: solution.slice(0, dims), bias: solution[dims]!};
}
