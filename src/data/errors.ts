/**
 * Errors about the user's data. Every problem with a file, a column or a cell becomes one
 * `DataError` whose message is a single line of the form `FILE:LINE:COL: what is wrong; how to
 * fix it` (or `FILE:LINE: …`, `FILE: …` when no line or column applies), ready to be printed
 * after `gdrace: ` with no stack trace.
 */

/** Bad data: `message` is the single line to print (it names the file, and line and column where known). */
export class DataError extends Error {
	override readonly name = 'DataError';

	/** The message is forced onto one line: control characters in file names or cells are escaped. */
	constructor(message: string) {
		super(escapeControls(message));
	}
}

/** Escapes newlines and other control characters so that a message can never span lines. */
export function escapeControls(text: string): string {
	return text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, (c) => {
		switch (c) {
			case '\n':
				return '\\n';
			case '\r':
				return '\\r';
			case '\t':
				return '\\t';
			default:
				return `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
		}
	});
}

/** Builds a `DataError` located at `source[:line[:column]]`; lines and columns are 1-based. */
export function dataError(source: string, text: string, line?: number, column?: number): DataError {
	let where = source;
	if (line !== undefined) {
		where += `:${line}`;
		if (column !== undefined) where += `:${column}`;
	}
	return new DataError(`${where}: ${text}`);
}

/** Turns an error thrown by `fs` while opening or reading `source` into a one-line `DataError`. */
export function fileError(source: string, error: unknown): DataError {
	const code = typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : '';
	switch (code) {
		case 'ENOENT':
			return dataError(source, 'no such file; check the path (or leave out --data to use the bundled Boston data)');
		case 'ENOTDIR':
			return dataError(source, 'no such file (a part of the path is not a directory); check the path');
		case 'EISDIR':
			return dataError(source, 'is a directory, not a CSV file; give the path of a .csv file');
		case 'EACCES':
		case 'EPERM':
			return dataError(source, 'permission denied; make the file readable (chmod u+r) or copy it somewhere you can read');
		case 'ELOOP':
			return dataError(source, 'too many levels of symbolic links; point --data at the real file');
		case 'ENAMETOOLONG':
			return dataError(source, 'the path is too long; move the file to a shorter path');
		default: {
			const detail = error instanceof Error ? error.message : String(error);
			return dataError(source, `cannot read the file (${detail}); check that it is a readable CSV file`);
		}
	}
}
