/**
 * `--cast FILE`: the recording's file, written like `--export` (export.ts): to a temporary file
 * beside it (`.FILE.<pid>.tmp`), flushed to disk, then moved into place without replacing a file
 * that appeared meanwhile (`--force`: replaced atomically). The recording streams to the
 * temporary file as the session runs, in chunks, so a long session costs no memory.
 */
import {accessSync, closeSync, constants, fsyncSync, openSync, statSync} from 'node:fs';
import {dirname} from 'node:path';
import {ExportError, UsageError} from './errors.js';
import {describe, existingKind, placeFile, removeQuietly, temporaryPath, writeAll} from './export.js';

/** A checked `--cast` destination. */
export type CastTarget = {
	/** As the user gave it. */
	readonly path: string;
	/** Replace an existing file. */
	readonly force: boolean;
};

/** Characters gathered before each write. */
const CHUNK_CHARS = 1 << 16;

const NOUN = {file: 'recording', content: 'recording'} as const;

/**
 * Checks a `--cast` path before the race starts: an existing writable directory, not a
 * directory itself, and no existing file unless `force`. Throws `UsageError` (exit code 2).
 */
export function checkCastTarget(path: string, force: boolean): CastTarget {
	const name = JSON.stringify(path);
	if (path.trim() === '') throw new UsageError('--cast needs a file name; e.g. --cast race.cast');
	const directory = dirname(path);
	const shownDirectory = JSON.stringify(directory);
	try {
		if (!statSync(directory).isDirectory()) {
			throw new UsageError(`--cast ${name}: ${shownDirectory} is not a directory; choose a path in an existing directory`);
		}
	} catch (error) {
		if (error instanceof UsageError) throw error;
		throw new UsageError(`--cast ${name}: the directory ${shownDirectory} does not exist; create it first or choose another path`);
	}
	try {
		accessSync(directory, constants.W_OK);
	} catch {
		throw new UsageError(`--cast ${name}: cannot write in the directory ${shownDirectory}; choose a directory you can write to`);
	}
	const existing = existingKind(path);
	if (existing === 'none') return {path, force};
	if (existing === 'directory') throw new UsageError(`--cast ${name} is a directory; give a file name, e.g. race.cast`);
	if (existing === 'special') throw new UsageError(`--cast ${name} is not a regular file (a device, pipe or socket); give a file name, e.g. race.cast`);
	if (existing === 'link') throw new UsageError(`--cast ${name} is a symbolic link; give the path of a file (--force replaces files, not links)`);
	if (!force) throw new UsageError(`--cast ${name}: the file exists; add --force to overwrite it, or choose another name`);
	return {path, force};
}

/** The recording's file while the session runs: `write` lines, then `finish` (placed) or `abort` (removed). */
export class CastFile {
	readonly path: string;
	readonly temporary: string;
	private readonly force: boolean;
	private fd: number | undefined;
	private chunk = '';
	private failure: unknown;

	/** Opens the temporary file. Throws `ExportError` when it cannot be created. */
	constructor(target: CastTarget) {
		this.path = target.path;
		this.force = target.force;
		this.temporary = temporaryPath(target.path);
		try {
			this.fd = openSync(this.temporary, 'w', 0o644);
		} catch (error) {
			throw new ExportError(`cannot write the recording ${JSON.stringify(this.path)}: ${describe(error)}`);
		}
	}

	/** Appends text; a write error is kept for `finish` to report (the session goes on). */
	write(text: string): void {
		if (this.fd === undefined || this.failure !== undefined) return;
		this.chunk += text;
		if (this.chunk.length >= CHUNK_CHARS) this.flush();
	}

	/** Flushes, closes and moves the file into place. Throws `ExportError` (exit code 1). */
	finish(): void {
		if (this.fd === undefined) return;
		this.flush();
		const fd = this.fd;
		this.fd = undefined;
		try {
			if (this.failure !== undefined) throw this.failure;
			fsyncSync(fd);
		} catch (error) {
			closeQuietly(fd);
			removeQuietly(this.temporary);
			throw new ExportError(`cannot write the recording ${JSON.stringify(this.path)}: ${describe(error)}`);
		}
		closeQuietly(fd);
		placeFile(this.temporary, this.path, this.force, NOUN);
	}

	/** Closes and removes the temporary file (a session that failed before it recorded anything). */
	abort(): void {
		if (this.fd === undefined) return;
		closeQuietly(this.fd);
		this.fd = undefined;
		removeQuietly(this.temporary);
	}

	private flush(): void {
		if (this.fd === undefined || this.chunk === '') return;
		const text = this.chunk;
		this.chunk = '';
		try {
			writeAll(this.fd, text);
		} catch (error) {
			this.failure ??= error;
		}
	}
}

function closeQuietly(fd: number): void {
	try {
		closeSync(fd);
	} catch {
		// Already closed.
	}
}
