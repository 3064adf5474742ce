/**
 * The curvature of the README's "The race", H = (2/N)·ÃᵀÃ with Ã = [X, 1], against an independent eigen-solve:
 * H formed explicitly from the CSV (read with a plain split) and diagonalised by a cyclic Jacobi
 * eigenvalue routine written here. The engine takes another road (QR of Ã, then an SVD).
 */
import {readFileSync} from 'node:fs';
import {describe, expect, test} from 'vitest';
import {loadDataset} from '../../src/data/dataset.js';
import {curvature} from '../../src/engine/curvature.js';
import {Race} from '../../src/engine/race.js';
import {bookConfig, bostonByHand, dataOf} from './fixtures.js';

/** Eigenvalues of a symmetric matrix by cyclic Jacobi rotations (Golub & Van Loan, §8.5). */
function jacobiEigenvalues(matrix: readonly (readonly number[])[]): number[] {
	const a = matrix.map((row) => [...row]);
	const n = a.length;
	for (let sweep = 0; sweep < 100; sweep++) {
		let off = 0;
		for (let p = 0; p < n; p++) for (let q = p + 1; q < n; q++) off += a[p]![q]! ** 2;
		if (off === 0) break;
		for (let p = 0; p < n - 1; p++) {
			for (let q = p + 1; q < n; q++) {
				const apq = a[p]![q]!;
				if (apq === 0) continue;
				const theta = (a[q]![q]! - a[p]![p]!) / (2 * apq);
				const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
				const c = 1 / Math.sqrt(t * t + 1);
				const s = t * c;
				for (let k = 0; k < n; k++) {
					const akp = a[k]![p]!;
					const akq = a[k]![q]!;
					a[k]![p] = c * akp - s * akq;
					a[k]![q] = s * akp + c * akq;
				}
				for (let k = 0; k < n; k++) {
					const apk = a[p]![k]!;
					const aqk = a[q]![k]!;
					a[p]![k] = c * apk - s * aqk;
					a[q]![k] = s * apk + c * aqk;
				}
			}
		}
	}
	return a.map((row, i) => row[i]!).sort((x, y) => x - y);
}

/** H = (2/N)·ÃᵀÃ from rows of features. */
function hessian(rows: readonly (readonly number[])[]): number[][] {
	const d = rows[0]!.length + 1;
	const h = Array.from({length: d}, () => new Array<number>(d).fill(0));
	for (const row of rows) {
		const x = [...row, 1];
		for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) h[i]![j]! += (2 / rows.length) * x[i]! * x[j]!;
	}
	return h;
}

/** Columns of a fixture CSV (no quoting), min-max scaled, read with a plain split. */
function fixture(path: string, features: readonly string[]): number[][] {
	const [header, ...lines] = readFileSync(path, 'utf8').trim().split(/\r?\n/);
	const names = (header ?? '').split(',');
	const table = lines.map((line) => line.split(',').map(Number));
	const columns = features.map((name) => {
		const values = table.map((row) => row[names.indexOf(name)]!);
		const min = Math.min(...values);
		const max = Math.max(...values);
		return values.map((v) => (v - min) / (max - min));
	});
	return table.map((_, i) => columns.map((column) => column[i]!));
}

const relative = (actual: number, expected: number) => Math.abs(actual - expected) / Math.abs(expected);

describe('curvature against an independent eigen-solve', () => {
	const cases = [
		['Boston, RM and LSTAT', 'data/boston.csv', ['RM', 'LSTAT'], 'MEDV'],
		['Boston, all 13 features', 'data/boston.csv', ['CRIM', 'ZN', 'INDUS', 'CHAS', 'NOX', 'RM', 'AGE', 'DIS', 'RAD', 'TAX', 'PTRATIO', 'B', 'LSTAT'], 'MEDV'],
		['prostate, 8 features', 'test/data/fixtures/prostate.csv', ['lcavol', 'lweight', 'age', 'lbph', 'svi', 'lcp', 'gleason', 'pgg45'], 'lpsa'],
		['auto mpg, 7 features', 'test/data/fixtures/auto_mpg.csv', ['cylinders', 'displacement', 'horsepower', 'weight', 'acceleration', 'year', 'origin'], 'mpg'],
	] as const;

	test.each(cases)('%s', (_name, path, features, target) => {
		const data = loadDataset({path, features: [...features], target, scale: 'minmax'});
		const result = curvature(data);
		const eigen = jacobiEigenvalues(hessian(fixture(path, features)));
		const lambdaMax = eigen.at(-1)!;
		const lambdaMin = eigen[0]!;
		expect(relative(result.lambdaMax, lambdaMax)).toBeLessThan(1e-12);
		// λmin is determined to about ε·λmax by H's entries: compare at that scale.
		expect(Math.abs(result.lambdaMin - lambdaMin)).toBeLessThan(1e-12 * lambdaMax);
		expect(relative(result.lambdaMin, lambdaMin)).toBeLessThan(1e-8);
		expect(result.condition).not.toBeNull();
		expect(relative(result.condition!, lambdaMax / lambdaMin)).toBeLessThan(1e-8);
		expect(result.lrMax).toBe(2 / result.lambdaMax);
	});

	test('Boston RM, LSTAT: the numbers (numpy.linalg.eigvalsh gives 2.7313059389005563, 0.013420844059427176)', () => {
		const {x} = bostonByHand();
		const eigen = jacobiEigenvalues(hessian(x));
		const result = curvature(bookConfig().data);
		expect(relative(eigen.at(-1)!, 2.7313059389005563)).toBeLessThan(1e-13);
		expect(relative(eigen[0]!, 0.013420844059427176)).toBeLessThan(1e-11);
		expect(result.lrMax).toBeCloseTo(0.73225044895742, 12);
		expect(result.condition).toBeCloseTo(203.5122326737, 8);
		// The race carries it, for the header and the summaries.
		expect(new Race(bookConfig()).snapshot().curvature).toEqual(result);
	});

	test('collinear features: λmin is 0 to rounding, condition null', () => {
		const rows = [[0, 0], [1, 2], [2, 4], [3, 6]];
		const result = curvature(dataOf(rows, [1, 2, 3, 4]));
		expect(result.lambdaMin).toBe(0);
		expect(result.condition).toBeNull();
		const eigen = jacobiEigenvalues(hessian(rows));
		expect(Math.abs(eigen[0]!)).toBeLessThan(1e-13 * eigen.at(-1)!);
		expect(relative(result.lambdaMax, eigen.at(-1)!)).toBeLessThan(1e-12);
	});

	test('features near the largest double: λmax is Infinity and lrMax 0, never NaN', () => {
		const result = curvature(dataOf([[1e308], [-1e308], [5e307]], [1, 2, 3]));
		expect(result.lambdaMax).toBe(Infinity);
		expect(result.lrMax).toBe(0);
		// Large features whose λ is representable keep their digits: H = diag(2e300, 2).
		const large = curvature(dataOf([[1e150], [-1e150]], [1, 2]));
		expect(large.lambdaMax).toBeCloseTo(2e300, -287);
		expect(Number.isNaN(large.lrMax)).toBe(false);
	});

	test('one row: rank 1', () => {
		const result = curvature(dataOf([[2]], [1]));
		// H = 2·[[4, 2], [2, 1]]: eigenvalues 10 and 0.
		expect(result.lambdaMax).toBeCloseTo(10, 13);
		expect(result.condition).toBeNull();
	});

	test('plain GD with lr just below 2/λmax converges, just above diverges', () => {
		const {lrMax} = curvature(bookConfig().data);
		const race = (lr: number) => {
			const r = new Race(bookConfig({epochs: 3000, racers: [{id: 'gd', name: 'GD', rule: {kind: 'sgd'}, batch: {kind: 'full'}, lr}]}));
			r.advance(3000);
			return r.racers[0]!;
		};
		expect(race(lrMax * 0.99).state).not.toBe('diverged');
		expect(race(lrMax * 1.01).state).toBe('diverged');
	});
});
