import {existsSync, readFileSync} from 'node:fs';
import {dirname, join, resolve} from 'node:path';
import {fileURLToPath, pathToFileURL} from 'node:url';
import {afterAll, describe, expect, it} from 'vitest';
import {CsvParser} from '../../src/data/csv.js';
import {
	BUNDLED_DATA,
	DEFAULT_FEATURES,
	DEFAULT_SCALE,
	DEFAULT_TARGET,
	DataError,
	loadDataset,
} from '../../src/data/dataset.js';
import type {Dataset, DatasetOptions, Scale} from '../../src/data/dataset.js';
import {expectDataError, tempDir} from './helpers.js';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '..', '..');
const fixtures = join(here, 'fixtures');

const tmp = tempDir();
afterAll(() => tmp.cleanup());

/** Writes `content` to a temporary file and loads it (features a,b; target y; no scaling by default). */
function load(name: string, content: string, options: Partial<DatasetOptions> = {}): Dataset {
	const path = tmp.file(name, content);
	return loadDataset({path, features: ['a', 'b'], target: 'y', scale: 'none', ...options});
}

/** The column `j` of a row-major dataset. */
function column(data: Dataset, j: number): number[] {
	return Array.from({length: data.rows}, (_, i) => data.x[i * data.dims + j] as number);
}

const mean = (values: readonly number[]): number => values.reduce((s, v) => s + v, 0) / values.length;
const popStd = (values: readonly number[]): number => {
	const m = mean(values);
	return Math.sqrt(values.reduce((s, v) => s + (v - m) ** 2, 0) / values.length);
};

describe('loadDataset on valid files', () => {
	it('keeps only the selected columns, row-major, with text in other columns', () => {
		const data = load('text.csv', 'name,a,b,y,note\n"Smith, J.",1,2,3,ok\n"Lee",4,5,6,"multi\nline"\nKim,7,8,9,\n');
		expect(data).toMatchObject({rows: 3, dims: 2, features: ['a', 'b'], target: 'y', scale: 'none'});
		expect(Array.from(data.x)).toEqual([1, 2, 4, 5, 7, 8]);
		expect(Array.from(data.y)).toEqual([3, 6, 9]);
		expect(data.scaling).toEqual([
			{offset: 0, divisor: 1},
			{offset: 0, divisor: 1},
		]);
	});

	it('follows the order of the features, not of the header', () => {
		const data = load('order.csv', 'y,b,a\n1,2,3\n4,5,6\n');
		expect(Array.from(data.x)).toEqual([3, 2, 6, 5]);
		expect(Array.from(data.y)).toEqual([1, 4]);
	});

	it('reads CRLF, a BOM, no final line end, trimmed and quoted cells and every plain number form', () => {
		const data = load('forms.csv', '\uFEFF a , b ,y\r\n .5 ,"7",+1e3\r\n5.,-2.5E-2,-0\r\n1e-400,0012,3', {});
		expect(Array.from(data.x)).toEqual([0.5, 7, 5, -0.025, 0, 12]);
		expect(Array.from(data.y)).toEqual([1000, -0, 3]);
	});

	it('accepts duplicate header names among the columns it does not use', () => {
		const data = load('dupok.csv', 'x,x,a,b,,,y\n1,2,3,4,5,6,7\n');
		expect(Array.from(data.x)).toEqual([3, 4]);
	});

	it('needs only as many features as the user names (one, or many)', () => {
		const one = load('one.csv', 'a,y\n1,2\n3,4\n', {features: ['a']});
		expect(one.dims).toBe(1);
		const names = Array.from({length: 50}, (_, j) => `f${j}`);
		const row = (i: number): string => [...names.map((_, j) => i * 100 + j), i].join(',');
		const wide = load('wide.csv', `${names.join(',')},y\n${row(1)}\n${row(2)}\n`, {features: names});
		expect(wide.dims).toBe(50);
		expect(wide.x[50 + 49]).toBe(249);
	});

	it('loads a single row without scaling', () => {
		const data = load('single.csv', 'a,b,y\n1,2,3\n');
		expect(data.rows).toBe(1);
	});

	it('min-max scales the features, never the target', () => {
		const data = load('mm.csv', 'a,b,y\n2,-1,10\n4,0,20\n6,3,30\n10,1,40\n', {scale: 'minmax'});
		// (a - 2) / 8 and (b + 1) / 4 worked by hand.
		expect(column(data, 0)).toEqual([0, 0.25, 0.5, 1]);
		expect(column(data, 1)).toEqual([0, 0.25, 1, 0.5]);
		expect(Array.from(data.y)).toEqual([10, 20, 30, 40]);
		expect(data.scaling).toEqual([
			{offset: 2, divisor: 8},
			{offset: -1, divisor: 4},
		]);
	});

	it('standardizes with the population standard deviation', () => {
		const data = load('std.csv', 'a,b,y\n1,10,0\n2,10,0\n3,10,0\n4,14,0\n', {scale: 'standard'});
		// a: mean 2.5, population variance (2.25 + 0.25 + 0.25 + 2.25) / 4 = 1.25.
		const s = Math.sqrt(1.25);
		column(data, 0).forEach((v, i) => expect(v).toBeCloseTo([-1.5, -0.5, 0.5, 1.5][i]! / s, 15));
		// b: mean 11, deviations -1,-1,-1,3: variance 12/4 = 3.
		column(data, 1).forEach((v, i) => expect(v).toBeCloseTo([-1, -1, -1, 3][i]! / Math.sqrt(3), 15));
		expect(data.scaling[1]).toEqual({offset: 11, divisor: Math.sqrt(3)});
	});
});

describe('the bundled Boston data', () => {
	const boston = (scale: Scale, features: readonly string[] = DEFAULT_FEATURES): Dataset =>
		loadDataset({path: BUNDLED_DATA, features, target: DEFAULT_TARGET, scale});

	it('is found from the source tree at <package>/data/boston.csv', () => {
		expect(BUNDLED_DATA).toBe(join(root, 'data', 'boston.csv'));
		expect(existsSync(BUNDLED_DATA)).toBe(true);
		expect([DEFAULT_FEATURES, DEFAULT_TARGET, DEFAULT_SCALE]).toEqual([['RM', 'LSTAT'], 'MEDV', 'minmax']);
	});

	it.skipIf(!existsSync(join(root, 'dist', 'data', 'dataset.js')))('is found from the compiled dist/ too', async () => {
		const compiled = (await import(pathToFileURL(join(root, 'dist', 'data', 'dataset.js')).href)) as {BUNDLED_DATA: string};
		expect(compiled.BUNDLED_DATA).toBe(BUNDLED_DATA);
	});

	it('has 506 rows and the documented raw means', () => {
		const data = boston('none');
		expect(data.rows).toBe(506);
		expect(data.source).toBe(BUNDLED_DATA);
		expect(mean(column(data, 0))).toBeCloseTo(6.284634, 6);
		expect(mean(column(data, 1))).toBeCloseTo(12.653063, 6);
		expect(mean(Array.from(data.y))).toBeCloseTo(22.532806, 6);
		expect([data.x[0], data.x[1], data.y[0]]).toEqual([6.575, 4.98, 24]);
	});

	it('min-max scales RM and LSTAT onto exactly [0, 1]', () => {
		const data = boston('minmax');
		for (const j of [0, 1]) {
			const values = column(data, j);
			expect(Math.min(...values)).toBe(0);
			expect(Math.max(...values)).toBe(1);
		}
		// RM spans 3.561 … 8.78 and LSTAT 1.73 … 37.97 (checked with awk).
		expect(data.scaling[0]?.offset).toBe(3.561);
		expect(data.scaling[0]?.divisor).toBeCloseTo(5.219, 12);
		expect(data.scaling[1]?.offset).toBe(1.73);
		expect(data.scaling[1]?.divisor).toBeCloseTo(36.24, 12);
		expect(data.x[0]).toBe((6.575 - 3.561) / (8.78 - 3.561));
		expect(data.y[0]).toBe(24);
	});

	it('standardizes RM and LSTAT to mean 0 and population σ 1', () => {
		const data = boston('standard');
		for (const j of [0, 1]) {
			const values = column(data, j);
			expect(Math.abs(mean(values))).toBeLessThan(1e-12);
			expect(Math.abs(popStd(values) - 1)).toBeLessThan(1e-12);
		}
		// Python's statistics.fmean / pstdev on the same columns.
		expect(data.scaling[0]?.offset).toBeCloseTo(6.284634387351779, 13);
		expect(data.scaling[0]?.divisor).toBeCloseTo(0.7019225143345689, 14);
		expect(data.scaling[1]?.offset).toBeCloseTo(12.65306324110672, 13);
		expect(data.scaling[1]?.divisor).toBeCloseTo(7.134001636650484, 14);
	});

	it('reproduces the study note: full-batch GD, 5000 iterations, lr 0.01', () => {
		const data = boston('minmax');
		// An independent, plain GD loop (README, "The race": the study note's settings): w_j += lr·(2/n)·Σ diff·x_j, bias likewise.
		let w1 = 0;
		let w2 = 0;
		let bias = 1;
		const n = data.rows;
		for (let iteration = 0; iteration < 5000; iteration++) {
			let g1 = 0;
			let g2 = 0;
			let gb = 0;
			for (let i = 0; i < n; i++) {
				const x1 = data.x[2 * i]!;
				const x2 = data.x[2 * i + 1]!;
				const diff = data.y[i]! - (w1 * x1 + w2 * x2 + bias);
				g1 += diff * x1;
				g2 += diff * x2;
				gb += diff;
			}
			w1 += 0.01 * (2 / n) * g1;
			w2 += 0.01 * (2 / n) * g2;
			bias += 0.01 * (2 / n) * gb;
		}
		expect(Math.abs(w1 - 25.41862187)).toBeLessThan(1e-8);
		expect(Math.abs(w2 - -23.60046384)).toBeLessThan(1e-8);
		expect(Math.abs(bias - 16.38568321)).toBeLessThan(1e-8);
	});
});

describe('other real data sets (fixtures copied from the shared data folder)', () => {
	it('loads Auto MPG', () => {
		const data = loadDataset({path: join(fixtures, 'auto_mpg.csv'), features: ['weight', 'horsepower'], target: 'mpg', scale: 'none'});
		expect(data.rows).toBe(392);
		// Means computed with awk.
		expect(mean(column(data, 0))).toBeCloseTo(2977.584184, 6);
		expect(mean(column(data, 1))).toBeCloseTo(104.469388, 6);
		expect(mean(Array.from(data.y))).toBeCloseTo(23.445918, 6);
	});

	it('loads and standardizes the prostate data', () => {
		const data = loadDataset({path: join(fixtures, 'prostate.csv'), features: ['lcavol', 'lweight'], target: 'lpsa', scale: 'standard'});
		expect(data.rows).toBe(97);
		// Python's statistics.fmean / pstdev.
		expect(data.scaling[0]?.offset).toBeCloseTo(1.350009580484536, 14);
		expect(data.scaling[0]?.divisor).toBeCloseTo(1.1725337525716797, 14);
		expect(data.scaling[1]?.offset).toBeCloseTo(3.628942657677817, 14);
		expect(data.scaling[1]?.divisor).toBeCloseTo(0.42619720348933227, 14);
		expect(mean(Array.from(data.y))).toBeCloseTo(2.478387, 6);
	});

	const shared = resolve(root, '..', 'shared', 'data');
	it.skipIf(!existsSync(shared))('fixtures are byte-identical to the shared copies', () => {
		for (const name of ['auto_mpg.csv', 'prostate.csv']) {
			expect(readFileSync(join(fixtures, name)).equals(readFileSync(join(shared, name))), name).toBe(true);
		}
		expect(readFileSync(BUNDLED_DATA).equals(readFileSync(join(shared, 'boston.csv')))).toBe(true);
	});
});

describe('loadDataset errors: one line naming file, line and column', () => {
	it('a missing file', () => {
		const path = join(tmp.dir, 'nope.csv');
		expectDataError(() => loadDataset({path, features: ['a'], target: 'y', scale: 'none'}), {file: path}, /no such file; check the path/);
	});

	it('a directory', () => {
		expectDataError(() => loadDataset({path: tmp.dir, features: ['a'], target: 'y', scale: 'none'}), {file: tmp.dir}, /is a directory/);
	});

	it('names the file as the user wrote it', () => {
		tmp.file('named.csv', '');
		expectDataError(() => loadDataset({path: join(tmp.dir, 'named.csv'), source: 'named.csv', features: ['a'], target: 'y', scale: 'none'}), {file: 'named.csv'}, /empty/);
	});

	it('an empty file, and one of blank lines only', () => {
		const empty = tmp.file('empty.csv', '');
		expectDataError(() => loadDataset({path: empty, features: ['a'], target: 'y', scale: 'none'}), {file: empty}, /the file is empty; .*header row/);
		const bom = tmp.file('bom.csv', '\uFEFF');
		expectDataError(() => loadDataset({path: bom, features: ['a'], target: 'y', scale: 'none'}), {file: bom}, /only blank lines/);
		const blank = tmp.file('blank.csv', '\n\r\n  \n');
		expectDataError(() => loadDataset({path: blank, features: ['a'], target: 'y', scale: 'none'}), {file: blank}, /only blank lines/);
	});

	it('a header without data rows', () => {
		const path = tmp.file('header.csv', '\n\uFEFFa,b,y\r\n\r\n');
		expectDataError(() => loadDataset({path, features: ['a', 'b'], target: 'y', scale: 'none'}), {file: path}, /header \(line 2\) but no data rows/);
	});

	it('a selected name that appears twice in the header', () => {
		const path = tmp.file('dup.csv', 'a,b,a,y\n1,2,3,4\n');
		expectDataError(
			() => loadDataset({path, features: ['a', 'b'], target: 'y', scale: 'none'}),
			{file: path, line: 1, column: 3},
			/names 2 columns a \(columns 1 and 3\), so the feature is ambiguous; rename/,
		);
	});

	it('ragged rows, too short or too long, at the line where the record starts', () => {
		const short = tmp.file('short.csv', 'a,b,y\n1,2,3\n4,5,6\n7,8\n');
		expectDataError(() => loadDataset({path: short, features: ['a', 'b'], target: 'y', scale: 'none'}), {file: short, line: 4}, /line 4 has 2 fields, the header has 3; /);
		const long = tmp.file('long.csv', 'a,b,y\n1,2,3\n"x\ny",5,6,7\n');
		expectDataError(() => loadDataset({path: long, features: ['a', 'b'], target: 'y', scale: 'none'}), {file: long, line: 3}, /line 3 has 4 fields, the header has 3; /);
		const one = tmp.file('one.csv', 'a,b,y\n1\n');
		expectDataError(() => loadDataset({path: one, features: ['a', 'b'], target: 'y', scale: 'none'}), {file: one, line: 2}, /has 1 field, /);
		// The same row when the first column is not selected: it was taken for a blank line and
		// dropped without a word (the parser hands unselected cells over as '').
		const unselected = tmp.file('unselected.csv', 'a,b,y\n1,2,3\n5\n4,5,6\n');
		expectDataError(() => loadDataset({path: unselected, features: ['b'], target: 'y', scale: 'none'}), {file: unselected, line: 3}, /line 3 has 1 field, the header has 3; /);
		for (const lineSplit of [true, false]) {
			const records: string[][] = [];
			const mask = [false, true, true];
			const parser = new CsvParser((fields) => {
				records.push(fields);
				return mask;
			}, {source: 'mem.csv', lineSplit});
			parser.push('a,b,y\n5\n \t\n\n\u00A0x\n');
			parser.end();
			// Blank lines (spaces and tabs too) are skipped; "5" and a line of a no-break space and x are not.
			expect(records.slice(1), `lineSplit ${lineSplit}`).toEqual([[''], ['']]);
		}
	});

	const cells: readonly (readonly [string, string, RegExp])[] = [
		['abc', 'abc', /column b: "abc" is not a number; /],
		['empty', '', /column b: the cell is empty; /],
		['blank', '  ', /column b: the cell is empty; /],
		['NaN', 'NaN', /column b: "NaN" is not a number \(a missing value\?\); /],
		['NA', 'NA', /"NA" is not a number \(a missing value\?\)/],
		['question mark', '?', /"\?" is not a number \(a missing value\?\)/],
		['Infinity', 'Infinity', /column b: "Infinity" is not a finite number; /],
		['-inf', '-inf', /"-inf" is not a finite number/],
		['overflow', '1e999', /"1e999" is too large for a double/],
		['thousands', '"1,000"', /"1,000" is not a number; write it without thousands separators/],
		['decimal comma', '"3,14"', /"3,14" is not a number; .*decimal point/],
		['hex', '0x10', /"0x10" is not a decimal number/],
		['binary', '0b11', /"0b11" is not a decimal number/],
		['underscore', '1_000', /"1_000" is not a number/],
		['two points', '1.2.3', /"1.2.3" is not a number/],
		['lone exponent', 'e5', /"e5" is not a number/],
		['unit', '5kg', /"5kg" is not a number/],
		['newline', '"1\n2"', /"1\\n2" is not a number/],
	];
	it.each(cells)('a bad cell: %s', (name, cell, pattern) => {
		const path = tmp.file(`cell-${name.replace(/\W/g, '_')}.csv`, `a,b,y\n1,2,3\n4,${cell},6\n`);
		expectDataError(() => loadDataset({path, features: ['a', 'b'], target: 'y', scale: 'none'}), {file: path, line: 3, column: 2}, pattern);
	});

	it('a bad target cell, with the column of the target', () => {
		const path = tmp.file('target.csv', 'id,a,b,y\n1,1,2,3\n2,4,5,-\n');
		expectDataError(() => loadDataset({path, features: ['a', 'b'], target: 'y', scale: 'none'}), {file: path, line: 3, column: 4}, /column y: "-" is not a number/);
	});

	it('a long bad cell is shortened in the message', () => {
		const path = tmp.file('longcell.csv', `a,b,y\n1,${'z'.repeat(500)},3\n`);
		const message = expectDataError(() => loadDataset({path, features: ['a', 'b'], target: 'y', scale: 'none'}), {file: path, line: 2, column: 2}, /"z{40}…" is not a number/);
		expect(message.length).toBeLessThan(200);
	});

	it('a column name with spaces is quoted', () => {
		const path = tmp.file('spaces.csv', 'a,Sale Price\n1,x\n');
		expectDataError(() => loadDataset({path, features: ['a'], target: 'Sale Price', scale: 'none'}), {file: path, line: 2, column: 2}, /column "Sale Price": "x"/);
	});

	it('an unknown feature or target, listing the columns and suggesting a close name', () => {
		const path = tmp.file('unknown.csv', 'CRIM,RM,LSTAT,MEDV\n1,2,3,4\n');
		const options = {path, features: ['RM', 'LSTAT'], target: 'MEDV', scale: 'none'} as const;
		expectDataError(() => loadDataset({...options, features: ['rm', 'LSTAT']}), {file: path, line: 1}, /no column named rm \(the feature\); did you mean RM\? the columns are CRIM, RM, LSTAT, MEDV$/);
		expectDataError(() => loadDataset({...options, features: ['RM', 'LSAT']}), {file: path, line: 1}, /no column named LSAT .*did you mean LSTAT\?/);
		expectDataError(() => loadDataset({...options, target: 'PRICE'}), {file: path, line: 1}, /no column named PRICE \(the target\); the columns are CRIM, RM, LSTAT, MEDV$/);
	});

	it('a long column list is truncated', () => {
		const names = Array.from({length: 30}, (_, j) => `c${j}`);
		const path = tmp.file('many.csv', `${names.join(',')}\n${names.map(() => 1).join(',')}\n`);
		const message = expectDataError(() => loadDataset({path, features: ['zz'], target: 'c0', scale: 'none'}), {file: path, line: 1}, /c19, … \(10 more\)$/);
		expect(message).not.toMatch(/c20/);
	});

	it('a file without a header row', () => {
		const path = tmp.file('noheader.csv', '1,2,3\n4,5,6\n');
		expectDataError(() => loadDataset({path, features: ['a'], target: 'y', scale: 'none'}), {file: path, line: 1}, /the first line looks like data/);
	});

	it('a bad selection: the target among the features, a feature twice, none, an empty name', () => {
		const path = tmp.file('sel.csv', 'a,b,y\n1,2,3\n');
		expectDataError(() => loadDataset({path, features: ['a', 'y'], target: 'y', scale: 'none'}), {file: path}, /y is both the target and a feature; remove it from --features/);
		expectDataError(() => loadDataset({path, features: ['a', 'b', 'a'], target: 'y', scale: 'none'}), {file: path}, /feature a is listed twice; /);
		expectDataError(() => loadDataset({path, features: [], target: 'y', scale: 'none'}), {file: path}, /no feature columns selected; /);
		expectDataError(() => loadDataset({path, features: ['a', ' '], target: 'y', scale: 'none'}), {file: path}, /an empty feature name/);
		expectDataError(() => loadDataset({path, features: ['a'], target: '', scale: 'none'}), {file: path}, /target column name is empty/);
	});

	it('a constant feature under min-max or standard scaling (fine with none)', () => {
		const content = 'a,b,y\n1,0.5,3\n2,0.5,4\n3,0.5,5\n';
		expectDataError(() => load('const1.csv', content, {scale: 'minmax'}), {file: join(tmp.dir, 'const1.csv')}, /feature b is constant \(all 3 rows hold 0.5\), so it cannot be min-max scaled; drop it from --features or use --scale none/);
		expectDataError(() => load('const2.csv', content, {scale: 'standard'}), {file: join(tmp.dir, 'const2.csv')}, /feature b is constant .* cannot be standardized/);
		expect(load('const3.csv', content, {scale: 'none'}).rows).toBe(3);
		expectDataError(() => load('const4.csv', 'a,b,y\n1,2,3\n', {scale: 'minmax'}), {file: join(tmp.dir, 'const4.csv')}, /feature a is constant \(the only row holds 1\)/);
	});

	it('an unterminated quoted field at the end of the file', () => {
		const path = tmp.file('quote.csv', 'a,b,y\n1,2,3\n4,"5,6\n7,8,9\n');
		expectDataError(() => loadDataset({path, features: ['a', 'b'], target: 'y', scale: 'none'}), {file: path, line: 3, column: 2}, /quoted field starts here and is never closed; /);
	});

	it('the row and value limits, decided while streaming', () => {
		const content = `a,b,y\n${Array.from({length: 6}, (_, i) => `${i},${i * 2},${i}`).join('\n')}\n`;
		expectDataError(() => load('rows.csv', content, {maxRows: 4}), {file: join(tmp.dir, 'rows.csv'), line: 6}, /more than 4 data rows; .*sample/);
		// 3 values per row: the 3rd row would make 9 > 8.
		expectDataError(() => load('values.csv', content, {maxValues: 8}), {file: join(tmp.dir, 'values.csv'), line: 4}, /more than 8 values .*select fewer features/);
		expect(load('fits.csv', content, {maxRows: 6, maxValues: 18}).rows).toBe(6);
	});

	it('is a DataError for every case above (nothing else escapes)', () => {
		expect(new DataError('x\ny').message).toBe('x\\ny');
	});
});
