/**
 * Exit codes and the errors the command line turns into them. Every message the user sees is a
 * single line prefixed `gdrace: `; no stack trace ever reaches the terminal (except with
 * `GDRACE_DEBUG=1`, for an internal error).
 */

/** The process exit codes gdrace uses (sysexits-style 70 for a bug, 128 + n for signal n). */
export const EXIT = {
	/** The race ran (a diverged racer is a result, not an error). */
	ok: 0,
	/** Bad data file, or the export could not be written. */
	data: 1,
	/** Bad flag or value. */
	usage: 2,
	/** A bug in gdrace: `gdrace: internal error: …`. */
	internal: 70,
	/** SIGHUP (128 + 1): the terminal or SSH link went away. */
	SIGHUP: 129,
	/** SIGINT (128 + 2): Ctrl+C sent as a signal. */
	SIGINT: 130,
	/** SIGTERM (128 + 15). */
	SIGTERM: 143,
} as const;

/** The signals that stop a run early: it still writes what it has, then exits 128 + n. */
export const STOP_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
/** One of `STOP_SIGNALS`. */
export type StopSignal = (typeof STOP_SIGNALS)[number];

/** A bad flag or value: `message` is the line after `gdrace: `; exit code 2. */
export class UsageError extends Error {
	override readonly name = 'UsageError';

	/** The message is forced onto one line so that it can never span lines on stderr. */
	constructor(message: string) {
		super(oneLine(message));
	}
}

/** The export file could not be written (disk full, permissions, a file that appeared meanwhile); exit code 1. */
export class ExportError extends Error {
	override readonly name = 'ExportError';

	/** The message is forced onto one line. */
	constructor(message: string) {
		super(oneLine(message));
	}
}

/** Escapes line breaks and other control characters so that a message stays on one line. */
export function oneLine(text: string): string {
	// eslint-disable-next-line no-control-regex
	return text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, (c) => {
		if (c === '\n') return '\\n';
		if (c === '\r') return '\\r';
		if (c === '\t') return '\\t';
		return `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
	});
}

/** The code of a Node system error (`'EPIPE'`, `'ENOENT'`…), or undefined. */
export function errorCode(error: unknown): string | undefined {
	if (typeof error === 'object' && error !== null && 'code' in error && typeof error.code === 'string') return error.code;
	return undefined;
}
