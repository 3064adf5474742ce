/** Helpers shared by the data tests: temporary files and DataError assertions. */
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {expect} from 'vitest';
import {DataError} from '../../src/data/errors.js';

/** A temporary directory for one test file; `cleanup` removes it. */
export function tempDir(): {readonly dir: string; readonly file: (name: string, content: string | Uint8Array) => string; readonly cleanup: () => void} {
	const dir = mkdtempSync(join(tmpdir(), 'gdrace-data-'));
	return {
		dir,
		file: (name, content) => {
			const path = join(dir, name);
			writeFileSync(path, content);
			return path;
		},
		cleanup: () => rmSync(dir, {recursive: true, force: true}),
	};
}

/** Where an error must point: the message must start with `file:line:column: ` (or `file:line: `, `file: `). */
export type Where = {
	readonly file: string;
	readonly line?: number;
	readonly column?: number;
};

/** Runs `action`, expects a one-line DataError located at `where` whose message matches `pattern`; returns the message. */
export function expectDataError(action: () => unknown, where: Where, pattern: RegExp): string {
	let caught: unknown;
	try {
		action();
	} catch (error) {
		caught = error;
	}
	expect(caught).toBeInstanceOf(DataError);
	const {message} = caught as DataError;
	let prefix = where.file;
	if (where.line !== undefined) prefix += `:${where.line}`;
	if (where.column !== undefined) prefix += `:${where.column}`;
	expect(message.startsWith(`${prefix}: `), `${JSON.stringify(message)} should start with ${JSON.stringify(prefix)}`).toBe(true);
	// Nothing more precise than asked: FILE: must not be followed by a line, FILE:LINE: not by a column.
	const rest = message.slice(prefix.length + 2);
	expect(rest).not.toMatch(/^\d+:/);
	expect(message).not.toMatch(/[\n\r]/);
	expect(message).toMatch(pattern);
	// Every message says how to fix the problem after a semicolon.
	expect(message).toMatch(/; /);
	return message;
}
