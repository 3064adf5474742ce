/**
 * `--export FILE`: every racer's history as CSV or NDJSON, chosen by the file's extension.
 *
 * The file is written to a temporary file beside it (`.FILE.<pid>.tmp`, so same directory, same
 * file system) and only then moved into place, so an interrupted run never leaves a truncated
 * file under the final name. Without `--force` the move is `link` + `unlink`, which fails instead
 * of replacing a file that appeared while the race ran; with `--force` it is a `rename`, which
 * replaces atomically.
 */
import {
	accessSync,
	closeSync,
	constants,
	copyFileSync,
	fsyncSync,
	linkSync,
	lstatSync,
	openSync,
	renameSync,
	statSync,
	unlinkSync,
	writeSync,
} from 'node:fs';
import {basename, dirname, extname, join} from 'node:path';
import type {HistoryColumns as EngineHistoryColumns} from '../engine/history.js';
import {ExportError, UsageError, errorCode} from './errors.js';

/** The export file types. */
export const EXPORT_FORMATS = ['csv', 'ndjson'] as const;
/** One of `EXPORT_FORMATS`. */
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** Extensions accepted by `--export` (compared case-insensitively) and the format each means. */
export const EXPORT_EXTENSIONS: Readonly<Record<string, ExportFormat>> = {'.csv': 'csv', '.ndjson': 'ndjson', '.jsonl': 'ndjson'};

/** A checked `--export` destination. */
export type ExportTarget = {
	/** As the user gave it. */
	readonly path: string;
	readonly format: ExportFormat;
	/** Replace an existing file. @default false */
	readonly force: boolean;
};

/** The columns of one racer's history the export writes (of the engine's `History.columns()`), oldest point first. */
export type HistoryColumns = Pick<EngineHistoryColumns, 'iteration' | 'samples' | 'ms' | 'loss'>;

/** What the export needs of a racer: its id, its history and its learning rates (the engine's `Racer` fits). */
export type ExportRacer = {
	readonly id: string;
	readonly history: {columns(): HistoryColumns};
	/** The learning rate it ended with. */
	readonly lr: number;
	/** Its lr changes, oldest first: from the update after `iteration` on, it used `lr` (before: `from`). */
	readonly lrChanges: readonly {readonly iteration: number; readonly from: number; readonly lr: number}[];
};

/** Options of `writeExport`. */
export type ExportOptions = {
	/** Replace an existing file. @default false */
	readonly force: boolean;
	/** @default the format of the path's extension */
	readonly format?: ExportFormat;
};

/** The CSV header line. */
export const CSV_HEADER = 'racer,iteration,samples,ms,loss,lr';

/** Characters gathered before each write. */
const CHUNK_CHARS = 1 << 20;

/** The format an export path's extension asks for, or undefined. */
export function exportFormatOf(path: string): ExportFormat | undefined {
	return EXPORT_EXTENSIONS[extname(path).toLowerCase()];
}

/** The temporary file an export is written to: `.FILE.<pid>.tmp` in the same directory. */
export function temporaryPath(path: string, pid = process.pid): string {
	return join(dirname(path), `.${basename(path)}.${pid}.tmp`);
}

/**
 * Checks an `--export` path before the race starts: a known extension, an existing directory
 * where a file can be created (tried), and no existing file unless `force`. Throws `UsageError`
 * (exit code 2).
 */
export function checkExportTarget(path: string, force: boolean): ExportTarget {
	const name = JSON.stringify(path);
	if (path.trim() === '') throw new UsageError('--export needs a file name; e.g. --export history.csv (or .ndjson, .jsonl)');
	const format = exportFormatOf(path);
	if (format === undefined) {
		throw new UsageError(`--export ${name}: unknown file type; use a name ending in .csv, .ndjson or .jsonl`);
	}
	const directory = dirname(path);
	const shownDirectory = JSON.stringify(directory);
	try {
		if (!statSync(directory).isDirectory()) {
			throw new UsageError(`--export ${name}: ${shownDirectory} is not a directory; choose a path in an existing directory`);
		}
	} catch (error) {
		if (error instanceof UsageError) throw error;
		throw new UsageError(`--export ${name}: the directory ${shownDirectory} does not exist; create it first or choose another path`);
	}
	try {
		accessSync(directory, constants.W_OK);
	} catch {
		throw new UsageError(`--export ${name}: cannot write in the directory ${shownDirectory}; choose a directory you can write to`);
	}
	const existing = existingKind(path);
	if (existing === 'none') {
		probe(path, name, shownDirectory);
		return {path, format, force};
	}
	if (existing === 'directory') throw new UsageError(`--export ${name} is a directory; give a file name ending in .csv, .ndjson or .jsonl`);
	if (existing === 'special') {
		throw new UsageError(`--export ${name} is not a regular file (a device, pipe or socket); give a file name ending in .csv, .ndjson or .jsonl`);
	}
	if (existing === 'link') {
		throw new UsageError(`--export ${name} is a symbolic link; give the path of a file (--force replaces files, not links)`);
	}
	if (!force) throw new UsageError(`--export ${name}: the file exists; add --force to overwrite it, or choose another name`);
	probe(path, name, shownDirectory);
	return {path, format, force};
}

/**
 * What is at a path the export or a recording would replace: nothing, a directory (or a link to
 * one), a symbolic link, something that is not a regular file (a device, a FIFO, a socket), or a
 * file. Only a file is ever replaced (with --force): the file is moved into place by rename, which
 * replaces a link itself, not what it points to: `--cast /dev/stdout --force` would have put a file
 * where /dev/stdout's link was, for every program on the machine.
 */
export function existingKind(path: string): 'none' | 'directory' | 'link' | 'special' | 'file' {
	let stats;
	try {
		stats = lstatSync(path);
	} catch {
		return 'none';
	}
	if (stats.isSymbolicLink()) {
		try {
			return statSync(path).isDirectory() ? 'directory' : 'link';
		} catch {
			return 'link';
		}
	}
	if (stats.isDirectory()) return 'directory';
	return stats.isFile() ? 'file' : 'special';
}

/**
 * Creates and removes an empty file beside the export (`.FILE.<pid>.probe`): the one test that a
 * file can really be made there. Permission bits and `access` say yes for root in /proc or on a
 * read-only mount, and the race would then run to its end before the export fails.
 */
function probe(path: string, name: string, shownDirectory: string): void {
	const temporary = join(dirname(path), `.${basename(path)}.${process.pid}.probe`);
	let fd: number;
	try {
		fd = openSync(temporary, 'wx', 0o644);
	} catch (error) {
		// A stale probe of an earlier run with the same pid: the directory does take files.
		if (errorCode(error) === 'EEXIST') return;
		throw new UsageError(`--export ${name}: cannot create a file in ${shownDirectory}: ${describe(error)}; choose another directory`);
	}
	closeSync(fd);
	removeQuietly(temporary);
}

/**
 * CSV lines (`racer,iteration,samples,ms,loss,lr`, header first) or NDJSON objects of every
 * racer's history. `lr` is the learning rate of the update that led to the point (the starting
 * point: the first one), so the export shows when the live `[` and `]` changed it.
 */
export function* exportLines(racers: readonly ExportRacer[], format: ExportFormat): Generator<string> {
	if (format === 'csv') yield CSV_HEADER;
	for (const racer of racers) {
		const {iteration, samples, ms, loss} = racer.history.columns();
		const id = format === 'csv' ? csvField(racer.id) : JSON.stringify(racer.id);
		const changes = racer.lrChanges;
		let next = 0;
		let lr = changes[0]?.from ?? racer.lr;
		for (let i = 0; i < loss.length; i++) {
			const at = iteration[i] as number;
			// A change at iteration c applies to the updates after it: to points beyond c.
			while (next < changes.length && changes[next]!.iteration < at) lr = changes[next++]!.lr;
			const values = [at, samples[i], ms[i], loss[i], lr].map((value) => jsonNumber(value as number));
			yield format === 'csv'
				? `${id},${values.join(',')}`
				: `{"racer":${id},"iteration":${values[0]},"samples":${values[1]},"ms":${values[2]},"loss":${values[3]},"lr":${values[4]}}`;
		}
	}
}

/**
 * Writes the history of every racer to `path` atomically (see the module comment) and returns
 * the number of data rows written (the CSV header not counted). Throws
 * `ExportError` (exit code 1) when the file cannot be written; when the path was taken by another
 * file during the run (and not `force`), the history is kept in the temporary file, named in the
 * message.
 */
export function writeExport(path: string, racers: readonly ExportRacer[], options: ExportOptions): number {
	const format = options.format ?? exportFormatOf(path) ?? 'csv';
	const temporary = temporaryPath(path);
	let rows: number;
	try {
		rows = writeLines(temporary, exportLines(racers, format)) - (format === 'csv' ? 1 : 0);
	} catch (error) {
		removeQuietly(temporary);
		throw new ExportError(`cannot write the export ${JSON.stringify(path)}: ${describe(error)}`);
	}
	placeFile(temporary, path, options.force);
	return rows;
}

/** What a placed file is called in messages: `export`/`history` (the default) or `recording`/`recording`. */
export type FileNoun = {
	/** "cannot write the <file> …" */
	readonly file: string;
	/** "… the <content> is in …" */
	readonly content: string;
};

const EXPORT_NOUN: FileNoun = {file: 'export', content: 'history'};

/**
 * Moves `temporary` to `path`: with `force` by `rename` (atomic replace); else unless `path`
 * exists, keeping the temporary file for the user on a clash. Throws `ExportError`.
 */
export function placeFile(temporary: string, path: string, force: boolean, noun: FileNoun = EXPORT_NOUN): void {
	if (force) {
		try {
			renameSync(temporary, path);
		} catch (error) {
			removeQuietly(temporary);
			throw new ExportError(`cannot write the ${noun.file} ${JSON.stringify(path)}: ${describe(error)}`);
		}
		return;
	}
	placeWithoutReplacing(temporary, path, noun);
}

/** Moves `temporary` to `path` unless `path` exists; on a clash the temporary file is kept for the user. */
function placeWithoutReplacing(temporary: string, path: string, noun: FileNoun): void {
	try {
		linkSync(temporary, path);
	} catch (error) {
		const code = errorCode(error);
		if (code === 'EEXIST') {
			throw new ExportError(
				`${JSON.stringify(path)} appeared while the race ran and was left alone; the ${noun.content} is in ${JSON.stringify(temporary)} ` +
					'(rename it, or rerun with --force to overwrite)',
			);
		}
		if (code === 'EPERM' || code === 'ENOTSUP' || code === 'EOPNOTSUPP' || code === 'ENOSYS' || code === 'EXDEV') {
			// A file system without hard links (FAT, some network shares): an exclusive copy still
			// never replaces an existing file, though it is not atomic.
			try {
				copyFileSync(temporary, path, constants.COPYFILE_EXCL);
			} catch (copyError) {
				if (errorCode(copyError) === 'EEXIST') {
					throw new ExportError(
						`${JSON.stringify(path)} appeared while the race ran and was left alone; the ${noun.content} is in ${JSON.stringify(temporary)}`,
					);
				}
				removeQuietly(temporary);
				throw new ExportError(`cannot write the ${noun.file} ${JSON.stringify(path)}: ${describe(copyError)}`);
			}
		} else {
			removeQuietly(temporary);
			throw new ExportError(`cannot write the ${noun.file} ${JSON.stringify(path)}: ${describe(error)}`);
		}
	}
	removeQuietly(temporary);
}

/** Writes lines to a new file in large chunks, then flushes it to disk; returns the number of lines. */
function writeLines(path: string, lines: Iterable<string>): number {
	const fd = openSync(path, 'w', 0o644);
	let count = 0;
	try {
		let chunk = '';
		for (const line of lines) {
			count++;
			chunk += `${line}\n`;
			if (chunk.length >= CHUNK_CHARS) {
				writeAll(fd, chunk);
				chunk = '';
			}
		}
		if (chunk !== '') writeAll(fd, chunk);
		fsyncSync(fd);
	} finally {
		closeSync(fd);
	}
	return count;
}

/** Writes all of `text` at the file's position. */
export function writeAll(fd: number, text: string): void {
	const buffer = Buffer.from(text, 'utf8');
	let offset = 0;
	while (offset < buffer.length) offset += writeSync(fd, buffer, offset);
}

/** Removes a file, if it is there. */
export function removeQuietly(path: string): void {
	try {
		unlinkSync(path);
	} catch {
		// Already gone, or never created: nothing to clean up.
	}
}

/** `ENOSPC: no space left on device` → `no space left on device (ENOSPC)`. */
export function describe(error: unknown): string {
	const code = errorCode(error);
	const message = error instanceof Error ? error.message : String(error);
	const text = message.replace(/^[A-Z]+: /, '').replace(/, \w+ '.*'$/, '');
	return code === undefined ? text : `${text} (${code})`;
}

/** A number as JSON writes it; a non-finite one (never produced by the engine) as an empty field's `null`. */
function jsonNumber(value: number): string {
	return Number.isFinite(value) ? String(value) : 'null';
}

/** A CSV field, quoted when it holds a comma, quote or line break (racer ids never do). */
function csvField(text: string): string {
	return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}
