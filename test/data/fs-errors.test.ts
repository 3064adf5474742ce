import {chmodSync} from 'node:fs';
import {afterAll, describe, expect, it, vi} from 'vitest';
import {fileError} from '../../src/data/errors.js';
import {loadDataset} from '../../src/data/dataset.js';
import {expectDataError, tempDir} from './helpers.js';

// Root can read a file without read permission, and CI runs as root: so EACCES is also produced
// by a mocked `openSync` (only for paths ending in `.denied.csv`; every other call is real).
vi.mock('node:fs', async (importOriginal) => {
	const fs = await importOriginal<typeof import('node:fs')>();
	const openSync = (...args: Parameters<typeof fs.openSync>): number => {
		if (String(args[0]).endsWith('.denied.csv')) {
			throw Object.assign(new Error(`EACCES: permission denied, open '${String(args[0])}'`), {code: 'EACCES'});
		}
		return fs.openSync(...args);
	};
	return {...fs, default: {...fs, openSync}, openSync};
});

const tmp = tempDir();
afterAll(() => tmp.cleanup());

const isRoot = process.getuid?.() === 0;

describe('file system errors', () => {
	it('an unreadable file (EACCES from open)', () => {
		const path = tmp.file('secret.denied.csv', 'a,y\n1,2\n');
		expectDataError(() => loadDataset({path, features: ['a'], target: 'y', scale: 'none'}), {file: path}, /permission denied; make the file readable/);
	});

	it.skipIf(isRoot)('an unreadable file for real (chmod 000; skipped as root)', () => {
		const path = tmp.file('secret.csv', 'a,y\n1,2\n');
		chmodSync(path, 0o000);
		expectDataError(() => loadDataset({path, features: ['a'], target: 'y', scale: 'none'}), {file: path}, /permission denied/);
	});

	it('maps other fs error codes to one line', () => {
		expect(fileError('f.csv', {code: 'ENOTDIR'}).message).toMatch(/^f\.csv: no such file \(a part of the path is not a directory\); /);
		expect(fileError('f.csv', {code: 'ELOOP'}).message).toMatch(/^f\.csv: too many levels of symbolic links; /);
		expect(fileError('f.csv', Object.assign(new Error('EIO: i/o error, read'), {code: 'EIO'})).message).toBe(
			'f.csv: cannot read the file (EIO: i/o error, read); check that it is a readable CSV file',
		);
	});

	it('a path under a regular file (ENOTDIR, for real)', () => {
		const file = tmp.file('plain.csv', 'a,y\n1,2\n');
		const path = `${file}/inner.csv`;
		expectDataError(() => loadDataset({path, features: ['a'], target: 'y', scale: 'none'}), {file: path}, /no such file/);
	});
});
