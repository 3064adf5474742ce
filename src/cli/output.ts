/**
 * Buffered writing to stdout for the headless mode, which may print a line per update of a
 * 100,000,000-update race: text is gathered into large chunks, the writer waits for `drain`
 * when the stream asks it to (so memory stays bounded behind a slow reader), and a closed pipe
 * (`gdrace --log ndjson | head -1`, EPIPE) is noticed and reported as `closed` instead of
 * becoming an unhandled 'error' event with a stack trace.
 */
import {readSync, writeSync} from 'node:fs';
import type {Writable} from 'node:stream';
import {isNullDevice} from './descriptors.js';
import {errorCode} from './errors.js';

/** Characters gathered before a write. */
const CHUNK_CHARS = 1 << 16;

/**
 * A buffered line writer over a stream, made on first use. Given a descriptor, it writes there
 * with writeSync instead, until the descriptor refuses (EAGAIN: a non-blocking pipe that is full),
 * and then through the stream: for a text written once at the end (the summary, the JSON), where
 * making `process.stdout` for a pipe would load Node's net module and the streams for one write.
 */
export class Output {
	/** The stream is gone: EPIPE (the reader closed the pipe) or another write error. */
	closed = false;
	/** The error that closed the stream, unless it was EPIPE (which is not an error to report). */
	failure: Error | undefined;
	private buffer = '';
	private written: Promise<void> = Promise.resolve();
	private made: Writable | undefined;
	private readonly make: (() => Writable) | undefined;
	private fd: number | undefined;
	private readonly onError = (error: Error): void => {
		// Only the first error counts: after an EPIPE the destroyed stream may add ERR_STREAM_DESTROYED.
		if (!this.closed && errorCode(error) !== 'EPIPE') this.failure = error;
		this.closed = true;
		this.buffer = '';
	};

	/** Listens for the stream's errors (from when it is made, for a function) until `dispose`. */
	constructor(stream: Writable | (() => Writable), fd?: number) {
		this.fd = fd;
		if (typeof stream === 'function') {
			this.make = stream;
		} else {
			this.made = stream;
			stream.on('error', this.onError);
		}
	}

	/** The stream, made now if it was not. */
	private get stream(): Writable {
		if (this.made === undefined) {
			this.made = this.make!();
			this.made.on('error', this.onError);
		}
		return this.made;
	}

	/** Queues text; writes when a chunk is full. Does nothing once the stream is closed. */
	write(text: string): void {
		if (this.closed) return;
		this.buffer += text;
		if (this.buffer.length >= CHUNK_CHARS) this.push();
	}

	/** Whether the stream wants the writer to wait for `drain` before writing more. */
	get congested(): boolean {
		return !this.closed && this.made !== undefined && this.made.writableNeedDrain;
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
		if (this.made === undefined) return;
		this.made.off('error', this.onError);
		this.made.on('error', () => {});
	}

	private push(): void {
		if (this.closed || this.buffer === '') return;
		const text = this.buffer;
		this.buffer = '';
		if (this.fd !== undefined) {
			this.writeDirectly(this.fd, text);
			return;
		}
		this.toStream(text);
	}

	/** writeSync to the descriptor, whole; what it refuses with EAGAIN goes to the stream, as all that follows. */
	private writeDirectly(fd: number, text: string): void {
		const bytes = Buffer.from(text);
		let offset = 0;
		while (offset < bytes.length) {
			try {
				offset += writeSync(fd, bytes, offset);
			} catch (error) {
				if (errorCode(error) === 'EAGAIN') {
					this.fd = undefined;
					this.toStream(bytes.subarray(offset));
				} else {
					this.onError(error instanceof Error ? error : new Error(String(error)));
				}
				return;
			}
		}
	}

	private toStream(text: string | Buffer): void {
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
	return isReadWriteNull(1) && !isNullDevice(2);
}

/** Whether `fd` is /dev/null opened for reading too (a write-only descriptor fails the read with EBADF). */
function isReadWriteNull(fd: number): boolean {
	if (!isNullDevice(fd)) return false;
	try {
		readSync(fd, Buffer.alloc(1), 0, 1, null);
		return true;
	} catch {
		return false;
	}
}
