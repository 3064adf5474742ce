import {closeSync, mkdtempSync, openSync, rmSync, statSync, writeSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterAll, bench, describe} from 'vitest';
import {loadDataset} from '../../src/data/dataset.js';

// A Boston-like file of 14 numeric columns, about 20 MB (the 200 MB figures in the report were
// measured by hand with the same generator scaled up).
const dir = mkdtempSync(join(tmpdir(), 'gdrace-bench-'));
const path = join(dir, 'boston-like.csv');
const fd = openSync(path, 'w');
writeSync(fd, 'CRIM,ZN,INDUS,CHAS,NOX,RM,AGE,DIS,RAD,TAX,PTRATIO,B,LSTAT,MEDV\n');
let batch = '';
for (let i = 0; i < 240_000; i++) {
	const row = [
		(i % 977) / 1000 + 0.00632, i % 100, ((i * 7) % 2700) / 100, i % 2, 0.385 + (i % 487) / 1000,
		3.561 + (i % 5219) / 1000, (i % 1000) / 10, 1 + (i % 1100) / 100, 1 + (i % 24), 187 + (i % 524),
		12.6 + (i % 94) / 10, 0.32 + (i % 39658) / 100, 1.73 + (i % 3624) / 100, 5 + (i % 450) / 10,
	];
	batch += `${row.join(',')}\n`;
	if (batch.length > 1 << 20) {
		writeSync(fd, batch);
		batch = '';
	}
}
writeSync(fd, batch);
closeSync(fd);
const megabytes = statSync(path).size / 1e6;
afterAll(() => rmSync(dir, {recursive: true, force: true}));

describe(`loadDataset, ${megabytes.toFixed(0)} MB, 14 columns (MB/s = ${megabytes.toFixed(1)} × hz)`, () => {
	bench('RM, LSTAT → MEDV, minmax', () => {
		loadDataset({path, features: ['RM', 'LSTAT'], target: 'MEDV', scale: 'minmax'});
	}, {iterations: 5, warmupIterations: 1});
	bench('13 features → MEDV, standard', () => {
		loadDataset({path, features: ['CRIM', 'ZN', 'INDUS', 'CHAS', 'NOX', 'RM', 'AGE', 'DIS', 'RAD', 'TAX', 'PTRATIO', 'B', 'LSTAT'], target: 'MEDV', scale: 'standard'});
	}, {iterations: 5, warmupIterations: 1});
});
