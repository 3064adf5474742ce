/**
 * asciicast v2 recordings (https://docs.asciinema.org/manual/asciicast/v2/) of what a
 * FrameWriter draws. A `CastRecorder` is the terminal stream the FrameWriter writes to: it passes
 * everything on to the real terminal (when there is one) and writes each chunk as an output event
 * `[seconds, "o", text]`, and each terminal resize as `[seconds, "r", "COLSxROWS"]`, after a
 * header line `{"version": 2, "width", "height", "timestamp", "env": {"TERM"}}`.
 *
 * The recording leaves out the alternate-screen switches, and ends with the pen reset and the
 * cursor shown on the last row: played back, the last frame stays on screen (the finished race)
 * instead of a blank normal screen, and the player's terminal is left usable.
 *
 * Time comes from the `now` given (ms), so that an offline render can record in virtual time.
 */
import {EventEmitter} from 'node:events';
import type {TerminalStream} from './frame-writer.js';

/** Where the recording's lines go (each line ends with `\n`). */
export type CastSink = {
	write(text: string): void;
};

/** The asciicast v2 header. */
export type CastHeader = {
	readonly version: 2;
	readonly width: number;
	readonly height: number;
	/** Unix time of the start, seconds. */
	readonly timestamp: number;
	readonly env: {readonly TERM: string};
	readonly title?: string;
};

/** Options of a CastRecorder. */
export type CastOptions = {
	/** The terminal to pass the output on to; none for an offline render. */
	readonly terminal?: TerminalStream;
	/** The size when there is no terminal (or it reports none). @default 80×24 */
	readonly size?: {readonly columns: number; readonly rows: number};
	/** Milliseconds on a monotonic clock. @default performance.now */
	readonly now?: () => number;
	/** The header's start time, Unix seconds. @default the current time */
	readonly timestamp?: number;
	/** The header's TERM. @default xterm-256color */
	readonly term?: string;
	readonly title?: string;
};

const ALT_SCREEN = /\u001B\[\?1049[hl]/g;
const RESTORE = '\u001B[0m\u001B[?7h\u001B[?25h';

/** Seconds with microsecond precision, as asciinema writes them (no exponent, no trailing zeros). */
export function castTime(ms: number): number {
	return Math.max(0, Math.round(ms * 1000) / 1e6);
}

/** A TerminalStream that records what passes through it as asciicast v2 (see the module comment). */
export class CastRecorder extends EventEmitter implements TerminalStream {
	private readonly terminal: TerminalStream | undefined;
	private readonly sink: CastSink;
	private readonly now: () => number;
	private readonly start: number;
	private size: {columns: number; rows: number};
	private closed = false;
	private events = 0;
	private lastTime = 0;
	private lastOutput = '';
	private readonly onResize = (): void => {
		const next = this.measure();
		if (next.columns !== this.size.columns || next.rows !== this.size.rows) {
			this.size = next;
			this.event('r', `${next.columns}x${next.rows}`);
		}
		this.emit('resize');
	};
	private readonly onDrain = (): void => {
		this.emit('drain');
	};

	constructor(sink: CastSink, options: CastOptions = {}) {
		super();
		this.sink = sink;
		this.terminal = options.terminal;
		this.now = options.now ?? (() => performance.now());
		this.start = this.now();
		this.size = {columns: options.size?.columns ?? 80, rows: options.size?.rows ?? 24};
		this.size = this.measure();
		const header: CastHeader = {
			version: 2,
			width: this.size.columns,
			height: this.size.rows,
			timestamp: Math.floor(options.timestamp ?? Date.now() / 1000),
			env: {TERM: options.term ?? 'xterm-256color'},
			...(options.title === undefined ? {} : {title: options.title}),
		};
		sink.write(`${JSON.stringify(header)}\n`);
		this.terminal?.on('resize', this.onResize);
		this.terminal?.on('drain', this.onDrain);
	}

	get columns(): number {
		return this.size.columns;
	}

	get rows(): number {
		return this.size.rows;
	}

	get writableNeedDrain(): boolean {
		return this.terminal?.writableNeedDrain === true;
	}

	/** Output events written so far (resizes included). */
	get eventCount(): number {
		return this.events;
	}

	/** Seconds from the start to the last event. */
	get duration(): number {
		return this.lastTime;
	}

	write(data: string): boolean {
		if (!this.closed) {
			const recorded = data.replace(ALT_SCREEN, '');
			if (recorded !== '') {
				this.lastOutput = recorded;
				this.event('o', recorded);
			}
		}
		return this.terminal === undefined ? true : this.terminal.write(data) !== false;
	}

	/** Tells the recorder the terminal's size changed (for a size source that is not the terminal stream). */
	resize(columns: number, rows: number): void {
		const next = {columns: Math.max(1, Math.floor(columns)), rows: Math.max(1, Math.floor(rows))};
		if (next.columns === this.size.columns && next.rows === this.size.rows) return;
		this.size = next;
		this.event('r', `${next.columns}x${next.rows}`);
		this.emit('resize');
	}

	/**
	 * Ends the recording: the pen reset and the cursor shown on the last row (see the module
	 * comment); nothing is recorded after it. Stops listening to the terminal. Idempotent.
	 */
	finish(): void {
		if (this.closed) return;
		// The frame writer's stop already reset the pen and showed the cursor, most of the time.
		this.event('o', `${this.lastOutput.endsWith(RESTORE) ? '' : RESTORE}\u001B[${this.size.rows};1H`);
		this.closed = true;
		this.terminal?.off('resize', this.onResize);
		this.terminal?.off('drain', this.onDrain);
	}

	private measure(): {columns: number; rows: number} {
		const columns = this.terminal?.columns;
		const rows = this.terminal?.rows;
		return {
			columns: typeof columns === 'number' && columns > 0 ? Math.floor(columns) : this.size.columns,
			rows: typeof rows === 'number' && rows > 0 ? Math.floor(rows) : this.size.rows,
		};
	}

	private event(kind: 'o' | 'r', data: string): void {
		// Never backwards, even if the clock is adjusted: players expect non-decreasing times.
		const time = Math.max(this.lastTime, castTime(this.now() - this.start));
		this.lastTime = time;
		this.events++;
		this.sink.write(`${JSON.stringify([time, kind, data])}\n`);
	}
}
