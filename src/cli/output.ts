/**
 * Buffered writing to stdout for the headless mode, which may print a line per update of a
 * 100,000,000-update race: text is gathered into large chunks, the writer waits for `drain`
 * when the stream asks it to (so memory stays bounded behind a slow reader), and a closed pipe
 * (`gdrace --log ndjson | head -1`, EPIPE) is noticed and reported as `closed` instead of
 * becoming an unhandled 'error' event with a stack trace.
 */
import {fstatSync, readSync, statSync} from 'node:fs';
import type {Writable} from 'node:stream';
import {errorCode} from './errors.js';

/** Characters gathered before a write. */
const CHUNK_CHARS = 1 << 16;

/** A buffered line writer over a stream. */
export class Output {
	/** The stream is gone: EPIPE (the reader closed the pipe) or another write error. */
	closed = false;
	/** The error that closed the stream, unless it was EPIPE (which is not an error to report). */
	failure: Error | undefined;
	private buffer = '';
	private written: Promise<void> = Promise.resolve();
	private readonly stream: Writable;
	private readonly onError = (error: Error): void => {
		// Only the first error counts: after an EPIPE the destroyed stream may add ERR_STREAM_DESTROYED.
		if (!this.closed && errorCode(error) !== 'EPIPE') this.failure = error;
		this.closed = true;
		this.buffer = '';
	};

	/** Listens for the stream's errors until `dispose`. */
	constructor(stream: Writable) {
		this.stream = stream;
		stream.on('error', this.onError);
	}

	/** Queues text; writes when a chunk is full. Does nothing once the stream is closed. */
	write(text: string): void {
		if (this.closed) return;
		this.buffer += text;
		if (this.buffer.length >= CHUNK_CHARS) this.push();
	}

	/** Whether the stream wants the writer to wait for `drain` before writing more. */
	get congested(): boolean {
		return !this.closed && this.stream.writableNeedDrain;
	}

	/** Writes what is queued and waits until the stream has taken it (or failed: then `closed` is set). */
	async flush(): Promise<void> {
		this.push();
		await this.written;
		await this.drained();
	}

	/** Waits for `drain` if the stream asked for it; resolves at once otherwise or when the stream fails. */
	async drained(): Promise<void> {
		if (!this.congested) return;
		await new Promise<void>((resolve) => {
			const done = (): void => {
				this.stream.off('drain', done);
				this.stream.off('error', done);
				this.stream.off('close', done);
				resolve();
			};
			this.stream.on('drain', done);
			this.stream.on('error', done);
			this.stream.on('close', done);
		});
	}

	/** Stops listening. A late EPIPE after this is still swallowed, so that it can never surface as a trace. */
	dispose(): void {
		this.stream.off('error', this.onError);
		this.stream.on('error', () => {});
	}

	private push(): void {
		if (this.closed || this.buffer === '') return;
		const text = this.buffer;
		this.buffer = '';
		try {
			// Writes complete in order, so the last one's callback tells when all have.
			this.written = new Promise((resolve) => {
				this.stream.write(text, (error) => {
					if (error) this.onError(error);
					resolve();
				});
			});
		} catch (error) {
			// A stream destroyed by an earlier EPIPE throws ERR_STREAM_DESTROYED synchronously.
			this.onError(error instanceof Error ? error : new Error(String(error)));
		}
	}
}

/**
 * Writes `text` and resolves once the stream has taken it: to undefined, or to the error that
 * stopped it (ENOSPC for `> /dev/full`, EPIPE for a reader that closed the pipe).
 */
export function writeText(stream: Writable, text: string): Promise<Error | undefined> {
	return new Promise((resolve) => {
		let settled = false;
		const finish = (error?: Error | null): void => {
			if (settled) return;
			settled = true;
			stream.off('error', finish);
			resolve(error ?? undefined);
		};
		stream.on('error', finish);
		try {
			stream.write(text, finish);
		} catch (error) {
			finish(error instanceof Error ? error : new Error(String(error)));
		}
	});
}

/**
 * Whether stdout (fd 1) was closed when gdrace started (`gdrace --plain >&-`). Node replaces a
 * closed standard stream with /dev/null opened for reading and writing before any JavaScript
 * runs, so every write would silently succeed; a shell's `> /dev/null` opens it write-only. So:
 * fd 1 is /dev/null and can be read from. A parent that hands over a read-write /dev/null on
 * purpose looks the same; when it does so for stderr too (Node's `stdio: 'ignore'`, a job that
 * discards all output) nobody could read the complaint, so that is taken as deliberate. (Python's
 * subprocess.DEVNULL for stdout alone is not: README says to use a write-only /dev/null.)
 */
export function stdoutClosed(): boolean {
	return isReadWriteNull(1) && !isNull(2);
}

/** Whether `fd` is /dev/null. */
function isNull(fd: number): boolean {
	try {
		const stats = fstatSync(fd);
		return stats.isCharacterDevice() && stats.rdev === statSync('/dev/null').rdev;
	} catch {
		return false;
	}
}

/** Whether `fd` is /dev/null opened for reading too (a write-only descriptor fails the read with EBADF). */
function isReadWriteNull(fd: number): boolean {
	if (!isNull(fd)) return false;
	try {
		readSync(fd, Buffer.alloc(1), 0, 1, null);
		return true;
	} catch {
		return false;
	}
}
