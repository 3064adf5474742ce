import {execFileSync} from 'node:child_process';
import {existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, symlinkSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterAll, describe, expect, it} from 'vitest';
import {ExportError, UsageError} from '../../src/cli/errors.js';
import type {ExportRacer} from '../../src/cli/export.js';
import {checkExportTarget, exportFormatOf, exportLines, temporaryPath, writeExport} from '../../src/cli/export.js';

const scratch = mkdtempSync(join(tmpdir(), 'gdrace-export-'));
afterAll(() => rmSync(scratch, {recursive: true, force: true}));

/** A racer whose history is the given rows of [iteration, samples, ms, loss], at lr 0.01 throughout unless `lrChanges` say otherwise. */
function racer(id: string, rows: readonly (readonly [number, number, number, number])[], lrChanges: ExportRacer['lrChanges'] = []): ExportRacer {
	const column = (k: number) => Float64Array.from(rows, (row) => row[k] as number);
	return {
		id,
		history: {columns: () => ({iteration: column(0), samples: column(1), ms: column(2), loss: column(3)})},
		lr: lrChanges.at(-1)?.lr ?? 0.01,
		lrChanges,
	};
}

const RACERS = [
	racer('gd', [
		[0, 0, 0, 592.1469169960474],
		[1, 506, 0.012, 526.4361550859163],
	]),
	racer('mb-epoch', [[1 / 17, 30, 0.001, 1e-5]]),
];

describe('exportLines', () => {
	it('writes CSV with a header and shortest round-trip numbers', () => {
		expect([...exportLines(RACERS, 'csv')]).toEqual([
			'racer,iteration,samples,ms,loss,lr',
			'gd,0,0,0,592.1469169960474,0.01',
			'gd,1,506,0.012,526.4361550859163,0.01',
			'mb-epoch,0.058823529411764705,30,0.001,0.00001,0.01',
		]);
	});

	it('gives each point the lr of the update that led to it (the live [ and ] keys change it)', () => {
		const changes = [
			{iteration: 1, from: 0.01, lr: 0.02},
			{iteration: 2, from: 0.02, lr: 0.04},
		];
		const rows = [0, 1, 2, 3, 4].map((i) => [i, 506 * i, i, 10 - i] as const);
		const lines = [...exportLines([racer('gd', rows, changes)], 'csv')].slice(1);
		expect(lines.map((line) => line.split(',').at(-1))).toEqual(['0.01', '0.01', '0.02', '0.04', '0.04']);
		// An epoch racer's change inside a pass: update 5 of 17 and after.
		const epoch = [...exportLines([racer('mb-epoch', [[4 / 17, 120, 1, 9], [5 / 17, 150, 1, 8], [6 / 17, 180, 1, 7]], [{iteration: 5 / 17, from: 0.01, lr: 0.005}])], 'ndjson')];
		expect(epoch.map((line) => (JSON.parse(line) as {lr: number}).lr)).toEqual([0.01, 0.01, 0.005]);
	});

	it('writes one JSON object per point', () => {
		const lines = [...exportLines(RACERS, 'ndjson')];
		expect(lines).toHaveLength(3);
		expect(lines.map((line) => JSON.parse(line) as unknown)).toEqual([
			{racer: 'gd', iteration: 0, samples: 0, ms: 0, loss: 592.1469169960474, lr: 0.01},
			{racer: 'gd', iteration: 1, samples: 506, ms: 0.012, loss: 526.4361550859163, lr: 0.01},
			{racer: 'mb-epoch', iteration: 1 / 17, samples: 30, ms: 0.001, loss: 1e-5, lr: 0.01},
		]);
	});

	it('round-trips every number exactly', () => {
		const values = [Math.PI, 1 / 3, 1e-300, 123456789.123456789, 2 ** 53];
		const lines = [...exportLines([racer('sgd', values.map((v) => [v, v, v, v] as const))], 'csv')].slice(1);
		for (const [i, line] of lines.entries()) {
			expect(line.split(',').slice(1, 5).map(Number)).toEqual([values[i], values[i], values[i], values[i]]);
		}
	});
});

describe('exportFormatOf', () => {
	it('goes by the extension, case-insensitively', () => {
		expect(exportFormatOf('a.csv')).toBe('csv');
		expect(exportFormatOf('a.CSV')).toBe('csv');
		expect(exportFormatOf('dir.x/a.ndjson')).toBe('ndjson');
		expect(exportFormatOf('a.jsonl')).toBe('ndjson');
		expect(exportFormatOf('a.json')).toBeUndefined();
		expect(exportFormatOf('csv')).toBeUndefined();
	});
});

describe('writeExport', () => {
	it('writes the file, leaves no temporary file behind, and returns the data rows written', () => {
		const path = join(scratch, 'first.csv');
		expect(writeExport(path, RACERS, {force: false})).toBe(3);
		expect(readFileSync(path, 'utf8')).toBe(`${[...exportLines(RACERS, 'csv')].join('\n')}\n`);
		expect(readdirSync(scratch).filter((name) => name.endsWith('.tmp'))).toEqual([]);
	});

	it('picks NDJSON by extension', () => {
		const path = join(scratch, 'first.ndjson');
		expect(writeExport(path, RACERS, {force: false})).toBe(3);
		const lines = readFileSync(path, 'utf8').trimEnd().split('\n');
		expect(lines).toHaveLength(3);
		expect(JSON.parse(lines[0] ?? '')).toMatchObject({racer: 'gd', loss: 592.1469169960474});
	});

	it('never replaces a file that appeared during the run without force, and keeps the history', () => {
		const path = join(scratch, 'taken.csv');
		writeFileSync(path, 'someone else\n');
		expect(() => writeExport(path, RACERS, {force: false})).toThrow(ExportError);
		expect(readFileSync(path, 'utf8')).toBe('someone else\n');
		const kept = temporaryPath(path);
		expect(readFileSync(kept, 'utf8')).toContain('gd,1,506,0.012,526.4361550859163');
		try {
			writeExport(path, RACERS, {force: false});
		} catch (error) {
			expect((error as Error).message).toContain(kept);
			expect((error as Error).message).toContain('--force');
		}
		rmSync(kept);
	});

	it('replaces with force', () => {
		const path = join(scratch, 'forced.csv');
		writeFileSync(path, 'old\n');
		writeExport(path, RACERS, {force: true});
		expect(readFileSync(path, 'utf8').split('\n')[0]).toBe('racer,iteration,samples,ms,loss,lr');
		expect(existsSync(temporaryPath(path))).toBe(false);
	});

	it('reports a directory that vanished as one line and cleans up', () => {
		expect(() => writeExport(join(scratch, 'gone', 'x.csv'), RACERS, {force: false})).toThrow(/cannot write the export .*x\.csv/);
	});

	it('writes an empty history as just the header', () => {
		const path = join(scratch, 'empty.csv');
		expect(writeExport(path, [racer('gd', [])], {force: false})).toBe(0);
		expect(readFileSync(path, 'utf8')).toBe('racer,iteration,samples,ms,loss,lr\n');
	});
});

describe('checkExportTarget', () => {
	it('accepts a new file in an existing directory', () => {
		expect(checkExportTarget(join(scratch, 'new.csv'), false)).toEqual({path: join(scratch, 'new.csv'), format: 'csv', force: false});
	});

	it('refuses an existing file without force, accepts it with force', () => {
		const path = join(scratch, 'exists.ndjson');
		writeFileSync(path, '');
		expect(() => checkExportTarget(path, false)).toThrow(UsageError);
		expect(checkExportTarget(path, true).force).toBe(true);
	});

	// Replacing a FIFO or a device with a file would break what uses them, and a file moved into
	// place replaces a link itself: `--cast /dev/stdout --force` put a file where /dev/stdout's link
	// was. --force reaches neither; a link to a directory is a directory.
	it.skipIf(process.platform === 'win32')('refuses what is not a regular file, and links, even with force', () => {
		const fifo = join(scratch, 'pipe.csv');
		execFileSync('mkfifo', [fifo]);
		const file = join(scratch, 'real.csv');
		writeFileSync(file, 'kept');
		const device = join(scratch, 'device.csv');
		symlinkSync('/dev/null', device);
		const link = join(scratch, 'link.csv');
		symlinkSync(file, link);
		const dangling = join(scratch, 'dangling.csv');
		symlinkSync(join(scratch, 'nothing-here'), dangling);
		const folder = join(scratch, 'folder-link.csv');
		symlinkSync(scratch, folder);
		for (const force of [false, true]) {
			expect(() => checkExportTarget(fifo, force)).toThrow(
				`--export ${JSON.stringify(fifo)} is not a regular file (a device, pipe or socket); give a file name ending in .csv, .ndjson or .jsonl`,
			);
			for (const path of [device, link, dangling]) {
				expect(() => checkExportTarget(path, force)).toThrow(`--export ${JSON.stringify(path)} is a symbolic link; give the path of a file (--force replaces files, not links)`);
			}
			expect(() => checkExportTarget(folder, force)).toThrow(`--export ${JSON.stringify(folder)} is a directory`);
		}
		expect(checkExportTarget(file, true).force).toBe(true);
		expect(readFileSync(file, 'utf8')).toBe('kept');
		expect(statSync('/dev/null').isCharacterDevice()).toBe(true);
	});

	it('names the missing directory', () => {
		expect(() => checkExportTarget(join(scratch, 'nope', 'x.csv'), false)).toThrow(/directory ".*nope" does not exist/);
	});

	it('uses a temporary name beside the file', () => {
		expect(temporaryPath('/a/b/out.csv', 42)).toBe('/a/b/.out.csv.42.tmp');
		expect(temporaryPath('out.csv', 7)).toBe('.out.csv.7.tmp');
	});
});
