import {describe, expect, it} from 'vitest';
import {columnMoments, columnRange, datasetFromColumns, featureScaling} from '../../src/data/scale.js';
import {expectDataError} from './helpers.js';

describe('columnMoments', () => {
	it('matches hand-computed mean and population σ', () => {
		// mean 2.5; deviations ±1.5, ±0.5: variance (2.25 + 0.25 + 0.25 + 2.25) / 4 = 1.25.
		expect(columnMoments([1, 2, 3, 4])).toEqual({mean: 2.5, std: Math.sqrt(1.25)});
		// mean 0.2; variance (0.01 + 0 + 0.01) / 3 = 1/150.
		const {mean, std} = columnMoments([0.1, 0.2, 0.3]);
		expect(mean).toBeCloseTo(0.2, 16);
		expect(std).toBeCloseTo(Math.sqrt(1 / 150), 16);
	});

	it('stays exact for a huge mean and a tiny spread', () => {
		// 2^40 + k/8 are exact doubles; their σ is σ(k)/8 = sqrt(1.25)/8. The textbook
		// Σx² − n·mean² loses every digit here (x² ≈ 2^80 has an ulp of 2^28).
		const base = 2 ** 40;
		const {mean, std} = columnMoments([1, 2, 3, 4].map((k) => base + k / 8));
		expect(mean).toBe(base + 2.5 / 8);
		expect(std).toBe(Math.sqrt(1.25) / 8);
	});

	it('stays finite for values whose squares overflow (1e200 … 3e200) or underflow (1e-200 … 3e-200)', () => {
		// Scaled by a power of two the moments are exact multiples of the unscaled column's.
		const unit = [1, 1.5, 2, 3, 2.25];
		for (const scale of [2 ** 664, 2 ** -664, 2 ** 1020]) {
			const {mean, std} = columnMoments(unit.map((v) => v * scale));
			const reference = columnMoments(unit);
			expect(mean).toBe(reference.mean * scale);
			expect(std).toBe(reference.std * scale);
		}
	});

	it('gives σ 0 for a single value', () => {
		expect(columnMoments([7])).toEqual({mean: 7, std: 0});
	});
});

describe('featureScaling', () => {
	it('gives the offset and divisor of each method', () => {
		const values = Float64Array.of(2, 4, 6, 10);
		expect(columnRange(values)).toEqual({min: 2, max: 10});
		expect(featureScaling(values, 'minmax')).toEqual({offset: 2, divisor: 8});
		// mean 5.5; deviations -3.5, -1.5, 0.5, 4.5: variance (12.25 + 2.25 + 0.25 + 20.25) / 4 = 8.75.
		expect(featureScaling(values, 'standard')).toEqual({offset: 5.5, divisor: Math.sqrt(8.75)});
		expect(featureScaling(values, 'none')).toEqual({offset: 0, divisor: 1});
	});
});

describe('datasetFromColumns', () => {
	const base = {source: 'synthetic', features: ['p', 'q', 'r'], target: 't'} as const;

	it('lays the scaled features out row-major and copies the target unscaled', () => {
		const data = datasetFromColumns({...base, columns: [[1, 3, 5], [0, 10, 5], [-1, -2, -3]], y: [7, 8, 9], scale: 'minmax'});
		expect(data).toMatchObject({rows: 3, dims: 3, source: 'synthetic', features: ['p', 'q', 'r'], target: 't', scale: 'minmax'});
		// p: (v-1)/4, q: v/10, r: (v+3)/2.
		expect(Array.from(data.x)).toEqual([0, 0, 1, 0.5, 1, 0.5, 1, 0.5, 0]);
		expect(Array.from(data.y)).toEqual([7, 8, 9]);
		expect(data.y).toBeInstanceOf(Float64Array);
	});

	it('defaults to min-max and leaves values untouched under none', () => {
		expect(datasetFromColumns({...base, features: ['p'], columns: [[2, 4]], y: [0, 0]}).scale).toBe('minmax');
		const raw = [0.1, -0, 1e-300, 7e300];
		const data = datasetFromColumns({...base, features: ['p'], columns: [raw], y: [1, 2, 3, 4], scale: 'none'});
		expect(Array.from(data.x)).toEqual(raw);
	});

	it('applies the same validation as a file', () => {
		const cols = [[1, 2], [3, 4], [5, 6]];
		expectDataError(() => datasetFromColumns({...base, columns: cols, y: [], scale: 'none'}), {file: 'synthetic'}, /feature p has 0 values and the target 0|no data rows/);
		expectDataError(() => datasetFromColumns({...base, columns: [[], [], []], y: [], scale: 'none'}), {file: 'synthetic'}, /no data rows/);
		expectDataError(() => datasetFromColumns({...base, columns: cols.slice(1), y: [1, 2], scale: 'none'}), {file: 'synthetic'}, /2 feature columns were given for 3 feature names/);
		expectDataError(() => datasetFromColumns({...base, columns: [[1, 2], [3], [5, 6]], y: [1, 2], scale: 'none'}), {file: 'synthetic'}, /feature q has 1 values and the target 2/);
		expectDataError(() => datasetFromColumns({...base, columns: [[1, 2], [3, Number.NaN], [5, 6]], y: [1, 2], scale: 'none'}), {file: 'synthetic'}, /column q has NaN in row 2/);
		expectDataError(() => datasetFromColumns({...base, columns: cols, y: [1, Number.POSITIVE_INFINITY], scale: 'none'}), {file: 'synthetic'}, /column t has Infinity in row 2/);
		expectDataError(() => datasetFromColumns({...base, features: ['p', 't', 'r'], columns: cols, y: [1, 2], scale: 'none'}), {file: 'synthetic'}, /t is both the target and a feature/);
		expectDataError(() => datasetFromColumns({...base, columns: [[1, 2], [3, 3], [5, 6]], y: [1, 2], scale: 'standard'}), {file: 'synthetic'}, /feature q is constant \(all 2 rows hold 3\)/);
	});

	it('refuses a span too wide for doubles instead of producing Infinity', () => {
		expectDataError(
			() => datasetFromColumns({...base, features: ['p'], columns: [[-1.7e308, 1.7e308]], y: [1, 2], scale: 'minmax'}),
			{file: 'synthetic'},
			/spans -1.7e\+308 to 1.7e\+308, beyond what double precision can min-max scale; use --scale standard, or rescale the column in the file$/,
		);
		// …and the suggestion works: standardized, those values are ±1.
		const data = datasetFromColumns({...base, features: ['p'], columns: [[-1.7e308, 1.7e308]], y: [1, 2], scale: 'standard'});
		expect(Array.from(data.x)).toEqual([-1, 1]);
	});

	it('standardizes values of 1e200 … 3e200 (their squares overflow) like the same values at 1 … 3', () => {
		const small = [1, 1.25, 2, 2.5, 3];
		const huge = datasetFromColumns({...base, features: ['p'], columns: [small.map((v) => v * 2 ** 664)], y: small, scale: 'standard'});
		const plain = datasetFromColumns({...base, features: ['p'], columns: [small], y: small, scale: 'standard'});
		expect(Array.from(huge.x)).toEqual(Array.from(plain.x));
		expect(huge.scaling[0]!.divisor).toBe(plain.scaling[0]!.divisor * 2 ** 664);
	});

	it('standardizes a large synthetic column to mean 0 and σ 1 within 1e-12', () => {
		// A deterministic, irregular column. (Its offset is modest: the mean itself can only be
		// stored to half an ulp, so with an offset of 1e6 the scaled mean is ~1e-11, not 1e-12.)
		const n = 10_000;
		const values = Array.from({length: n}, (_, i) => 50 + Math.sin(i * 0.7) * 3 + (i % 7));
		const data = datasetFromColumns({...base, features: ['p'], columns: [values], y: values, scale: 'standard'});
		let sum = 0;
		for (const v of data.x) sum += v;
		const m = sum / n;
		let squares = 0;
		for (const v of data.x) squares += (v - m) ** 2;
		expect(Math.abs(m)).toBeLessThan(1e-12);
		expect(Math.abs(Math.sqrt(squares / n) - 1)).toBeLessThan(1e-12);
	});
});
