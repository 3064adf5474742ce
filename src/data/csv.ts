/**
 * A streaming RFC 4180 CSV reader. The file is read in chunks and decoded incrementally, so a
 * 200 MB file is never held in memory as one string; each record is handed to a callback with
 * the physical line it starts on.
 *
 * Accepted: comma separators; quoted fields holding commas, doubled quotes (`""`) and line
 * breaks; CRLF, LF or lone CR line ends; a UTF-8 byte-order mark; a last line with or without a
 * line end. Lines that are empty or hold only spaces and tabs are skipped wherever they are (they
 * cannot be a row of a file with two or more columns). A quote inside an unquoted field is kept
 * as an ordinary character, as Python's csv module and pandas do; a character other than a comma
 * or a line end right after a closing quote is an error.
 *
 * Line numbers: a record is reported at the line where it starts. Syntax errors (a quote never
 * closed, text after a closing quote) are reported at the line and field where they occur.
 */
import {closeSync, fstatSync, openSync, readSync} from 'node:fs';
import {StringDecoder} from 'node:string_decoder';
import {dataError, fileError} from './errors.js';

/** The path that means standard input (`--data -`). */
export const STDIN_PATH = '-';

/** Bytes read from the file at a time. */
export const CSV_CHUNK_BYTES = 1 << 20;

/** Longest record accepted, in characters (16 Mi): past it a quote has almost surely been left open. */
export const MAX_RECORD_CHARS = 1 << 24;

/** Most fields accepted in one record (65,536, four times Excel's column limit). */
export const MAX_FIELDS = 1 << 16;

/**
 * Receives each record (a fresh array the receiver may keep) and the 1-based line it starts on.
 * It may return a mask: from the next record on, an unquoted field whose mask entry is not true
 * is handed over as '' without being copied out of the text (the field count stays exact, so a
 * ragged row is still seen). Copying fields nobody reads is most of the reader's cost.
 */
export type RecordHandler = (fields: string[], line: number) => void | readonly boolean[];

/** Options of `CsvParser`. */
export type CsvParserOptions = {
	/** The file as the user named it, for error messages. */
	readonly source: string;
	/** @default MAX_RECORD_CHARS */
	readonly maxRecordChars?: number;
	/** @default MAX_FIELDS */
	readonly maxFields?: number;
	/** Split whole plain lines natively (`pushLines`); false: the character loop reads everything (tests compare the two). @default true */
	readonly lineSplit?: boolean;
};

/** Options of `readCsv`. */
export type CsvReadOptions = CsvParserOptions & {
	/** Bytes read at a time. @default CSV_CHUNK_BYTES */
	readonly chunkBytes?: number;
};

/** What a completed read saw. */
export type CsvSummary = {
	/** Records handed to the handler (skipped blank lines not counted). */
	readonly records: number;
	/** Physical lines in the file (a last line without a line end counts). */
	readonly lines: number;
	/** Bytes read. */
	readonly bytes: number;
};

const COMMA = 44;
const QUOTE = 34;
const CR = 13;
const LF = 10;

// Parser states (a union of numbers, not an enum: the hot loop compares small integers).
const FIELD_START = 0;
const UNQUOTED = 1;
const QUOTED = 2;
/** Inside a quoted field, just after a quote: a second quote is a literal one, anything else ends the field. */
const QUOTE_SEEN = 3;
type State = typeof FIELD_START | typeof UNQUOTED | typeof QUOTED | typeof QUOTE_SEEN;

/**
 * The incremental CSV state machine: feed it decoded text in pieces of any size with `push`,
 * then call `end`. Nothing is re-parsed when a record spans pieces.
 */
export class CsvParser {
	private readonly source: string;
	private readonly maxRecordChars: number;
	private readonly maxFields: number;
	private readonly lineSplit: boolean;
	private readonly onRecord: RecordHandler;
	private state: State = FIELD_START;
	private fields: string[] = [];
	/** The part of the current field carried over from earlier pieces (or built from `""` escapes). */
	private partial = '';
	/** Whether the field being read (or the last one finished) was quoted. */
	private fieldQuoted = false;
	/** Physical line of the next character. */
	private line = 1;
	private recordLine = 1;
	/** Where the open quoted field started, for the unterminated-quote error. */
	private quoteLine = 1;
	private quoteColumn = 1;
	/** Inside a quoted field: the previous character was a CR (so a following LF ends no extra line). */
	private prevCR = false;
	/** A record ended on the last CR of a piece: a LF starting the next piece belongs to it. */
	private skipLF = false;
	/** Characters of the current record in earlier pieces. */
	private recordChars = 0;
	private atStart = true;
	private lastCharWasLineEnd = true;
	private recordCount = 0;
	/** The record's first field holds something other than white space (in any piece so far). */
	private firstNonBlank = false;
	private mask: readonly boolean[] | undefined;
	/** The quoted field being read is past the record limit: it is scanned to its end but not kept. */
	private overlong = false;

	/** Creates a parser that hands each record to `onRecord`. */
	constructor(onRecord: RecordHandler, options: CsvParserOptions) {
		this.onRecord = onRecord;
		this.source = options.source;
		this.maxRecordChars = options.maxRecordChars ?? MAX_RECORD_CHARS;
		this.maxFields = options.maxFields ?? MAX_FIELDS;
		this.lineSplit = options.lineSplit ?? true;
	}

	/** Records handed to the handler so far. */
	get records(): number {
		return this.recordCount;
	}

	/** Physical lines seen so far (a last line without a line end counts once `end` ran). */
	get lines(): number {
		return this.lastCharWasLineEnd ? this.line - 1 : this.line;
	}

	/** Parses the next piece of text; records completed in it are handed over before it returns. */
	push(piece: string): void {
		let text = piece;
		if (text.length === 0) return;
		if (this.atStart) {
			this.atStart = false;
			if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
			if (text.length === 0) return;
		}
		const nul = text.indexOf('\0');
		if (nul >= 0) {
			let line = this.line;
			for (let k = text.indexOf('\n'); k >= 0 && k < nul; k = text.indexOf('\n', k + 1)) line++;
			throw dataError(
				this.source,
				'contains a NUL byte, so it is not CSV text (a binary or UTF-16 file?); give a UTF-8 or ASCII CSV file',
				line,
			);
		}
		const n = text.length;
		let i = 0;
		if (this.skipLF) {
			this.skipLF = false;
			if (text.charCodeAt(0) === LF) i = 1;
		}
		// Whole lines without a quote or a CR, between records: split natively (see `pushLines`).
		if (this.lineSplit && this.state === FIELD_START && this.fields.length === 0 && this.partial === '' && text.indexOf('"', i) === -1 && text.indexOf('\r', i) === -1) {
			i = this.pushLines(text, i, text.lastIndexOf('\n') + 1);
		}
		let state = this.state;
		let line = this.line;
		let start = i;
		let recordStart = i;
		let c = 0;
		while (i < n) {
			if (state === FIELD_START) {
				if (text.charCodeAt(i) === QUOTE) {
					state = QUOTED;
					this.fieldQuoted = true;
					this.quoteLine = line;
					this.quoteColumn = this.fields.length + 1;
					this.prevCR = false;
					i++;
					start = i;
					continue;
				}
				state = UNQUOTED;
				this.fieldQuoted = false;
				start = i;
			}
			if (state === UNQUOTED) {
				while (i < n) {
					c = text.charCodeAt(i);
					if (c === COMMA || c === LF || c === CR) break;
					i++;
				}
				const wanted = this.mask === undefined || this.mask[this.fields.length] === true;
				// A record's first field decides whether a line is blank, masked or not.
				if (this.fields.length === 0 && !this.firstNonBlank) this.firstNonBlank = nonBlank(text, start, i);
				if (i === n) {
					if (wanted) this.partial += text.slice(start, n);
					break;
				}
				this.finishField(wanted ? (this.partial === '' ? text.slice(start, i) : this.partial + text.slice(start, i)) : '');
			} else if (state === QUOTED) {
				let prevCR = this.prevCR;
				while (i < n) {
					c = text.charCodeAt(i);
					if (c === QUOTE) break;
					if (c === LF) {
						if (!prevCR) line++;
						prevCR = false;
					} else if (c === CR) {
						line++;
						prevCR = true;
					} else {
						prevCR = false;
					}
					i++;
				}
				this.prevCR = prevCR;
				if (!this.overlong) this.partial += text.slice(start, i);
				if (i === n) break;
				state = QUOTE_SEEN;
				i++;
				continue;
			} else {
				// QUOTE_SEEN
				c = text.charCodeAt(i);
				if (c === QUOTE) {
					if (!this.overlong) this.partial += '"';
					state = QUOTED;
					this.prevCR = false;
					i++;
					start = i;
					continue;
				}
				if (c !== COMMA && c !== LF && c !== CR) {
					throw dataError(
						this.source,
						`unexpected ${JSON.stringify(text[i])} after the closing quote of a quoted field; ` +
							'a quoted field ends at a comma or the end of the line (write a quote inside one as "")',
						line,
						this.fields.length + 1,
					);
				}
				if (this.overlong) this.quotedTooLong(line);
				this.finishField(this.partial);
			}
			// Here `c` is the comma or line end that finished the field at `i`.
			state = FIELD_START;
			i++;
			if (c !== COMMA) {
				this.finishRecord();
				line++;
				if (c === CR) {
					if (i < n) {
						if (text.charCodeAt(i) === LF) i++;
					} else {
						this.skipLF = true;
					}
				}
				this.recordLine = line;
				this.recordChars = 0;
				recordStart = i;
			}
		}
		this.state = state;
		this.line = line;
		const last = text.charCodeAt(n - 1);
		this.lastCharWasLineEnd = (last === LF || last === CR) && state === FIELD_START && this.fields.length === 0;
		if ((state !== FIELD_START || this.fields.length > 0) && !this.overlong) {
			this.recordChars += n - recordStart;
			if (this.recordChars > this.maxRecordChars) this.tooLong();
		}
	}

	/**
	 * The records of the whole lines `text[from, end)` (`end` just after a LF), which hold no quote
	 * and no CR: each line split at its commas by the engine's own `split`, handed over exactly as
	 * the character loop below would (the same fields, masked fields '', blank lines skipped, the
	 * same line numbers and errors), in a fraction of its time before V8 has optimized that loop.
	 * Returns where the character loop goes on (`end`, or `from` when there is no whole line).
	 */
	private pushLines(text: string, from: number, end: number): number {
		let start = from;
		while (start < end) {
			const stop = text.indexOf('\n', start);
			const fields = text.slice(start, stop).split(',');
			this.firstNonBlank = nonBlank(fields[0]!, 0, fields[0]!.length);
			if (fields.length > this.maxFields) {
				this.fields = fields.slice(0, this.maxFields);
				this.finishField('');
			}
			const mask = this.mask;
			if (mask !== undefined) {
				for (let k = 0; k < fields.length; k++) if (mask[k] !== true) fields[k] = '';
			}
			this.fields = fields;
			this.fieldQuoted = false;
			this.finishRecord();
			this.line++;
			this.recordLine = this.line;
			this.recordChars = 0;
			start = stop + 1;
		}
		return start;
	}

	/** Finishes the input: the last record may lack a line end; a quoted field still open is an error. */
	end(): void {
		switch (this.state) {
			case QUOTED:
				throw dataError(
					this.source,
					`a quoted field starts here and is never closed${this.overlong ? ' (the file ends inside it)' : ''}; add the closing quote (") or remove the stray one`,
					this.quoteLine,
					this.quoteColumn,
				);
			case QUOTE_SEEN:
				if (this.overlong) this.quotedTooLong(this.line);
				this.finishField(this.partial);
				this.finishRecord();
				break;
			case UNQUOTED:
				this.finishField(this.partial);
				this.finishRecord();
				break;
			case FIELD_START:
				// A last line ending in a comma has one more, empty, field.
				if (this.fields.length > 0) {
					this.fieldQuoted = false;
					this.finishField('');
					this.finishRecord();
				}
				break;
		}
		this.state = FIELD_START;
	}

	/** A quoted field longer than the record limit has closed (on `line`). */
	private quotedTooLong(line: number): never {
		const limit = this.maxRecordChars.toLocaleString('en-US');
		const closes = line === this.quoteLine ? 'on the same line' : `on line ${line}`;
		throw dataError(
			this.source,
			`a quoted field starts here and holds more than ${limit} characters (its closing quote is ${closes}); ` +
				'gdrace reads at most that many in one record, so shorten the cell or remove that column from the file',
			this.quoteLine,
			this.quoteColumn,
		);
	}

	private finishField(value: string): void {
		this.partial = '';
		this.fields.push(value);
		if (this.fields.length > this.maxFields) {
			throw dataError(
				this.source,
				`a record with more than ${this.maxFields.toLocaleString('en-US')} fields starts here; ` +
					'check that the file is comma separated',
				this.recordLine,
			);
		}
	}

	private finishRecord(): void {
		const fields = this.fields;
		this.fields = [];
		// Blank by its text, not by what the mask kept: "5" in a file whose first column is not
		// selected is a row of one field (refused as ragged), not a blank line.
		const blank = fields.length === 1 && !this.fieldQuoted && !this.firstNonBlank;
		this.firstNonBlank = false;
		if (blank) return;
		this.recordCount++;
		const mask = this.onRecord(fields, this.recordLine);
		if (mask !== undefined) this.mask = mask;
	}

	/**
	 * The record has grown past the limit. Inside a quoted field that may be a quote never closed
	 * or a cell that really is that long: the rest of the field is scanned (not kept) to tell which,
	 * and `end` or `quotedTooLong` says so.
	 */
	private tooLong(): void {
		const limit = this.maxRecordChars.toLocaleString('en-US');
		if (this.state === QUOTED || this.state === QUOTE_SEEN) {
			this.overlong = true;
			this.partial = '';
			return;
		}
		throw dataError(
			this.source,
			`a record longer than ${limit} characters starts here; check that this is a CSV file with one row per line`,
			this.recordLine,
		);
	}
}

/**
 * Streams the CSV file at `path` (standard input for `-`), handing each record to `onRecord`.
 * Reads `chunkBytes` at a time; a multi-byte UTF-8 character split between chunks is decoded
 * whole. Throws `DataError` for a file that cannot be read and for CSV syntax errors; errors
 * thrown by `onRecord` pass through (the file is closed either way; standard input is left open).
 */
export function readCsv(path: string, onRecord: RecordHandler, options: CsvReadOptions): CsvSummary {
	const {source} = options;
	const chunkBytes = options.chunkBytes ?? CSV_CHUNK_BYTES;
	const fromStdin = path === STDIN_PATH;
	let fd: number;
	try {
		fd = fromStdin ? 0 : openSync(path, 'r');
	} catch (error) {
		throw fileError(source, error);
	}
	try {
		let isDirectory = false;
		try {
			isDirectory = fstatSync(fd).isDirectory();
		} catch (error) {
			throw fileError(source, error);
		}
		if (isDirectory) throw fileError(source, {code: 'EISDIR'});
		const parser = new CsvParser(onRecord, options);
		const decoder = new StringDecoder('utf8');
		const buffer = Buffer.allocUnsafe(chunkBytes);
		let bytes = 0;
		for (;;) {
			let read: number;
			try {
				read = readSync(fd, buffer, 0, chunkBytes, null);
			} catch (error) {
				// A pipe someone set non-blocking has no data yet: wait for it (the read is synchronous by design).
				if (errorCode(error) === 'EAGAIN') {
					Atomics.wait(pause, 0, 0, 5);
					continue;
				}
				throw fileError(source, error);
			}
			if (read === 0) break;
			bytes += read;
			parser.push(decoder.write(buffer.subarray(0, read)));
		}
		parser.push(decoder.end());
		parser.end();
		return {records: parser.records, lines: parser.lines, bytes};
	} finally {
		if (!fromStdin) closeSync(fd);
	}
}

/** Whether `text[from, to)` holds anything `trim` would keep; at once for the usual first character. */
function nonBlank(text: string, from: number, to: number): boolean {
	if (to <= from) return false;
	const first = text.charCodeAt(from);
	if (first > 32 && first < 127) return true;
	return text.slice(from, to).trim() !== '';
}

/** A word to wait on for a few milliseconds (`Atomics.wait` sleeps without spinning). */
const pause = new Int32Array(new SharedArrayBuffer(4));

function errorCode(error: unknown): string | undefined {
	return typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : undefined;
}
