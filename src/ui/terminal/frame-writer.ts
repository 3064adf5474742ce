/**
 * The live screen's output stage: Ink renders into a FrameWriter, which draws on the terminal.
 *
 * Ink 6.8 rewrites the whole frame on every commit and runs a per-character tokenizer over it, so
 * gdrace renders Ink with `debug: true` and `stdout: frameWriter`: in debug mode Ink writes each
 * frame's full text, unthrottled and without erase sequences, once per commit (`onRender` in
 * ink/build/ink.js). The FrameWriter parses that text into a cell grid, lays the layers (the
 * chart's plot canvas) over it, compares the result with what the terminal already shows, and
 * writes only the cells that changed, with absolute cursor moves, in the alternate screen, one
 * synchronized-output block (`ESC[?2026h` … `ESC[?2026l`) per frame.
 *
 * When the terminal stream is backed up, frames are not queued: presenting waits for 'drain' and
 * then sends the difference between the newest frame and what was really sent, so a slow link
 * drops frames instead of falling behind.
 */
import {Writable} from 'node:stream';
import type {Canvas, CellRect} from './cells.js';
import {codePointWidth, SPACE, utf8Length, WIDE_TAIL} from './cells.js';
import {Grid, hasContent, parseFrame, repairWide} from './screen.js';
import {DEFAULT_STYLE, StyleTable} from './style.js';
import type {CellStyle} from './style.js';

/** The terminal stream a FrameWriter draws on (`process.stdout` is one). */
export type TerminalStream = {
	write(data: string): boolean;
	readonly columns?: number;
	readonly rows?: number;
	readonly writableNeedDrain?: boolean;
	on(event: 'drain' | 'resize', listener: () => void): unknown;
	off(event: 'drain' | 'resize', listener: () => void): unknown;
};

/** How a FrameWriter draws. */
export type FrameWriterOptions = {
	/** Keep colors. False (NO_COLOR, --no-color) drops every color and keeps bold, dim, italic, underline and inverse. @default true */
	readonly color?: boolean;
	/** Draw in the alternate screen buffer, leaving the user's screen and scrollback untouched. @default true */
	readonly altScreen?: boolean;
};

/** What a FrameWriter has sent so far. */
export type FrameStats = {
	/** Frames written (each one synchronized-output block). */
	readonly frames: number;
	/** Bytes written to the terminal, every escape sequence included. */
	readonly bytes: number;
	/** Presents put off because the terminal stream was backed up. */
	readonly deferred: number;
};

/** Begins a synchronized update (DEC mode 2026): the terminal shows the frame at once, at its end. */
export const SYNC_BEGIN = '\u001B[?2026h';
/** Ends a synchronized update. Every frame is one SYNC_BEGIN … SYNC_END block (benchmarks count them). */
export const SYNC_END = '\u001B[?2026l';
const ALT_SCREEN_ON = '\u001B[?1049h';
const ALT_SCREEN_OFF = '\u001B[?1049l';
const CURSOR_HIDE = '\u001B[?25l';
const CURSOR_SHOW = '\u001B[?25h';
// Auto-wrap off while drawing: a cell written in the last column can never wrap or scroll.
const WRAP_OFF = '\u001B[?7l';
const WRAP_ON = '\u001B[?7h';
const RESET = '\u001B[0m';
const CLEAR = '\u001B[H\u001B[2J';
const ERASE_LINE_END = '\u001B[K';

/** Longest wait after a resize for a frame laid out for the new size, ms. */
const RESIZE_WAIT_MS = 250;
/** Unchanged cells between two changes are rewritten rather than skipped when that is shorter, up to this many. */
const MAX_REWRITE_GAP = 8;
/** Changed cells after a row's last non-blank cell from which erasing to the line's end is cheaper. */
const ERASE_MIN_CELLS = 4;
/** Past this many styles the table is rebuilt (ids must stay small): a full repaint follows. */
const STYLE_REBUILD = 0x8000;

type Layer = {
	rect: CellRect;
	canvas: Canvas;
};

/** Screen rows `[y, y + height)`, left to layers: Ink's frame flows around them. */
export type RowBand = {
	readonly y: number;
	readonly height: number;
};

function decimalLength(n: number): number {
	return n < 10 ? 1 : n < 100 ? 2 : n < 1000 ? 3 : String(n).length;
}

/**
 * A Writable that takes Ink's frames and draws them, with layers on top, on a terminal.
 * Call `start()` before the first frame is wanted on screen and `stop()` on the way out.
 */
export class FrameWriter extends Writable {
	/** Ink lays out to the terminal and synchronizes output only for a TTY: this stands in for one. */
	readonly isTTY = true;
	private readonly out: TerminalStream;
	private readonly altScreen: boolean;
	private table: StyleTable;
	private inkText = '';
	private inkDirty = false;
	private inkWide = false;
	private ink = new Grid(0, 0);
	private next = new Grid(0, 0);
	private shown = new Grid(0, 0);
	private readonly layers = new Map<string, Layer>();
	private readonly bands = new Map<string, RowBand>();
	private readonly paletteIds = new WeakMap<readonly CellStyle[], {table: StyleTable; ids: Uint16Array}>();
	private running = false;
	/** Something arrived (a frame, a layer, a resize) since the last present. */
	private dirty = true;
	private fullRepaint = true;
	/** The terminal size the app's latest frame was laid out for (see `declareSize`). */
	private declared: {cols: number; rows: number} | undefined;
	private resizedAt = Number.NEGATIVE_INFINITY;
	private retryTimer: NodeJS.Timeout | undefined;
	private scheduled = false;
	private waitingForDrain = false;
	private pendingPresent = false;
	private framesWritten = 0;
	private bytesWritten = 0;
	private presentsDeferred = 0;
	private readonly onDrain = (): void => {
		this.waitingForDrain = false;
		if (this.pendingPresent) {
			this.pendingPresent = false;
			this.present();
		}
	};
	private readonly onResize = (): void => {
		this.resizedAt = performance.now();
		this.invalidate();
		// Ink and the app's size hook listen on this stream, not on the terminal.
		this.emit('resize');
	};

	/** A writer drawing on `out` (the real terminal stream). */
	constructor(out: TerminalStream, options: FrameWriterOptions = {}) {
		super({decodeStrings: false});
		this.out = out;
		this.altScreen = options.altScreen ?? true;
		this.table = new StyleTable(options.color ?? true);
		out.on('resize', this.onResize);
	}

	/** The terminal's width in cells (80 when it reports none). */
	get columns(): number {
		const columns = this.out.columns;
		return typeof columns === 'number' && columns > 0 ? Math.floor(columns) : 80;
	}

	/** The terminal's height in cells (24 when it reports none). */
	get rows(): number {
		const rows = this.out.rows;
		return typeof rows === 'number' && rows > 0 ? Math.floor(rows) : 24;
	}

	/** Frames and bytes written so far. */
	get stats(): FrameStats {
		return {frames: this.framesWritten, bytes: this.bytesWritten, deferred: this.presentsDeferred};
	}

	/**
	 * This writer typed as the stream Ink's `render(tree, {stdout, debug: true})` expects. Ink
	 * uses only `write`, `columns`, `rows`, `isTTY` and the 'resize' event of it.
	 */
	asStdout(): NodeJS.WriteStream {
		return this as unknown as NodeJS.WriteStream;
	}

	/** Whether frames are being drawn (between `start` and `stop`). */
	get active(): boolean {
		return this.running;
	}

	/** Enters the alternate screen, hides the cursor and draws the latest frame in full. Idempotent. */
	start(): void {
		if (this.running) return;
		this.running = true;
		this.send(`${this.altScreen ? ALT_SCREEN_ON : ''}${CURSOR_HIDE}${WRAP_OFF}`);
		this.invalidate();
	}

	/**
	 * Leaves the terminal as it was: pen reset, auto-wrap and cursor back on, alternate screen
	 * left. Idempotent, synchronous and safe from a signal handler or 'exit'. Frames written after
	 * it are ignored until the next `start`.
	 */
	stop(): void {
		if (!this.running) return;
		this.running = false;
		this.pendingPresent = false;
		clearTimeout(this.retryTimer);
		this.send(`${RESET}${WRAP_ON}${CURSOR_SHOW}${this.altScreen ? ALT_SCREEN_OFF : ''}`);
	}

	/** Stops and stops listening to the terminal stream. */
	dispose(): void {
		this.stop();
		this.out.off('resize', this.onResize);
		this.out.off('drain', this.onDrain);
	}

	/**
	 * Lays `canvas` over Ink's frame at `rect` (clipped to both the rect and the terminal), above
	 * the layers set before it; a null rect or canvas removes the layer. Presenting follows in
	 * the same microtask as any Ink frame written in this tick. A layer covers whatever Ink draws
	 * there, so remove it while an overlay (help) is shown over its area.
	 */
	setLayer(id: string, rect: CellRect | null, canvas: Canvas | null = null): void {
		if (rect === null || canvas === null) {
			if (this.layers.delete(id)) this.markDirty();
			return;
		}
		const layer = this.layers.get(id);
		if (layer) {
			layer.rect = rect;
			layer.canvas = canvas;
		} else {
			this.layers.set(id, {rect, canvas});
		}
		this.markDirty();
	}

	/**
	 * Reserves whole screen rows for layers: Ink's frame is drawn on the other rows, in order, so
	 * Ink lays out only what it draws. A full-width block that changes every frame (the table's
	 * rows, the chart) is then not even a blank area in Ink's frame, which Ink would build and
	 * stringify cell by cell on every render. Reserved rows start blank; a null band removes it.
	 */
	reserveRows(id: string, band: RowBand | null): void {
		if (band === null || !(band.height > 0)) {
			if (this.bands.delete(id)) this.markDirty();
			return;
		}
		const next = {y: Math.max(0, Math.floor(band.y)), height: Math.floor(band.height)};
		const previous = this.bands.get(id);
		if (previous?.y === next.y && previous.height === next.height) return;
		this.bands.set(id, next);
		this.markDirty();
	}

	/**
	 * Tells the writer which terminal size the app's frame was laid out for. After a resize, Ink
	 * first re-renders the old tree at the new width; presents wait (up to RESIZE_WAIT_MS) for a
	 * frame declared for the new size, so that stale layout never reaches the screen.
	 */
	declareSize(cols: number, rows: number): void {
		if (this.declared?.cols === cols && this.declared.rows === rows) return;
		this.declared = {cols, rows};
		this.markDirty();
	}

	/** Makes the next present a full repaint (clear, then every cell): after a resize or anything that may have disturbed the screen. */
	invalidate(): void {
		this.fullRepaint = true;
		this.markDirty();
	}

	/**
	 * Composes Ink's latest frame and the layers, and writes what differs from the terminal's
	 * screen. Nothing is written when nothing changed. Called by itself once per microtask after
	 * a frame or a layer arrives; call it directly to draw at once.
	 */
	present(): void {
		if (!this.running || !this.dirty) return;
		if (this.waitingForDrain || this.out.writableNeedDrain === true) {
			this.pendingPresent = true;
			this.presentsDeferred++;
			this.awaitDrain();
			return;
		}
		const cols = this.columns;
		const rows = this.rows;
		const declared = this.declared;
		if (declared !== undefined && (declared.cols !== cols || declared.rows !== rows)) {
			const wait = this.resizedAt + RESIZE_WAIT_MS - performance.now();
			if (wait > 0) {
				// The app has not laid out for this size yet: try again when it has, or a little later.
				clearTimeout(this.retryTimer);
				this.retryTimer = setTimeout(() => this.present(), wait + 1);
				this.retryTimer.unref?.();
				return;
			}
		}
		this.dirty = false;
		if (cols !== this.shown.cols || rows !== this.shown.rows) {
			this.ink = new Grid(cols, rows);
			this.next = new Grid(cols, rows);
			this.shown = new Grid(cols, rows);
			this.fullRepaint = true;
			this.inkDirty = true;
		}
		if (this.table.size > STYLE_REBUILD) {
			// Style ids are about to run out (a frame full of distinct truecolors): start over.
			this.table = new StyleTable(this.table.color);
			this.fullRepaint = true;
			this.inkDirty = true;
		}
		if (this.inkDirty) {
			this.inkWide = parseFrame(this.inkText, this.ink, this.table);
			this.inkDirty = false;
		}
		this.composeScreen();
		const body = this.diff();
		if (body === '') return;
		this.framesWritten++;
		if (!this.send(SYNC_BEGIN + body + SYNC_END)) this.awaitDrain();
	}

	override _write(chunk: unknown, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
		const text = typeof chunk === 'string' ? chunk : Buffer.isBuffer(chunk) ? chunk.toString('utf8') : String(chunk);
		// Ink also writes bare escape sequences (its cursor show on unmount): they are not frames.
		if (hasContent(text)) {
			this.inkText = text;
			this.inkDirty = true;
			this.markDirty();
		}
		callback();
	}

	private markDirty(): void {
		this.dirty = true;
		this.schedule();
	}

	private schedule(): void {
		if (this.scheduled || !this.running) return;
		this.scheduled = true;
		queueMicrotask(() => {
			this.scheduled = false;
			this.present();
		});
	}

	private awaitDrain(): void {
		if (this.waitingForDrain) return;
		this.waitingForDrain = true;
		this.out.off('drain', this.onDrain);
		this.out.on('drain', this.onDrain);
	}

	/** Writes to the terminal and counts the bytes; false when the stream asks to wait for 'drain'. */
	private send(data: string): boolean {
		this.bytesWritten += Buffer.byteLength(data);
		try {
			return this.out.write(data) !== false;
		} catch {
			// A terminal that went away (EIO after a hang-up) must not turn a redraw into a crash.
			return true;
		}
	}

	/** next = Ink's cells, then every layer in order. */
	private composeScreen(): void {
		const next = this.next;
		const {cols, rows, codes, styles} = next;
		if (this.bands.size === 0) {
			next.copyFrom(this.ink);
		} else {
			const reserved = new Uint8Array(rows);
			for (const {y, height} of this.bands.values()) reserved.fill(1, Math.min(rows, y), Math.min(rows, y + height));
			const ink = this.ink;
			let source = 0;
			for (let y = 0; y < rows; y++) {
				const to = y * cols;
				if (reserved[y] === 0 && source < ink.rows) {
					codes.set(ink.codes.subarray(source * cols, (source + 1) * cols), to);
					styles.set(ink.styles.subarray(source * cols, (source + 1) * cols), to);
					source++;
				} else {
					codes.fill(SPACE, to, to + cols);
					styles.fill(DEFAULT_STYLE, to, to + cols);
				}
			}
		}
		for (const {rect, canvas} of this.layers.values()) {
			const ids = this.paletteIdsOf(canvas.palette);
			const x0 = Math.max(0, Math.floor(rect.x));
			const y0 = Math.max(0, Math.floor(rect.y));
			const x1 = Math.min(cols, Math.floor(rect.x) + Math.min(rect.width, canvas.width));
			const y1 = Math.min(rows, Math.floor(rect.y) + Math.min(rect.height, canvas.height));
			const dx = x0 - Math.floor(rect.x);
			const dy = y0 - Math.floor(rect.y);
			for (let y = y0; y < y1; y++) {
				const from = (y - y0 + dy) * canvas.width + dx - x0;
				const to = y * cols;
				for (let x = x0; x < x1; x++) {
					const code = canvas.chars[from + x]!;
					// Transparent and control cells leave what is below; only single-width glyphs are drawn.
					if (code < 0x20 || (code >= 0x7f && code < 0xa0)) continue;
					codes[to + x] = codePointWidth(code) === 1 ? code : 0x3f;
					styles[to + x] = ids[canvas.styles[from + x]!] ?? DEFAULT_STYLE;
				}
			}
		}
		if (this.inkWide && this.layers.size > 0) repairWide(next);
	}

	private paletteIdsOf(palette: readonly CellStyle[]): Uint16Array {
		const cached = this.paletteIds.get(palette);
		if (cached && cached.table === this.table) return cached.ids;
		const ids = Uint16Array.from(palette, (style) => this.table.internStyle(style));
		this.paletteIds.set(palette, {table: this.table, ids});
		return ids;
	}

	/**
	 * The bytes that turn the terminal's screen (`shown`) into `next`, updating `shown`. The
	 * cursor's and the pen's state are not trusted across frames (anything may have written to
	 * the terminal in between): each frame starts with an absolute move and a full SGR.
	 */
	private diff(): string {
		const {cols, rows} = this.next;
		const next = this.next;
		const shown = this.shown;
		const table = this.table;
		let out = '';
		let pen = -1;
		let cursorX = -1;
		let cursorY = -1;
		if (this.fullRepaint) {
			this.fullRepaint = false;
			// Reset first: the clear paints with the current background. The modes are sent again
			// in case something (a suspended shell, `reset`) changed them.
			out += RESET + CURSOR_HIDE + WRAP_OFF + CLEAR;
			pen = DEFAULT_STYLE;
			cursorX = 0;
			cursorY = 0;
			shown.clear();
		}
		const nextCodes = next.codes;
		const nextStyles = next.styles;
		const shownCodes = shown.codes;
		const shownStyles = shown.styles;
		for (let y = 0; y < rows; y++) {
			const row = y * cols;
			let x = 0;
			while (x < cols && nextCodes[row + x] === shownCodes[row + x] && nextStyles[row + x] === shownStyles[row + x]) x++;
			if (x === cols) continue;
			// Cells from `blankFrom` to the row's end are blank in the new frame: erasing may be cheaper.
			let blankFrom = cols;
			while (blankFrom > 0 && nextCodes[row + blankFrom - 1] === SPACE && nextStyles[row + blankFrom - 1] === DEFAULT_STYLE) blankFrom--;
			while (x < cols) {
				const at = row + x;
				if (nextCodes[at] === shownCodes[at] && nextStyles[at] === shownStyles[at]) {
					x++;
					continue;
				}
				if (x >= blankFrom) {
					let changed = 0;
					for (let k = x; k < cols; k++) {
						if (shownCodes[row + k] !== SPACE || shownStyles[row + k] !== DEFAULT_STYLE) changed++;
					}
					if (changed >= ERASE_MIN_CELLS) {
						if (cursorY !== y || cursorX !== x) out += `\u001B[${y + 1};${x + 1}H`;
						if (pen !== DEFAULT_STYLE) {
							out += table.transition(pen, DEFAULT_STYLE);
							pen = DEFAULT_STYLE;
						}
						out += ERASE_LINE_END;
						shownCodes.fill(SPACE, at, row + cols);
						shownStyles.fill(DEFAULT_STYLE, at, row + cols);
						cursorY = y;
						cursorX = x;
						break;
					}
				}
				// Bring the cursor to x: a move, or rewriting the few unchanged cells before it.
				if (cursorY !== y || cursorX !== x) {
					const gap = x - cursorX;
					const move = cursorY === y && gap > 0 ? 3 + decimalLength(gap) : 4 + decimalLength(y + 1) + decimalLength(x + 1);
					let rewrite = Number.POSITIVE_INFINITY;
					if (cursorY === y && gap > 0 && gap <= MAX_REWRITE_GAP) {
						rewrite = 0;
						let p = pen;
						for (let k = cursorX; k < x; k++) {
							const code = nextCodes[row + k]!;
							if (code === WIDE_TAIL || code >= 0x1100) {
								rewrite = Number.POSITIVE_INFINITY;
								break;
							}
							const style = nextStyles[row + k]!;
							rewrite += table.transition(p, style).length + utf8Length(code);
							p = style;
						}
					}
					if (rewrite <= move) {
						for (let k = cursorX; k < x; k++) {
							const style = nextStyles[row + k]!;
							if (style !== pen) {
								out += table.transition(pen, style);
								pen = style;
							}
							out += String.fromCodePoint(nextCodes[row + k]!);
						}
					} else if (cursorY === y && gap > 0) {
						out += `\u001B[${gap}C`;
					} else {
						out += `\u001B[${y + 1};${x + 1}H`;
					}
					cursorY = y;
					cursorX = x;
				}
				const code = nextCodes[at]!;
				const style = nextStyles[at]!;
				if (style !== pen) {
					out += table.transition(pen, style);
					pen = style;
				}
				if (code === WIDE_TAIL) {
					// Only reached when a tail changed without its head (never, by construction): blank it.
					out += ' ';
					shownCodes[at] = SPACE;
					shownStyles[at] = style;
					x++;
				} else {
					out += String.fromCodePoint(code);
					shownCodes[at] = code;
					shownStyles[at] = style;
					x++;
					if (x < cols && nextCodes[row + x] === WIDE_TAIL) {
						shownCodes[row + x] = WIDE_TAIL;
						shownStyles[row + x] = nextStyles[row + x]!;
						x++;
					}
				}
				cursorX = x;
				// With auto-wrap off the cursor stays in the last column; never assume where it is.
				if (x >= cols) cursorY = -1;
			}
		}
		return out;
	}
}
