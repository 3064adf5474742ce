/**
 * `gdrace serve [--port 2222] [--host 127.0.0.1] [--host-key FILE] [--authorized-keys FILE]
 * [--max-sessions 16] [--shared] [race flags…]`: the server's own flags, taken off the command line; the
 * rest are race flags for `parseArgs`. Never prints, never exits.
 */
import {wrapWords} from '../wrap-words.js';
import {UsageError} from './errors.js';

/** The server's settings. */
export type ServeOptions = {
	/** 0 lets the OS pick (tests). @default 2222 */
	readonly port: number;
	/** @default 127.0.0.1 (loopback only) */
	readonly host: string;
	/** The host key file; created (ed25519, mode 600) when missing. @default $XDG_CONFIG_HOME/gdrace/host_ed25519 */
	readonly hostKey?: string;
	/** Only these public keys may watch (OpenSSH authorized_keys format). @default anyone who reaches the port */
	readonly authorizedKeys?: string;
	/** Viewers at once; past it a viewer gets one line and is closed. @default 16 */
	readonly maxSessions: number;
	/** One race, shown and steered on the server's terminal; every viewer watches it. @default false: each viewer races their own */
	readonly shared: boolean;
};

export const SERVE_DEFAULTS = {port: 2222, host: '127.0.0.1', maxSessions: 16} as const;

/** The server's own flags (`parseServeArgs`), for messages about a command line that misspells or misplaces one. */
export const SERVE_FLAGS = ['port', 'host', 'host-key', 'authorized-keys', 'max-sessions', 'shared'] as const;

/** Where the options' texts start in `serve --help` (yargs's layout in `gdrace --help`). */
const HELP_TEXT_COLUMN = 24;
/** Below this width an option's text goes under its flag instead of beside it. */
const HELP_SIDE_BY_SIDE = 64;

const HELP_USAGE = ['[--port 2222]', '[--host 127.0.0.1]', '[--host-key FILE]', '[--authorized-keys FILE]', '[--max-sessions 16]', '[--shared]', '[race flags…]'];

const HELP_PARAGRAPHS = [
	"Serves the live race over SSH: viewers run `ssh -p 2222 HOST` and watch with nothing installed, each at their own terminal size (at most 300×100), each racing their own race with the server's race flags (keys work; q or Ctrl+C ends that viewer's session only; those who race at the top speed share one screen's engine time). Without a pty (`ssh HOST < /dev/null`) or with a TERM=dumb one, a viewer gets the plain summary. Nothing else is served: no shell, no commands, no sftp, no forwarding. Each viewer's coming and going and each refused request is one line on stderr.",
	"With --shared there is one race: this terminal shows it and steers it with every key, and each viewer watches that race (paused when it is paused, in the view shown here) at their own size. Viewers' keys steer nothing: q or Ctrl+C leaves, ? shows their help. When this screen quits (or the race ends with --exit-on-finish) the viewers are told and their sessions close. While the screen is up, the server's log lines wait until it closes if stderr is this terminal (redirect stderr, 2>serve.log, to read them live); its footer counts the viewers.",
];

const HELP_OPTIONS: readonly {readonly flag: string; readonly text: string; readonly default?: string; readonly note?: string}[] = [
	{flag: '--port N', text: 'port to listen on (0: any free port)', default: String(SERVE_DEFAULTS.port)},
	{
		flag: '--host ADDRESS',
		text: 'address to listen on',
		default: SERVE_DEFAULTS.host,
		note: 'Without --authorized-keys ANYONE who can reach the port may watch: the default host is loopback; choose another only on purpose.',
	},
	{flag: '--host-key FILE', text: "the server's private key; an ed25519 key is created there (mode 600) when missing", default: '$XDG_CONFIG_HOME/gdrace/host_ed25519'},
	{flag: '--authorized-keys FILE', text: 'only these public keys may watch (OpenSSH authorized_keys format)'},
	{flag: '--max-sessions N', text: 'viewers at once, 1 to 1000', default: String(SERVE_DEFAULTS.maxSessions)},
	{flag: '--shared', text: 'one race, shown and steered here; viewers watch it (needs a terminal)'},
];

const HELP_EXIT_CODES = 'Exit codes: 0 this screen quit (--shared), 1 host key or port problem, 2 bad flag or --shared without a terminal, 129/130/143 SIGHUP/SIGINT/SIGTERM.';

/** `lines` each indented by `indent` spaces. */
function indented(lines: readonly string[], indent: number): string[] {
	return lines.map((line) => `${' '.repeat(indent)}${line}`);
}

/**
 * `gdrace serve --help`, wrapped to `width` columns (the terminal's, as yargs wraps `gdrace
 * --help`): no line is longer, so a terminal never breaks a word. Prose fills the width; an
 * option's text stands beside its flag from 64 columns on, under it below that.
 */
export function serveHelp(width: number): string {
	const out: string[] = [];
	// Usage: the flags' brackets are never split, continued under the first (or, where that
	// leaves too little room, on lines of their own under the command).
	const lead = 'Usage: gdrace serve';
	const hang = width >= lead.length + 1 + Math.max(...HELP_USAGE.map((part) => part.length)) ? lead.length + 1 : 2;
	let line = hang === 2 ? lead : `${lead} ${HELP_USAGE[0]}`;
	for (const part of hang === 2 ? HELP_USAGE : HELP_USAGE.slice(1)) {
		if (line.length + 1 + part.length > width) {
			out.push(line);
			line = ' '.repeat(hang) + part;
		} else line = `${line} ${part}`;
	}
	out.push(line);
	for (const paragraph of HELP_PARAGRAPHS) out.push('', ...wrapWords(paragraph, width));
	out.push('');
	const sideBySide = width >= HELP_SIDE_BY_SIDE;
	const textIndent = sideBySide ? HELP_TEXT_COLUMN : 6;
	const textWidth = width - textIndent;
	for (const option of HELP_OPTIONS) {
		const text = wrapWords(option.text, textWidth);
		const flag = `  ${option.flag}`;
		const lines: string[] = [];
		if (sideBySide && flag.length + 2 <= textIndent) {
			lines.push(`${flag.padEnd(textIndent)}${text[0]}`, ...indented(text.slice(1), textIndent));
		} else lines.push(flag, ...indented(text, textIndent));
		if (option.default !== undefined) {
			// Right-aligned, as yargs shows defaults: on the text's last line when it fits there.
			const label = `[default: ${option.default}]`;
			const last = lines[lines.length - 1]!;
			if (last.length + 2 + label.length <= width) lines[lines.length - 1] = `${last}${' '.repeat(width - last.length - label.length)}${label}`;
			else if (label.length + 2 <= width) lines.push(label.padStart(width));
			else lines.push(...indented(wrapWords(label, textWidth), textIndent));
		}
		if (option.note !== undefined) lines.push(...indented(wrapWords(option.note, textWidth), textIndent));
		out.push(...lines);
	}
	out.push('', ...wrapWords(HELP_EXIT_CODES, width));
	return out.join('\n');
}

/** `gdrace serve --help` at 100 columns. */
export const SERVE_HELP = serveHelp(100);

/** The serve flags and the remaining (race) arguments, or help. Throws UsageError for a bad value. */
export function parseServeArgs(argv: readonly string[]): {readonly kind: 'help'} | {readonly kind: 'run'; readonly options: ServeOptions; readonly rest: string[]} {
	let port: number = SERVE_DEFAULTS.port;
	let host: string = SERVE_DEFAULTS.host;
	let hostKey: string | undefined;
	let authorizedKeys: string | undefined;
	let maxSessions: number = SERVE_DEFAULTS.maxSessions;
	let shared = false;
	const rest: string[] = [];
	for (let i = 0; i < argv.length; i++) {
		const token = argv[i]!;
		const [flag, inline] = token.startsWith('--') && token.includes('=') ? [token.slice(0, token.indexOf('=')), token.slice(token.indexOf('=') + 1)] : [token, undefined];
		const value = (): string => {
			const next = inline ?? argv[++i];
			if (next === undefined || (inline === undefined && next.startsWith('--'))) throw new UsageError(`${flag} needs a value (see gdrace serve --help)`);
			return next;
		};
		switch (flag) {
			case '--help':
			case '-h':
				return {kind: 'help'};
			case '--port':
				port = whole(flag, value(), 0, 65535, '2222');
				break;
			case '--host':
				host = value();
				if (host.trim() === '') throw new UsageError('--host needs an address; e.g. --host 127.0.0.1');
				break;
			case '--host-key':
				hostKey = value();
				break;
			case '--authorized-keys':
				authorizedKeys = value();
				break;
			case '--max-sessions':
				maxSessions = whole(flag, value(), 1, 1000, '16');
				break;
			case '--shared':
				if (inline !== undefined) throw new UsageError(`--shared takes no value, got ${JSON.stringify(token)}; e.g. gdrace serve --shared`);
				shared = true;
				break;
			default:
				rest.push(token);
		}
	}
	return {kind: 'run', options: {port, host, maxSessions, shared, ...(hostKey === undefined ? {} : {hostKey}), ...(authorizedKeys === undefined ? {} : {authorizedKeys})}, rest};
}

function whole(flag: string, text: string, min: number, max: number, example: string): number {
	const value = /^\d+$/.test(text.trim()) ? Number(text) : Number.NaN;
	if (!(Number.isInteger(value) && value >= min && value <= max)) {
		throw new UsageError(`${flag} must be an integer from ${min} to ${max}, got ${JSON.stringify(text)}; e.g. ${flag} ${example}`);
	}
	return value;
}
